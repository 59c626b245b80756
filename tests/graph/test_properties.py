"""Property tests: the vectorised engine against the naive reference in ``reference.py``.

Organisations come from two sources, and every property runs on both:

* ``documents``: a hypothesis-built organisation document, small and full of edge
  cases (roles without requirements or levels, people without roles or assessments,
  several sources and equal dates for one competency, move cycles, equal weights,
  custom scale sizes);
* ``generated``: :func:`graph.generate.generate` with small sizes and a drawn seed.

Weights are multiples of 0.5, so gaps and distances are exact and ties are real.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.closeness import closest_roles
from graph.document import from_document
from graph.gaps import gap_report, gaps_to_roles
from graph.generate import generate
from graph.paths import career_paths
from graph.profiles import resolve_profile
from graph.projection import build_projection
from graph.succession import successors
from graph.thresholds import Thresholds

from tests.graph import reference as ref

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOURCES = ["SELF", "PEER", "MANAGER", "ASSESSED"]
KINDS = ["TECHNICAL", "KNOWLEDGE", "BEHAVIOURAL"]     # closeness compares knowledge and the rest apart
WEIGHTS = [0.5, 1.0, 1.0, 1.5, 2.0]
DATES = ["2025-06-01", "2026-01-15", "2026-01-15", "2026-03-31"]
AS_OF = dt.date(2026, 11, 1)


@st.composite
def documents(draw):
    """A small organisation document with many ties and edge cases."""
    top = draw(st.sampled_from([5, 5, 3, 7]))
    comps = [f"c{i}" for i in range(draw(st.integers(1, 5)))]
    levels = [{"id": f"l{i}", "rank": draw(st.integers(0, 3)), "name": f"L{i}"}
              for i in range(draw(st.integers(0, 3)))]
    n_roles = draw(st.integers(1, 6))
    role_ids = [f"r{k}" for k in draw(st.permutations(range(n_roles)))]   # id order != list order
    roles = []
    for rid in role_ids:
        reqs = draw(st.lists(st.sampled_from(comps), unique=True, max_size=len(comps)))
        roles.append({"id": rid, "title": rid.upper(),
                      "level": draw(st.sampled_from([None] + [lv["id"] for lv in levels])),
                      "requires": [{"competency": c, "level": draw(st.integers(1, top)),
                                    "weight": draw(st.sampled_from(WEIGHTS)),
                                    "essential": draw(st.booleans())} for c in reqs]})
    pair = st.tuples(st.sampled_from(role_ids), st.sampled_from(role_ids)).filter(lambda p: p[0] != p[1])
    moves = {k: [list(p) for p in draw(st.lists(pair, unique=True, max_size=8))] if n_roles > 1 else []
             for k in ("progresses_to", "can_move_to")}
    people = []
    for i in range(draw(st.integers(0, 6))):
        people.append({"id": f"p{i}", "name": f"P{i}", "role": draw(st.sampled_from([None, *role_ids])),
                       "manager": draw(st.sampled_from([None] + [p["id"] for p in people]))})
    rows = draw(st.lists(st.tuples(st.sampled_from([p["id"] for p in people] or ["-"]), st.sampled_from(comps),
                                   st.integers(0, top), st.sampled_from(SOURCES), st.sampled_from(DATES)),
                         max_size=16 if people else 0))
    ids = draw(st.permutations(range(len(rows))))   # "a10" < "a9": ids tie-break as text
    assessments = [{"id": f"a{k}", "person": p, "competency": c, "level": lv, "source": s, "at": at}
                   for k, (p, c, lv, s, at) in zip(ids, rows)]
    doc = {"framework": {"id": "f", "name": "F"},
           "competencies": [{"id": c, "name": c.upper(), "category": draw(st.sampled_from(KINDS))} for c in comps],
           "levels": levels, "roles": roles, "moves": moves, "people": people, "assessments": assessments}
    if top != 5:
        doc["scale"] = [{"level": i, "name": f"S{i}"} for i in range(1, top + 1)]
    return doc


@st.composite
def generated(draw):
    """A synthetic organisation from the engine's own generator, at small sizes."""
    return generate(roles=draw(st.integers(1, 12)), competencies=draw(st.integers(1, 8)),
                    people=draw(st.integers(0, 15)), seed=draw(st.integers(0, 2**16)))


SOURCES_OF_ORGS = {"documents": documents(), "generated": generated()}
by_source = pytest.mark.parametrize("source", sorted(SOURCES_OF_ORGS))


def draw_org(data, source):
    org = from_document(data.draw(SOURCES_OF_ORGS[source], label="document"))
    return org, build_projection(org)


def inline_levels(data, org):
    top = org.framework.max_level
    return data.draw(st.dictionaries(st.sampled_from(sorted(org.competencies)), st.integers(0, top)),
                     label="proficiencies")


