"""The store contract, run unchanged on the embedded store and on a real Neo4j."""

from __future__ import annotations

from typing import Any

import pytest

from graph.document import from_document
from graph.engine import Engine
from graph.generate import generate
from graph.model import Organisation
from graph.projection import build_projection
from graph.seeds import sample_organisation

from ..conftest import tiny_document


def test_replace_then_read_gives_back_the_same_organisation(store: Any) -> None:
    org = sample_organisation()
    store.replace(org)
    assert store.organisation() == org


def test_version_changes_with_every_write_and_only_then(store: Any) -> None:
    before = store.version()
    assert store.version() == before
    store.replace(from_document(tiny_document()))
    after = store.version()
    assert after != before and store.version() == after


def test_import_is_idempotent(store: Any) -> None:
    org = from_document(generate(roles=30, competencies=20, people=60, seed=5))
    store.replace(org)
    store.replace(org)
    assert store.organisation() == org


def test_replace_removes_what_the_new_content_lacks(store: Any) -> None:
    store.replace(sample_organisation())
    tiny = from_document(tiny_document())
    store.replace(tiny)
    assert store.organisation() == tiny


def test_changed_content_is_updated_in_place(store: Any) -> None:
    doc = tiny_document()
    store.replace(from_document(doc))
    doc["roles"][1]["requires"] = [{"competency": "d", "level": 5, "weight": 3, "essential": True}]
    doc["roles"][1]["family"] = "ops"
    doc["people"][2]["manager"] = "boss"
    doc["assessments"][0]["evidence"] = [{"kind": "REVIEW", "note": "shipped it", "at": "2026-06-02"}]
    doc["moves"]["can_move_to"] = [["junior", "island"]]
    changed = from_document(doc)
    store.replace(changed)
    assert store.organisation() == changed


def test_engine_answers_are_the_same_on_every_store(store: Any) -> None:
    org = sample_organisation()
    store.replace(org)
    engine = Engine(store)
    ref = build_projection(org)
    assert engine.projection().role_ids == ref.role_ids
    assert (engine.projection().profiles != ref.profiles).nnz == 0


