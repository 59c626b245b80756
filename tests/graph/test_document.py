"""The organisation document: lossless round trip, and every problem reported at once."""

from __future__ import annotations

import pytest

from graph.document import from_document, to_document
from graph.errors import BadInput
from graph.seeds import sample_organisation

from .conftest import tiny_document


def test_round_trip_is_lossless() -> None:
    org = sample_organisation()
    assert from_document(to_document(org)) == org
    tiny = from_document(tiny_document())
    assert from_document(to_document(tiny)) == tiny


def test_every_problem_is_listed_with_its_path() -> None:
    doc = tiny_document()
    doc["roles"][0]["requires"].append({"competency": "zzz", "level": 9})
    doc["roles"][1]["requires"].append({"competency": "a", "level": 1})
    doc["moves"]["can_move_to"].append(["mid", "mid"])
    doc["people"][0]["manager"] = "cy"          # boss -> cy -> ana -> boss
    doc["assessments"][0]["at"] = "yesterday"
    doc["resources"][0]["develops"][0]["to"] = 1
    with pytest.raises(BadInput) as err:
        from_document(doc)
    problems = err.value.problems
    assert "roles[0].requires[2].competency: unknown competency 'zzz'" in problems
    assert "roles[0].requires[2].level: must be between 1 and 5, not 9" in problems
    assert "roles[1].requires[2].competency: 'a' is required twice" in problems
    assert "moves.can_move_to[3]: a move from role 'mid' to itself" in problems
    assert any(p.startswith("people: reporting cycle:") for p in problems)
    assert "assessments[0].at: must be a date like 2026-03-31, not 'yesterday'" in problems
    assert "resources[0].develops[0]: 'to' (1) must be above 'from' (2)" in problems
    assert err.value.code == "BAD_INPUT" and len(problems) == 7


def test_duplicate_ids_and_bad_enums() -> None:
    doc = tiny_document()
    doc["roles"].append(dict(doc["roles"][0]))
    doc["competencies"][0] = {**doc["competencies"][0], "category": "MAGIC"}
    with pytest.raises(BadInput) as err:
        from_document(doc)
    assert "roles[6].id: duplicate id 'junior'" in err.value.problems
    assert any("competencies[0].category: must be one of TECHNICAL" in p for p in err.value.problems)


def test_misspelt_fields_are_refused_not_dropped() -> None:
    doc = tiny_document()
    doc["peeple"] = doc.pop("people")
    doc["roles"][0]["titel"] = "Junior"
    doc["roles"][1]["requirements"] = doc["roles"][1].pop("requires")
    doc["roles"][2]["requires"][0]["wieght"] = 3
    doc["assessments"][0]["evidence"] = [{"kind": "demo", "when": "2026-01-01"}]
    doc["assessments"][1]["evidence"] = "a talk"
    with pytest.raises(BadInput) as err:
        from_document(doc)
    problems = err.value.problems
    expected = ["peeple: unknown field", "roles[0].titel: unknown field", "roles[1].requirements: unknown field",
                "roles[2].requires[0].wieght: unknown field", "assessments[0].evidence[0].when: unknown field",
                "assessments[1].evidence: must be a list"]
    for want in expected:
        assert any(p.startswith(want) for p in problems), (want, problems)
    assert "(expected one of id, title, description, family, track, level, requires)" in problems[1]
    unknown_people = [p for p in problems if "unknown person" in p]    # the people went under 'peeple'
    assert len(unknown_people) == 7 and len(problems) == len(expected) + 7