def all_profiles(data, org, proj):
    """(engine Profile, reference dict, own role id, importance) for every person, every
    role and one inline profile."""
    out = []
    for pid in proj.person_ids:
        out.append((resolve_profile(proj, person_id=pid), ref.effective_levels(org, pid),
                    org.people[pid].role_id, ref.person_importance(org, pid)))
    for rid in proj.role_ids:
        out.append((resolve_profile(proj, role_id=rid), ref.role_profile(org.roles[rid]),
                    rid, ref.role_importance(org, rid)))
    levels = inline_levels(data, org)
    out.append((resolve_profile(proj, proficiencies=levels), levels, None, ref.inline_importance(org)))
    return out


def as_dict(proj, vector):
    return {c: int(vector[i]) for i, c in enumerate(proj.comp_ids) if vector[i]}


@by_source
@EXAMPLES
@given(data=st.data())
def test_effective_levels_agree(source, data):
    """Each person's effective profile is the most trusted, then most recent, assessment."""
    org, proj = draw_org(data, source)
    for pid in proj.person_ids:
        assert as_dict(proj, proj.person_levels(proj.person_index[pid])) == \
            {c: lv for c, lv in ref.effective_levels(org, pid).items() if lv}


@by_source
@EXAMPLES
@given(data=st.data())
def test_gaps_and_readiness_agree(source, data):
    """For every (profile, role): the engine's gap and readiness equal the reference's,
    gap >= 0 and readiness lies in [0, 1]."""
    org, proj = draw_org(data, source)
    for profile, levels, _, _ in all_profiles(data, org, proj):
        gaps = gaps_to_roles(proj, profile.levels)
        for r, rid in enumerate(proj.role_ids):
            role = org.roles[rid]
            assert gaps[r] == pytest.approx(ref.gap(levels, role))
            assert gaps[r] >= 0
            report = gap_report(proj, profile, rid, AS_OF)
            assert report.total_gap == pytest.approx(ref.gap(levels, role))
            assert report.readiness == pytest.approx(ref.readiness(levels, role))
            assert 0.0 <= report.readiness <= 1.0


@by_source
@EXAMPLES
@given(data=st.data())
def test_role_profile_meets_its_own_role(source, data):
    """A role's own requirements have gap 0 to it and readiness 1.0."""
    org, proj = draw_org(data, source)
    for r, rid in enumerate(proj.role_ids):
        profile = resolve_profile(proj, role_id=rid)
        assert gaps_to_roles(proj, profile.levels)[r] == 0
        assert gap_report(proj, profile, rid, AS_OF).readiness == 1.0


@by_source
@EXAMPLES
@given(data=st.data())
def test_raising_a_level_never_increases_a_gap(source, data):
    """Raising one proficiency by one level never increases the gap to any role."""
    org, proj = draw_org(data, source)
    levels = inline_levels(data, org)
    comp = data.draw(st.sampled_from(proj.comp_ids), label="raised")
    if levels.get(comp, 0) >= org.framework.max_level:
        return
    before = gaps_to_roles(proj, resolve_profile(proj, proficiencies=levels).levels)
    raised = {**levels, comp: levels.get(comp, 0) + 1}
    after = gaps_to_roles(proj, resolve_profile(proj, proficiencies=raised).levels)
    for r, rid in enumerate(proj.role_ids):
        assert after[r] <= before[r]
        assert ref.gap(raised, org.roles[rid]) <= ref.gap(levels, org.roles[rid])


@by_source
@EXAMPLES
@given(data=st.data())
def test_closest_roles_agree(source, data):
    """Closest roles for person, role and inline profiles: same order, distances and gaps."""
    org, proj = draw_org(data, source)
    for profile, levels, own, importance in all_profiles(data, org, proj):
        own_rank = ref.rank_of(org, own) if own is not None else None
        want = ref.closest_roles(org, levels, own, own_rank, importance)
        got = closest_roles(proj, profile, limit=len(proj.role_ids) + 1)
        assert [m.role_id for m in got] == [w[0] for w in want]
        for m, (_, distance, g) in zip(got, want):
            assert m.distance == pytest.approx(distance, abs=1e-6)
            assert m.gap == pytest.approx(g)
            assert 0.0 <= m.readiness <= 1.0


