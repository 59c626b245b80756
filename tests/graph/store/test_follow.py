"""Following another process's journal lines: two store objects on one file stand for two workers.

Each edit is made through one engine (worker A); the other (worker B) must then hold exactly what a fresh
reader of the file holds, having followed the line (the role side still the same objects) for people-side
edits and read the store again for the rest, and its projection must be the one built from scratch.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from graph import edits
from graph.engine import Engine
from graph.model import MoveKind, Source
from graph.projection import build_projection
from graph.store.embedded import EmbeddedStore

DAY = dt.date(2026, 12, 4)


def _same_projection(got: Any, want: Any) -> None:
    assert got.person_ids == want.person_ids and got.role_ids == want.role_ids
    a, b = got.profiles, want.profiles
    assert a.shape == b.shape and (a != b).nnz == 0
    assert np.array_equal(got.person_role, want.person_role)
    assert dict(got.reports) == dict(want.reports)


def _plan(org: Any) -> tuple[str, str, list[tuple[str, str, int, int]]]:
    res = next(r for r in org.resources.values() if r.develops)
    d = res.develops[0]
    return "priya-raman", "principal-software-engineer", [(res.id, d.competency_id, d.from_level, d.to_level)]


def _check_in(org: Any) -> edits.Edit:
    comps = list(org.competencies)[:3]
    return edits.record_assessments(org, [
        {"person_id": "priya-raman", "competency_id": c, "level": 3, "source": Source.MANAGER, "at": DAY,
         "note": f"check-in {c}", "evidence": [("observation", "led the review", DAY)]} for c in comps])


FOLLOWED: list[tuple[str, Callable[[Any], edits.Edit]]] = [
    ("check-in", _check_in),
    ("evidence", lambda org: edits.add_evidence(org, org.assessments[0].id, "peer feedback", "kind words", DAY)),
    ("new person", lambda org: edits.create_person(org, "zoe-new", "Zoe New", "zoe@example.com",
                                                    "software-engineer", DAY, "priya-raman")),
    ("move a person", lambda org: edits.update_person(org, "priya-raman", org.people["priya-raman"].name,
                                                       org.people["priya-raman"].email, "staff-software-engineer",
                                                       DAY, org.people["priya-raman"].manager_id)),
    ("nominate", lambda org: edits.nominate(org, "principal-software-engineer", "priya-raman", None, DAY, "ready")),
    ("withdraw", lambda org: edits.withdraw_nomination(org, "principal-software-engineer", "priya-raman")),
    ("interest", lambda org: edits.set_interest(org, "priya-raman", "engineering-manager", True, DAY)),
    ("no interest", lambda org: edits.set_interest(org, "priya-raman", "engineering-manager", False, DAY)),
    ("save a plan", lambda org: edits.save_plan(org, *_plan(org), DAY)),
    ("clear the plan", lambda org: edits.clear_plan(org, "priya-raman")),
]
READ_AGAIN: list[tuple[str, Callable[[Any], edits.Edit]]] = [
    ("new family", lambda org: edits.create_family(org, "legal", "Legal")),
    ("new move", lambda org: edits.add_move(org, "software-engineer", "engineering-manager", MoveKind.CAN_MOVE_TO)),
    ("person leaves", lambda org: edits.delete_person(org, "zoe-new", cascade=True)),
]


@pytest.mark.parametrize("name, edit", FOLLOWED + READ_AGAIN, ids=[n for n, _ in FOLLOWED + READ_AGAIN])
def test_another_workers_edit_is_followed_or_read_again(tmp_path: Path, name: str,
                                                         edit: Callable[[Any], edits.Edit]) -> None:
    path = tmp_path / "s.json"
    writer, follower = Engine(EmbeddedStore(path)), Engine(EmbeddedStore(path))
    names = [n for n, _ in FOLLOWED]
    for _, earlier in FOLLOWED[:names.index(name)] if name in names else FOLLOWED:      # what this edit needs
        writer.apply(lambda org, e=earlier: e(org), actor="helena-marsh", access="HR")
    before = follower.projection()
    writer.apply(lambda org: edit(org), actor="helena-marsh", access="HR")

    fresh = EmbeddedStore(path)
    got = follower.store.organisation()
    assert got == fresh.organisation()
    assert follower.store.version() == fresh.version()
    assert follower.store.audit_trail(limit=5) == fresh.audit_trail(limit=5)
    after = follower.projection()
    _same_projection(after, build_projection(fresh.organisation(), fresh.version()))
    assert after.version == fresh.version()
    if name in names:
        assert got.roles is before.org.roles and got.competencies is before.org.competencies
        assert after.roles_key is before.roles_key          # refreshed from the old projection, not rebuilt
    else:
        assert got.competencies is not before.org.competencies   # read again from the file


def test_several_lines_followed_at_once_then_answers_match(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    writer, follower = Engine(EmbeddedStore(path)), Engine(EmbeddedStore(path))
    before = follower.projection()
    for _, edit in FOLLOWED:
        writer.apply(lambda org, e=edit: e(org), actor="helena-marsh", access="HR")
    after = follower.projection()
    fresh = Engine(EmbeddedStore(path))
    assert after.roles_key is before.roles_key
    _same_projection(after, fresh.projection())
    spec = ("priya-raman", None, None)
    assert follower.closest_roles(spec) == fresh.closest_roles(spec)
    assert follower.successors("staff-software-engineer") == fresh.successors("staff-software-engineer")


def test_a_torn_line_is_not_followed_until_it_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    writer, follower = Engine(EmbeddedStore(path)), EmbeddedStore(path)
    version = follower.version()
    writer.apply(_check_in, actor="helena-marsh", access="HR")
    journal = path.with_name(path.name + ".journal")
    whole = journal.read_bytes()
    journal.write_bytes(whole[:-40])                    # the writer is still writing it
    assert follower.version() == version
    journal.write_bytes(whole)
    assert follower.version() == writer.store.version() and follower.organisation() == EmbeddedStore(path).organisation()
