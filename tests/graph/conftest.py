"""A tiny organisation whose every answer is computed by hand in the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph.document import from_document
from graph.projection import Projection, build_projection

AS_OF = dt.date(2026, 11, 1)


def tiny_document() -> dict[str, Any]:
    return {
        "framework": {"id": "tiny", "name": "Tiny", "validity_days": 365},
        "competencies": [
            {"id": "a", "name": "Alpha", "category": "TECHNICAL",
             "indicators": {1: ["a1"], 2: ["a2"], 3: ["a3"], 4: ["a4", "a4 bis"], 5: ["a5"]}},
            {"id": "b", "name": "Beta", "category": "BEHAVIOURAL", "indicators": {3: ["b3"]}},
            {"id": "c", "name": "Gamma", "category": "LEADERSHIP"},
            {"id": "d", "name": "Delta", "category": "TECHNICAL"},
        ],
        "families": [{"id": "eng", "name": "Engineering"}, {"id": "ops", "name": "Operations"}],
        "tracks": [{"id": "ic", "name": "IC"}],
        "levels": [{"id": "l1", "rank": 1, "name": "One"}, {"id": "l2", "rank": 2, "name": "Two"},
                   {"id": "l3", "rank": 3, "name": "Three"}],
        "roles": [
            {"id": "junior", "title": "Junior", "family": "eng", "level": "l1",
             "requires": [{"competency": "a", "level": 2}, {"competency": "b", "level": 1}]},
            {"id": "mid", "title": "Mid", "family": "eng", "level": "l2",
             "requires": [{"competency": "a", "level": 3, "weight": 2, "essential": True},
                          {"competency": "b", "level": 2}]},
            {"id": "senior", "title": "Senior", "family": "eng", "level": "l3",
             "requires": [{"competency": "a", "level": 4, "weight": 2, "essential": True},
                          {"competency": "b", "level": 3}, {"competency": "c", "level": 2}]},
            {"id": "lead", "title": "Lead", "family": "ops", "level": "l3",
             "requires": [{"competency": "b", "level": 3}, {"competency": "c", "level": 3, "weight": 2,
                                                              "essential": True},
                          {"competency": "d", "level": 2}]},
            {"id": "empty", "title": "Empty", "family": "ops", "level": "l1", "requires": []},
            {"id": "island", "title": "Island", "family": "ops", "level": "l2",
             "requires": [{"competency": "d", "level": 1}]},
        ],
        "moves": {"progresses_to": [["junior", "mid"], ["mid", "senior"]],
                  "can_move_to": [["senior", "lead"], ["lead", "senior"], ["mid", "lead"]]},
        "resources": [
            {"id": "r-a1", "title": "A two to four", "kind": "COURSE", "hours": 12,
             "develops": [{"competency": "a", "from": 2, "to": 4}]},
            {"id": "r-a2", "title": "A three to four", "kind": "PROJECT", "hours": 20,
             "develops": [{"competency": "a", "from": 3, "to": 4}]},
            {"id": "r-b", "title": "B one to three", "kind": "READING", "hours": 8,
             "develops": [{"competency": "b", "from": 1, "to": 3}]},
            {"id": "r-bc", "title": "B and C", "kind": "MENTORING", "hours": 5,
             "develops": [{"competency": "b", "from": 2, "to": 3}, {"competency": "c", "from": 2, "to": 3}]},
        ],
        "people": [
            {"id": "boss", "name": "Boss", "role": "lead"},
            {"id": "ana", "name": "Ana", "role": "mid", "manager": "boss"},
            {"id": "ben", "name": "Ben", "role": "junior", "manager": "ana"},
            {"id": "cy", "name": "Cy", "role": "mid", "manager": "ana"},
        ],
        "assessments": [
            {"id": "1", "person": "ana", "competency": "a", "level": 4, "source": "SELF", "at": "2026-06-01"},
            {"id": "2", "person": "ana", "competency": "a", "level": 3, "source": "MANAGER", "at": "2026-03-01"},
            {"id": "3", "person": "ana", "competency": "a", "level": 2, "source": "MANAGER", "at": "2025-09-01"},
            {"id": "4", "person": "ana", "competency": "b", "level": 2, "source": "SELF", "at": "2026-06-01"},
            {"id": "5", "person": "ana", "competency": "c", "level": 2, "source": "MANAGER", "at": "2025-01-01"},
            {"id": "6", "person": "ben", "competency": "a", "level": 1, "source": "PEER", "at": "2026-05-01"},
            {"id": "7", "person": "ben", "competency": "a", "level": 2, "source": "ASSESSED", "at": "2026-01-01"},
        ],
    }


@pytest.fixture(scope="session")
def tiny() -> Projection:
    return build_projection(from_document(tiny_document()), version="tiny")