@by_source
@EXAMPLES
@given(data=st.data())
def test_successors_agree(source, data):
    """Succession for every role, over everyone and under a drawn manager: same order,
    gaps, readiness, buckets, bench strength and pool size."""
    org, proj = draw_org(data, source)
    pools = [(None, list(proj.person_ids))]
    if proj.person_ids:
        manager = data.draw(st.sampled_from(proj.person_ids), label="manager")
        pools.append((manager, ref.reports_of(org, manager)))
    for manager, people in pools:
        for rid in proj.role_ids:
            bench, want = ref.successors(org, rid, people)
            got = successors(proj, rid, limit=len(proj.person_ids) + 1, manager=manager)
            assert got.bench_strength == bench
            assert got.pool_size == len(want)
            assert [c.person_id for c in got.candidates] == [w[0] for w in want]
            for c, (_, g, ready, bucket) in zip(got.candidates, want):
                assert c.gap == pytest.approx(g)
                assert c.readiness == pytest.approx(ready)
                assert 0.0 <= c.readiness <= 1.0
                assert c.bucket.value == bucket


@by_source
@EXAMPLES
@given(data=st.data())
def test_career_paths(source, data):
    """Career paths to every role, from every person, one role and one inline profile:

    * the total gap is the sum of the steps' gaps, and the best one is the reference's
      cheapest (Dijkstra), or there are none exactly when the target is unreachable;
    * steps end at the target and never revisit a role (nor the own role);
    * every step is a curated move, except the first step of a profile without a role;
    * each step's gap is the reference gap from the previous role's requirements (first
      step: from the actual profile); with a max_step_gap no step exceeds it;
    * the k alternatives are distinct and come cheapest first.
    """
    org, proj = draw_org(data, source)
    moves = ref.curated_moves(org)
    cap = data.draw(st.sampled_from([None, None, 1.0, 2.5]), label="max_step_gap")
    profiles = [(p, lv, own) for p, lv, own, _ in all_profiles(data, org, proj)]
    for profile, levels, own in profiles:
        for target in proj.role_ids:
            paths = career_paths(proj, profile, target, k=3, max_step_gap=cap)
            best = ref.cheapest_path_gap(org, levels, own, target, cap)
            if own == target:      # already there: no step, the gap left is the direct gap
                assert [(p.steps, p.total_gap, p.direct_gap) for p in paths] == [((), best, best)]
                continue
            assert (best is None) == (paths == [])
            if best is not None:
                assert paths[0].total_gap == pytest.approx(best)
            totals = [p.total_gap for p in paths]
            assert totals == sorted(totals)
            assert len({tuple(s.role_id for s in p.steps) for p in paths}) == len(paths)
            for path in paths:
                roles = [s.role_id for s in path.steps]
                assert roles and roles[-1] == target
                assert len(set(roles)) == len(roles) and own not in roles
                assert path.total_gap == pytest.approx(sum(s.gap for s in path.steps))
                assert path.direct_gap == pytest.approx(ref.gap(levels, org.roles[target]))
                prev_role, prev_levels = own, levels
                for step in path.steps:
                    if prev_role is not None:
                        assert (prev_role, step.role_id) in moves
                    assert step.gap == pytest.approx(ref.gap(prev_levels, org.roles[step.role_id]))
                    assert cap is None or step.gap <= cap
                    prev_role, prev_levels = step.role_id, ref.role_profile(org.roles[step.role_id])


def test_bucket_boundaries_are_inclusive():
    """Readiness exactly 0.9 is READY_NOW and exactly 0.7 READY_SOON (random data rarely lands there)."""
    doc = {"framework": {"id": "f", "name": "F"},
           "competencies": [{"id": c, "name": c, "category": "TECHNICAL"} for c in "ab"],
           "roles": [{"id": "r", "title": "R", "requires": [{"competency": "a", "level": 5},
                                                             {"competency": "b", "level": 5}]}],
           "people": [{"id": p, "name": p} for p in ("p1", "p2")],
           "assessments": [{"id": f"x{i}", "person": p, "competency": c, "level": lv, "source": "MANAGER",
                            "at": "2026-01-15"}
                           for i, (p, c, lv) in enumerate([("p1", "a", 4), ("p1", "b", 5),
                                                           ("p2", "a", 2), ("p2", "b", 5)])]}
    org = from_document(doc)
    got = successors(build_projection(org), "r")
    assert [(c.person_id, c.readiness, c.bucket.value) for c in got.candidates] == \
        [(p, r, b) for p, _, r, b in ref.successors(org, "r", ["p1", "p2"])[1]] == \
        [("p1", 0.9, "READY_NOW"), ("p2", 0.7, "READY_SOON")]
    assert got.bench_strength == 2


# --- growth over time and what-if (issue 11) ------------------------------------------------------