def test_an_interrupted_import_leaves_whole_batches_and_completes_when_run_again(
        store: Any, store_kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    org = from_document(generate(roles=40, competencies=20, people=300, seed=9))

    def stop_after_a_few(step: str, done: int, total: int) -> None:
        if step == "assessments" and done > 0:
            raise KeyboardInterrupt

    if store_kind == "embedded":
        import os

        before = from_document(tiny_document())
        store.replace(before)
        real_replace = os.replace

        def interrupted(src: Any, dst: Any) -> None:     # the whole new file is written, then the power goes
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            store.replace(org)
        monkeypatch.setattr(os, "replace", real_replace)
        from graph.store.embedded import EmbeddedStore

        assert EmbeddedStore(store.path, seed=False).organisation() == before    # all or nothing: nothing
        assert not list(store.path.parent.glob(".store-*"))                      # and no temp file left
    else:
        with pytest.raises(KeyboardInterrupt):
            store.replace(org, progress=stop_after_a_few, batch=100)
        partial: Organisation = store.organisation()
        n = len(partial.assessments)
        assert n > 0 and n % 100 == 0 and n < len(org.assessments)   # whole batches only
        assert partial.people == org.people
    store.replace(org)
    assert store.organisation() == org


def test_a_second_process_sees_every_write(store: Any, store_kind: str, tmp_path: Any,
                                            request: pytest.FixtureRequest) -> None:
    """Two store objects on one backend stand for two API processes."""
    if store_kind == "embedded":
        from graph.store.embedded import EmbeddedStore

        other: Any = EmbeddedStore(store.path, seed=False)
    else:
        from tests.conftest import open_store

        other = open_store("neo4j", tmp_path, request)
    engine = Engine(store)
    before = engine.projection()
    other.replace(from_document(tiny_document()))
    after = engine.projection()
    assert after is not before and after.role_ids == tuple(sorted(r["id"] for r in tiny_document()["roles"]))
    if store_kind == "neo4j":
        other.close()


def test_saved_plans_and_their_edits_persist(store: Any) -> None:
    """Plans replace and read back whole; saving, completing and clearing one commit like any edit, and the
    growth answers over the stored organisation equal those over the organisation itself."""
    import datetime as dt

    from graph import edits
    from graph.history import Period, person_trend, team_trend
    from graph.model import Source

    day = dt.date(2026, 10, 1)
    org = edits.save_plan(from_document(tiny_document()), "ben", "mid", [("r-a1", "a", 2, 4), ("r-b", "b", 0, 3)],
                          day).org
    store.replace(org)
    assert store.organisation() == org
    engine = Engine(store, today=lambda: dt.date(2026, 11, 1))
    done = engine.apply(edits.complete_plan_item, "ben", "r-b", "b", dt.date(2026, 10, 20), Source.SELF)
    assert store.organisation() == done.org
    assert store.organisation().plans["ben"].items[1].done == dt.date(2026, 10, 20)
    engine.apply(edits.save_plan, "ana", "senior", [("r-a2", "a", 3, 4)], day)
    engine.apply(edits.clear_plan, "ben")
    stored = store.organisation()
    assert set(stored.plans) == {"ana"} and stored.plans["ana"].items[0].resource_id == "r-a2"
    proj, ref = engine.projection(), build_projection(stored)
    assert person_trend(proj, "ana", None, dt.date(2026, 11, 1)) == person_trend(ref, "ana", None, dt.date(2026, 11, 1))
    span = (dt.date(2025, 10, 1), dt.date(2026, 10, 31), Period.QUARTER)
    assert team_trend(proj, "boss", *span) == team_trend(ref, "boss", *span)


def test_talent_pools_and_interests_persist(store: Any) -> None:
    import datetime as dt

    from graph import edits

    day = dt.date(2026, 10, 1)
    org = from_document(tiny_document())
    org = edits.nominate(org, "mid", "ben", "ana", day, "ready soon").org
    org = edits.set_interest(org, "ben", "mid", True, day).org
    store.replace(org)
    assert store.organisation() == org
    engine = Engine(store)
    engine.apply(edits.nominate, "senior", "ana", "boss", day)
    engine.apply(edits.withdraw_nomination, "mid", "ben")
    engine.apply(edits.set_interest, "ben", "mid", False, day)
    engine.apply(edits.set_interest, "cy", "lead", True, day)
    stored = store.organisation()
    assert [(n.role_id, n.person_id, n.by) for n in stored.nominations] == [("senior", "ana", "boss")]
    assert [(i.person_id, i.role_id) for i in stored.interests] == [("cy", "lead")]
    store.replace(from_document(tiny_document()))                 # a replace drops what the new content lacks
    assert store.organisation().nominations == () and store.organisation().interests == ()


def test_concurrent_edits_are_all_kept(store: Any) -> None:
    """Eight check-ins at once, each through its own engine (as from eight requests or workers): every one is
    stored, each with its own id — none is written over by another that was prepared on the same version."""
    import datetime as dt
    import threading

    from graph.edits import record_assessment
    from graph.model import Source

    store.replace(from_document(tiny_document()))
    people = sorted(store.organisation().people)
    before = len(store.organisation().assessments)
    failures: list[BaseException] = []

    def check_in(n: int) -> None:
        try:
            Engine(store).apply(record_assessment, people[n % len(people)], "a", 2, Source.MANAGER,
                                dt.date(2026, 6, 1), note=f"check-in {n}", actor="boss", access="HR")
        except BaseException as exc:          # noqa: BLE001 - asserted below
            failures.append(exc)

    threads = [threading.Thread(target=check_in, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    stored = store.organisation().assessments
    notes = sorted(a.note for a in stored if a.note.startswith("check-in"))
    assert notes == sorted(f"check-in {n}" for n in range(8))
    assert len(stored) == before + 8 and len({a.id for a in stored}) == len(stored)
