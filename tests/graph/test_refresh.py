"""Refreshing a projection after a write to people or assessments (issue 15).

Every property compares the refreshed projection with ``build_projection`` of the same organisation: arrays,
mappings and the answers of the queries, after random sequences of edits, with the caches warmed before each
write (so what carries over is checked too).
"""

from __future__ import annotations

import datetime as dt
import pathlib
import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from graph import edits
from graph.closeness import closest_roles, role_shapes
from graph.engine import Engine, PinnedEngine
from graph.errors import TrellisError
from graph.gaps import gap_report
from graph.history import person_trend, profiles_as_of
from graph.inventory import skills_inventory
from graph.model import Source
from graph.profiles import resolve_profile
from graph.changes import insertion_points
from graph.projection import build_projection, edit_hint, refresh_projection
from graph.search import search
from graph.seeds import sample_organisation
from graph.store.embedded import EmbeddedStore
from graph.succession import successors
from graph.teams import requirement_positions, team_heatmap

from tests.graph import reference as ref
from tests.graph.test_properties import EXAMPLES, SOURCES, by_source, draw_org

DAYS = [dt.date(2025, 6, 1), dt.date(2026, 1, 15), dt.date(2026, 3, 31), dt.date(2026, 5, 2)]
AS_OF = dt.date(2026, 11, 1)


def warm(proj):
    """Use every per-projection cache, so that a refresh has something to carry over."""
    for rid in proj.role_ids:
        successors(proj, rid, limit=50)
    for pid in proj.person_ids:
        team_heatmap(proj, pid)
        person_trend(proj, pid, None, AS_OF)
    role_shapes(proj)
    requirement_positions(proj)
    skills_inventory(proj)
    search(proj, "people", "p")
    search(proj, "roles", "r")


def draw_edit(data, org):
    """One people-side edit (or None when the organisation has nobody to edit)."""
    people, comps, roles = sorted(org.people), sorted(org.competencies), sorted(org.roles)
    top = org.framework.max_level
    kinds = ["create"] + (["assess", "assess", "check-in", "update", "evidence", "interest"] if people else [])
    kind = data.draw(st.sampled_from(kinds), label="edit")
    if kind == "create":
        pid = data.draw(st.sampled_from([f"n{i}" for i in range(9)] + ["a0", "zz", "p00"]), label="new id")
        if pid in org.people:
            return None
        return edits.create_person(org, pid, pid.upper(), role=data.draw(st.sampled_from([None, *roles])),
                                   manager=data.draw(st.sampled_from([None, *people])))
    if kind in ("assess", "check-in"):
        def item():
            return {"person_id": data.draw(st.sampled_from(people)), "competency_id": data.draw(st.sampled_from(comps)),
                    "level": data.draw(st.integers(0, top)), "source": Source(data.draw(st.sampled_from(SOURCES))),
                    "at": data.draw(st.sampled_from(DAYS))}
        if kind == "assess":
            return edits.record_assessment(org, **item())
        return edits.record_assessments(org, [item() for _ in range(data.draw(st.integers(1, 4)))])
    if kind == "update":
        pid = data.draw(st.sampled_from(people))
        p = org.people[pid]
        try:
            return edits.update_person(org, pid, data.draw(st.sampled_from([p.name, "Renamed"])),
                                       role=data.draw(st.sampled_from([p.role_id, None, *roles])),
                                       manager=data.draw(st.sampled_from([p.manager_id, None, *people])))
        except TrellisError:                       # a reporting cycle
            return None
    if kind == "evidence":
        if not org.assessments:
            return None
        a = data.draw(st.sampled_from(org.assessments))
        return edits.add_evidence(org, a.id, "review", "seen", AS_OF)
    return edits.set_interest(org, data.draw(st.sampled_from(people)), data.draw(st.sampled_from(roles)), True, AS_OF)