@by_source
@EXAMPLES
@given(data=st.data())
def test_profiles_as_of_agree_with_the_reference(source, data):
    """As of any day, a person's profile is the reference's over the assessments made up to it;
    before every assessment it is empty."""
    import dataclasses

    from graph.history import profiles_as_of

    org, proj = draw_org(data, source)
    assert profiles_as_of(proj, dt.date(2000, 1, 1)).nnz == 0
    day = dt.date.fromisoformat(data.draw(st.sampled_from(DATES + ["2025-12-31"]), label="as of"))
    past = dataclasses.replace(org, assessments=tuple(a for a in org.assessments if a.at <= day))
    matrix = profiles_as_of(proj, day)
    for pid in proj.person_ids:
        expected = {c: lv for c, lv in ref.effective_levels(past, pid).items() if lv}
        assert as_dict(proj, matrix[[proj.person_index[pid]]].toarray()[0]) == expected
        assert as_dict(proj, resolve_profile(proj, person_id=pid, as_of=day).levels) == expected


@by_source
@EXAMPLES
@given(data=st.data())
def test_a_trend_ends_at_todays_answer(source, data):
    """The last point of a person's trend is today's gap and readiness; its levels are today's profile."""
    from graph.history import person_trend

    org, proj = draw_org(data, source)
    for pid in proj.person_ids:
        target = data.draw(st.sampled_from(proj.role_ids), label="target")
        trend = person_trend(proj, pid, target, AS_OF)
        today = gap_report(proj, resolve_profile(proj, person_id=pid), target, AS_OF)
        assert trend.days[-1] == AS_OF
        assert (trend.points[-1].gap, trend.points[-1].readiness, trend.points[-1].verdict) == \
            (today.total_gap, today.readiness, today.verdict)
        row = proj.person_levels(proj.person_index[pid])
        assert all(s.levels[-1] == int(row[proj.comp_index[s.competency_id]]) for s in trend.competencies)


@by_source
@EXAMPLES
@given(data=st.data())
def test_what_if_never_lowers_readiness(source, data):
    """No raise changes nothing; a raise never lowers any role's readiness, and every role it changes is listed."""
    from graph.whatif import standings, what_if

    org, proj = draw_org(data, source)
    top = org.framework.max_level
    raises = data.draw(st.dictionaries(st.sampled_from(sorted(org.competencies)), st.integers(1, top)), label="raise")
    for profile, _, _, _ in all_profiles(data, org, proj):
        assert what_if(proj, profile, {}) == []
        changes = what_if(proj, profile, raises, limit=len(proj.role_ids))
        assert all(c.after.readiness >= c.before.readiness and c.after.gap <= c.before.gap for c in changes)
        raised = profile.levels.copy()
        for cid, lv in raises.items():
            raised[proj.comp_index[cid]] = max(raised[proj.comp_index[cid]], lv)
        g0, r0, _ = standings(proj, profile.levels, Thresholds())
        g1, r1, _ = standings(proj, raised, Thresholds())
        moved = {proj.role_ids[i] for i in range(len(proj.role_ids)) if r1[i] != r0[i]}
        assert moved <= {c.role_id for c in changes}


@by_source
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_career_paths_are_the_networkx_ones(source, data):
    """The CSR search (issue 15) gives exactly the networkx search's paths, order and ties included (the
    code it replaced, ``reference_paths.py``), from every profile to every role, k = 2, with a step cap drawn."""
    from tests.graph import reference_paths

    org, proj = draw_org(data, source)
    cap = data.draw(st.sampled_from([None, 1.0, 2.5]), label="max_step_gap")
    for profile, _, _, _ in all_profiles(data, org, proj):
        for target in proj.role_ids:
            got = career_paths(proj, profile, target, k=2, max_step_gap=cap)
            want = reference_paths.career_paths(proj, profile, target, k=2, max_step_gap=cap)
            assert [(tuple((s.role_id, s.gap) for s in p.steps), p.total_gap, p.direct_gap) for p in got] == \
                [(tuple((s.role_id, s.gap) for s in p.steps), p.total_gap, p.direct_gap) for p in want]


@by_source
@EXAMPLES
@given(data=st.data())
def test_skills_inventory_matches_the_reference(data, source):
    from graph.inventory import skills_inventory

    org, proj = draw_org(data, source)
    for family in (None, *sorted(org.families)):
        want = ref.skills_inventory(org, family)
        got = {c.competency_id: (c.holders, c.people_assessed, c.roles_requiring, c.people_needing, c.people_below)
               for c in skills_inventory(proj, family)}
        assert got == want


@by_source
@EXAMPLES
@given(data=st.data())
def test_team_heatmap_matches_the_reference(data, source):
    from graph.teams import team_heatmap

    org, proj = draw_org(data, source)
    for manager in proj.person_ids:
        heat = team_heatmap(proj, manager)
        cells, gaps = ref.team_heatmap(org, manager)
        assert sorted((c.person_id, c.competency_id, c.required, c.current, c.deficit, c.weight)
                      for c in heat.cells) == cells
        assert [(g.competency_id, g.total_deficit, sorted(g.people_below)) for g in heat.top_gaps] == gaps
        assert sorted(heat.people) == ref.reports_of(org, manager)
