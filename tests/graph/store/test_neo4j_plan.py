"""The Neo4j store diffs only what an edit replaced; that must write and delete exactly what a diff of
the two whole organisations would. Pure: no server needed (the mutations suite runs them on a real one)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from graph import edits
from graph.document import from_document, to_document
from graph.model import Category, MoveKind, Organisation, ResourceKind, Source
from graph.seeds import sample_organisation
from graph.changes import changed_parts
from graph.store.neo4j import _edit_plan

ORG = sample_organisation()
DAY = dt.date(2026, 10, 1)

EDITS: list[tuple[str, Callable[[Organisation], edits.Edit]]] = [
    ("record an assessment", lambda o: edits.record_assessment(o, "priya-raman", "testing", 4, Source.MANAGER, DAY)),
    ("add evidence", lambda o: edits.add_evidence(o, o.assessments[0].id, "project", "shipped it", DAY)),
    ("move a person", lambda o: edits.update_person(o, "priya-raman", "Priya Raman", "p@x.example",
                                                    "senior-software-engineer", DAY, "grace-lindqvist")),
    ("delete a person", lambda o: edits.delete_person(o, "ada-okafor", cascade=True)),
    ("rename a role", lambda o: edits.update_role(o, "software-engineer", "Engineer II", "", "software-engineering",
                                                  "ic", "l2", [(q.competency_id, q.level, q.weight, q.essential)
                                                               for q in o.roles["software-engineer"].requirements])),
    ("set a requirement", lambda o: edits.set_requirement(o, "software-engineer", "testing", 4, 2.0, True)),
    ("remove a requirement", lambda o: edits.remove_requirement(
        o, "software-engineer", o.roles["software-engineer"].requirements[0].competency_id)),
    ("add a move", lambda o: edits.add_move(o, "software-engineer", "data-analyst", MoveKind.CAN_MOVE_TO)),
    ("remove a move", lambda o: edits.remove_move(o, o.moves[0].source, o.moves[0].target, o.moves[0].kind)),
    ("delete a role", lambda o: edits.delete_role(o, "staff-software-engineer", cascade=True)),
    ("create a competency", lambda o: edits.create_competency(o, "rust", "Rust", Category.TECHNICAL)),
    ("delete a competency", lambda o: edits.delete_competency(o, "testing", cascade=True)),
    ("set indicators", lambda o: edits.set_indicators(o, "testing", 2, ["Writes tests first."])),
    ("rename a family", lambda o: edits.update_family(o, "data", "Data and AI")),
    ("delete a level", lambda o: edits.delete_level(o, "l1", cascade=True)),
    ("rename the framework", lambda o: edits.update_framework(o, name="Renamed")),
    ("create a resource", lambda o: edits.create_resource(o, "r-new", "New", ResourceKind.COURSE, 3,
                                                          develops=[("testing", 1, 2)])),
    ("delete a resource", lambda o: edits.delete_resource(o, next(iter(o.resources)))),
]


def fresh(org: Organisation) -> Organisation:
    """An equal organisation that shares no object with ``org``: the plan must diff it whole."""
    return from_document(to_document(org))


def canonical(plan: Any) -> str:
    writes, removed = plan
    rows = sorted(json.dumps([statements, sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)])
                  for statements, rows in writes)
    gone = {k: sorted(json.dumps(v, sort_keys=True) for v in vs) for k, vs in removed.items()}
    return json.dumps([rows, gone], sort_keys=True)


@pytest.mark.parametrize("name, make", EDITS, ids=[e[0] for e in EDITS])
def test_a_cut_down_diff_plans_what_a_whole_diff_plans(name: str, make: Callable[[Organisation], edits.Edit]) -> None:
    edit = make(ORG)
    whole = _edit_plan(fresh(ORG), fresh(edit.org))
    assert whole[0] or whole[1], f"{name} should change something"
    assert canonical(_edit_plan(ORG, edit.org)) == canonical(whole)


def test_the_cut_down_diff_touches_only_what_changed() -> None:
    edit = edits.record_assessment(ORG, "priya-raman", "testing", 4, Source.MANAGER, DAY)
    old, new = changed_parts(ORG, edit.org)
    assert (len(old.assessments), len(new.assessments)) == (0, 1)
    assert not (old.people or new.people or old.roles or new.roles or new.moves or new.indicators)