def assert_same(got, org):
    want = build_projection(org, got.version)
    assert got.org is org
    assert got.person_ids == want.person_ids
    assert dict(got.person_index) == dict(want.person_index)
    assert got.profiles.shape == want.profiles.shape
    assert (got.profiles != want.profiles).nnz == 0
    assert np.array_equal(got.profiles.toarray(), want.profiles.toarray())
    assert np.array_equal(got.person_role, want.person_role)
    assert {p: dict(e) for p, e in got.effective.items()} == {p: dict(e) for p, e in want.effective.items()}
    assert dict(got.reports) == dict(want.reports)
    assert {p: tuple(h) for p, h in got.history.items()} == {p: tuple(h) for p, h in want.history.items()}
    for row in range(len(got.person_ids)):
        assert np.array_equal(got.person_levels(row), want.person_levels(row))
    # the answers, against the fresh build and (levels) against the naive reference
    for pid in want.person_ids:
        mine, theirs = resolve_profile(got, person_id=pid), resolve_profile(want, person_id=pid)
        assert {c: int(got.person_levels(got.person_index[pid])[i]) for i, c in enumerate(got.comp_ids)
                if got.person_levels(got.person_index[pid])[i]} == \
            {c: lv for c, lv in ref.effective_levels(org, pid).items() if lv}
        assert closest_roles(got, mine, limit=50) == closest_roles(want, theirs, limit=50)
        assert team_heatmap(got, pid) == team_heatmap(want, pid)
        assert person_trend(got, pid, None, AS_OF) == person_trend(want, pid, None, AS_OF)
        for rid in want.role_ids:
            assert gap_report(got, mine, rid, AS_OF) == gap_report(want, theirs, rid, AS_OF)
    for rid in want.role_ids:
        assert successors(got, rid, limit=50) == successors(want, rid, limit=50)
        for pid in want.person_ids[:3]:
            assert successors(got, rid, limit=50, manager=pid) == successors(want, rid, limit=50, manager=pid)
    assert skills_inventory(got) == skills_inventory(want)
    day = dt.date(2026, 2, 1)
    assert (profiles_as_of(got, day) != profiles_as_of(want, day)).nnz == 0
    assert search(got, "people", "renamed") == search(want, "people", "renamed")


@by_source
@EXAMPLES
@given(data=st.data())
def test_refresh_equals_a_fresh_build_after_random_edits(source, data):
    org, proj = draw_org(data, source)
    for step in range(data.draw(st.integers(1, 6), label="edits")):
        warm(proj)
        done = draw_edit(data, org)
        if done is None:
            continue
        refreshed = refresh_projection(proj, done.org, f"v{step}", edit_hint(done.action, done.subject))
        assert refreshed is not None, done.action
        assert refreshed.roles_key is proj.roles_key
        assert role_shapes(refreshed) is role_shapes(proj)
        assert_same(refreshed, done.org)
        org, proj = done.org, refreshed


@by_source
@EXAMPLES
@given(data=st.data())
def test_refresh_without_a_hint_diffs_in_full(source, data):
    org, proj = draw_org(data, source)
    done = draw_edit(data, org)
    if done is not None:
        refreshed = refresh_projection(proj, done.org, "v1")
        assert refreshed is not None
        assert_same(refreshed, done.org)


def test_role_side_edits_and_departures_rebuild():
    org = sample_organisation()
    proj = build_projection(org, "v0")
    assert refresh_projection(proj, edits.create_family(org, "legal", "Legal").org, "v1") is None
    role = sorted(org.roles)[0]
    assert refresh_projection(proj, edits.update_role(org, role, "Renamed").org, "v1") is None
    leaver = next(p for p in sorted(org.people) if not any(q.manager_id == p for q in org.people.values()))
    assert refresh_projection(proj, edits.delete_person(org, leaver, cascade=True).org, "v1") is None


def test_insertion_points_find_insertions_by_identity():
    old = tuple(object() for _ in range(1000))
    new_items = [object() for _ in range(3)]
    new = old[:0] + (new_items[0],) + old[:500] + (new_items[1],) + old[500:] + (new_items[2],)
    assert insertion_points(old, new) == [0, 501, 1002]
    assert insertion_points(old, old[:10] + old[11:]) is None            # a removal is not an insertion
    assert insertion_points(old, old[1:] + (object(), old[0])) is None    # nor a reordering


def test_a_pinned_projection_is_unaffected_by_a_write(tmp_path: pathlib.Path):
    engine = Engine(EmbeddedStore(tmp_path / "s.json"))
    before = engine.projection()
    warm(before)
    pinned = PinnedEngine(engine, before)
    pid = before.person_ids[0]
    cid = before.comp_ids[0]
    row = before.person_index[pid]
    levels, eff = before.person_levels(row).copy(), dict(before.effective.get(pid, {}))
    matrix = before.profiles.copy()
    old_successors = {r: successors(before, r) for r in before.role_ids}
    top = before.max_level
    new_level = 0 if levels[0] == top else top
    engine.apply(edits.record_assessment, pid, cid, new_level, Source.ASSESSED, dt.date(2026, 6, 1))
    after = engine.projection()
    assert after is not before and after.roles_key is before.roles_key
    assert after.person_levels(row)[0] == new_level
    assert pinned.projection() is before
    assert np.array_equal(before.person_levels(row), levels)
    assert dict(before.effective.get(pid, {})) == eff
    assert (before.profiles != matrix).nnz == 0
    assert {r: successors(before, r) for r in before.role_ids} == old_successors
    assert_same(after, engine.store.organisation())


def test_engine_answers_after_writes_as_a_fresh_engine(tmp_path: pathlib.Path):
    engine = Engine(EmbeddedStore(tmp_path / "s.json"))
    proj = engine.projection()
    warm(proj)
    people, comps = sorted(proj.person_ids), sorted(proj.comp_ids)
    shapes = role_shapes(proj)
    engine.apply(edits.record_assessment, people[0], comps[1], 4, Source.MANAGER, dt.date(2026, 6, 1))
    engine.apply(edits.record_assessments, [
        {"person_id": people[1], "competency_id": c, "level": 3, "source": Source.PEER, "at": dt.date(2026, 6, 2)}
        for c in comps[:3]])
    p = engine.store.organisation().people[people[2]]
    engine.apply(edits.update_person, p.id, "Renamed", p.email, sorted(proj.role_ids)[-1], p.since, people[0])
    engine.apply(edits.create_person, "zz-new", "New Person", role=sorted(proj.role_ids)[0], manager=people[0])
    engine.apply(edits.record_assessment, "zz-new", comps[0], 2, Source.SELF, dt.date(2026, 6, 3))
    got = engine.projection()
    assert got.version == engine.store.version()
    assert got.roles_key is proj.roles_key and role_shapes(got) is shapes       # role caches survived
    assert requirement_positions(got) is requirement_positions(proj)
    fresh = Engine(EmbeddedStore(tmp_path / "s.json"))
    assert fresh.projection() is not got
    for pid in (*people[:3], "zz-new"):
        assert engine.closest_roles((pid, None, None)) == fresh.closest_roles((pid, None, None))
        assert engine.gap((pid, None, None), proj.role_ids[0]) == fresh.gap((pid, None, None), proj.role_ids[0])
        assert engine.team_heatmap(pid) == fresh.team_heatmap(pid)
    for rid in proj.role_ids:
        assert engine.successors(rid) == fresh.successors(rid)
    assert_same(got, engine.store.organisation())
    # a role-side edit rebuilds: a new role side, new role caches
    engine.apply(edits.create_family, "legal", "Legal")
    rebuilt = engine.projection()
    assert rebuilt.roles_key is not proj.roles_key


def test_team_credits_carry_over_a_check_in_with_the_changed_rows_read_fresh():
    """The top manager's gaps come from :func:`graph.teams.credits` (two sparse products); after check-ins the
    refreshed projection keeps them, marks the changed rows stale, and answers what a fresh build answers."""
    from graph.generate import generate_organisation
    from graph.teams import credits

    org = generate_organisation(60, 30, 400, seed=4, requirements=6)
    proj = build_projection(org, "v0")
    top = proj.person_ids[0]
    first = team_heatmap(proj, top)
    skills_inventory(proj)
    built = credits(proj)
    assert len(built.stale) == 0 and built.credit.nnz > 0
    rng = random.Random(3)
    for step in range(12):
        person = rng.choice(sorted(org.people))
        r = int(proj.person_role[proj.person_index[person]])
        asked = [proj.comp_ids[c] for c in proj.role_requirements(r)[0].tolist()] if r >= 0 else []
        comp = rng.choice(asked or sorted(org.competencies))
        done = edits.record_assessment(org, person, comp, rng.randint(0, 5), Source.ASSESSED, AS_OF)
        proj = refresh_projection(proj, done.org, f"v{step + 1}", edit_hint(done.action, done.subject))
        org = done.org
        carried = credits(proj)
        assert carried.credit is built.credit                       # carried over, not rebuilt
        fresh = build_projection(org, "fresh")
        assert team_heatmap(proj, top) == team_heatmap(fresh, top)
        assert all(len(g.people_below) == len(tuple(g.people_below)) > 0 for g in team_heatmap(proj, top).top_gaps)
        assert skills_inventory(proj) == skills_inventory(fresh)
        assert {c.competency_id: (c.holders, c.people_assessed, c.roles_requiring, c.people_needing, c.people_below)
                for c in skills_inventory(proj)} == ref.skills_inventory(org)
        assert [(g.competency_id, g.total_deficit, g.people_below) for g in team_heatmap(proj, top).top_gaps] == \
            [(g.competency_id, g.total_deficit, g.people_below) for g in team_heatmap(fresh, top).top_gaps]
    assert len(credits(proj).stale) >= 5            # the check-ins that changed a level are read fresh
    assert [g.total_deficit for g in team_heatmap(proj, top).top_gaps] != [g.total_deficit for g in first.top_gaps]
