"""Every semantic of DESIGN.md on the tiny organisation, against hand-computed values.

Profiles (effective levels): ana a=3 (MANAGER beats a newer SELF 4), b=2 (SELF only),
c=2 (MANAGER, stale), d=0; ben a=2 (ASSESSED beats PEER); cy and boss: nothing.
"""

from __future__ import annotations

import math
from statistics import correlation

import pytest

from graph.closeness import Direction, closest_roles, role_shapes
from graph.errors import BadInput, NotFound
from graph.gaps import Status, Verdict, gap_report
from graph.inventory import skills_inventory
from graph.learn import learn_next
from graph.paths import career_paths
from graph.plans import development_plan
from graph.profiles import EvidenceStatus, resolve_profile
from graph.document import from_document
from graph.projection import Projection, build_projection
from graph.succession import Bucket, successors
from graph.teams import team_heatmap

from .conftest import AS_OF


def person(proj: Projection, pid: str):  # type: ignore[no-untyped-def]
    return resolve_profile(proj, person_id=pid)


def levels(proj: Projection, pid: str) -> dict[str, int]:
    prof = person(proj, pid)
    return {c: int(prof.levels[i]) for i, c in enumerate(proj.comp_ids)}


def test_effective_proficiency_takes_most_trusted_then_most_recent(tiny: Projection) -> None:
    assert levels(tiny, "ana") == {"a": 3, "b": 2, "c": 2, "d": 0}
    assert levels(tiny, "ben") == {"a": 2, "b": 0, "c": 0, "d": 0}
    assert levels(tiny, "cy") == {"a": 0, "b": 0, "c": 0, "d": 0}


def test_gap_report_items_status_evidence_and_indicators(tiny: Projection) -> None:
    rep = gap_report(tiny, person(tiny, "ana"), "senior", AS_OF)
    # 2*(4-3) + 1*(3-2) + 1*0 = 3 of 2*4 + 3 + 2 = 13
    assert rep.total_gap == 3
    assert rep.readiness == pytest.approx(10 / 13)
    assert rep.verdict is Verdict.UPSKILL
    items = {i.competency_id: i for i in rep.items}
    assert [i.competency_id for i in rep.items] == ["a", "b", "c"]   # biggest weighted deficit first
    a, b, c = items["a"], items["b"], items["c"]
    assert (a.required, a.current, a.deficit, a.weight, a.essential) == (4, 3, 1, 2.0, True)
    assert (a.status, a.evidence) == (Status.BELOW, EvidenceStatus.VERIFIED)
    assert [i.text for i in a.indicators] == ["a4", "a4 bis"]
    assert (b.status, b.evidence, [i.text for i in b.indicators]) == (Status.BELOW, EvidenceStatus.SELF_ONLY, ["b3"])
    assert (c.status, c.evidence, c.deficit) == (Status.MET, EvidenceStatus.STALE, 0)
    assert c.proof_gap and not a.proof_gap
    # From another role's requirements: met levels are not "met only on paper" (a role proves nothing, claims nothing)
    from_mid = {i.competency_id: i for i in gap_report(tiny, resolve_profile(tiny, role_id="mid"), "junior", AS_OF).items}
    assert {i.evidence for i in from_mid.values()} == {EvidenceStatus.NONE}
    assert [i.deficit for i in from_mid.values()] == [0, 0] and not any(i.proof_gap for i in from_mid.values())
    # Typed-in levels are self-reported by nature: SELF_ONLY evidence, but no proof gap on every met row
    typed = gap_report(tiny, resolve_profile(tiny, proficiencies={"a": 2, "b": 1}), "junior", AS_OF).items
    assert {i.evidence for i in typed} == {EvidenceStatus.SELF_ONLY} and not any(i.proof_gap for i in typed)


def test_missing_exceeds_and_reskill(tiny: Projection) -> None:
    rep = gap_report(tiny, person(tiny, "ana"), "lead", AS_OF)
    # b 1*(3-2) + c 2*(3-2) + d 1*(2-0) = 5 of 3 + 6 + 2 = 11
    assert rep.total_gap == 5 and rep.readiness == pytest.approx(6 / 11)
    assert rep.verdict is Verdict.RESKILL
    assert {i.competency_id: i.status for i in rep.items}["d"] is Status.MISSING
    exceeds = gap_report(tiny, person(tiny, "ana"), "junior", AS_OF)
    assert exceeds.verdict is Verdict.READY
    assert {i.competency_id: i.status for i in exceeds.items} == {"a": Status.EXCEEDS, "b": Status.EXCEEDS}


def test_essential_deficit_above_one_level_is_reskill(tiny: Projection) -> None:
    prof = resolve_profile(tiny, proficiencies={"a": 2, "b": 3, "c": 2})
    rep = gap_report(tiny, prof, "senior", AS_OF)
    # a short by 2 (essential): 4 of 13, readiness 0.69 < 0.7 anyway; make it clear with the rule alone
    assert rep.total_gap == 4 and rep.verdict is Verdict.RESKILL
    prof = resolve_profile(tiny, proficiencies={"a": 3, "b": 3, "c": 2})
    assert gap_report(tiny, prof, "senior", AS_OF).verdict is Verdict.UPSKILL


def test_role_with_no_requirements(tiny: Projection) -> None:
    rep = gap_report(tiny, person(tiny, "cy"), "empty", AS_OF)
    assert (rep.total_gap, rep.readiness, rep.verdict, rep.items) == (0.0, 1.0, Verdict.READY, ())


def test_person_with_no_assessments(tiny: Projection) -> None:
    rep = gap_report(tiny, person(tiny, "cy"), "mid", AS_OF)
    assert rep.total_gap == 8 and rep.readiness == 0.0 and rep.verdict is Verdict.RESKILL
    assert {(i.status, i.evidence) for i in rep.items} == {(Status.MISSING, EvidenceStatus.NONE)}


def test_inline_and_role_profiles(tiny: Projection) -> None:
    inline = resolve_profile(tiny, proficiencies={"a": 3})
    evidence = {i.competency_id: i.evidence for i in gap_report(tiny, inline, "mid", AS_OF).items}
    assert evidence == {"a": EvidenceStatus.SELF_ONLY, "b": EvidenceStatus.NONE}
    own = resolve_profile(tiny, role_id="senior")
    assert gap_report(tiny, own, "senior", AS_OF).total_gap == 0


@pytest.mark.parametrize("kwargs, error", [
    ({}, BadInput),
    ({"person_id": "ana", "role_id": "mid"}, BadInput),
    ({"person_id": "nobody"}, NotFound),
    ({"role_id": "nothing"}, NotFound),
    ({"proficiencies": {"zzz": 1}}, NotFound),
    ({"proficiencies": {"a": 6}}, BadInput),
    ({"proficiencies": {"a": -1}}, BadInput),
])
def test_bad_profiles(tiny: Projection, kwargs: dict, error: type) -> None:  # type: ignore[type-arg]
    with pytest.raises(error):
        resolve_profile(tiny, **kwargs)


def test_closest_roles_two_sided_distance_and_stable_ties(tiny: Projection) -> None:
    # distance = 0.25 * amount + 0.75 * emphasis + 0.02 * |level delta|; emphasis = (1 - r) / 2 with r Pearson's
    # correlation of i*p and w*L over a, b, c, d (all skills: one kind). Specificity log(1 + 6 roles / roles asking):
    A, B, C = math.log(3), math.log(2.5), math.log(4)     # a: 3 roles, b: 4, c and d: 2 each
    # ana: levels a3 b2 c2, importance (her role mid's weights) a2 b1 c1 d1: own i*p = a6 b2 c2 d0.
    own, mine = 6 * A + 2 * B + 2 * C, [6, 2, 2, 0]

    def distance(amount: float, role: list[float], levels_apart: int) -> float:
        return 0.25 * amount + 0.75 * (1 - correlation(mine, role)) / 2 + 0.02 * levels_apart

    # senior a4 w2, b3, c2 (w*L 8, 3, 2, 0): deficits a 2*1, b 1; nothing unused.
    senior = distance((2 * A + B) / (8 * A + 3 * B + 2 * C + own / 2), [8, 3, 2, 0], 1)
    # junior a2, b1: no deficit; unused a 6-2, b 2-1, c 2.
    junior = distance(0.5 * (4 * A + B + 2 * C) / (2 * A + B + own / 2), [2, 1, 0, 0], 1)
    # lead b3, c3 w2, d2: deficits b 1, c 2*1, d 2 (c and d share C); unused a 6.
    lead = distance((B + 4 * C + 0.5 * 6 * A) / (3 * B + 8 * C + own / 2), [0, 3, 6, 2], 1)
    # island d1: deficit d 1, everything she has unused: amount (C + own/2) / (C + own/2) = 1.
    island = distance(1.0, [0, 0, 0, 1], 0)
    got = [(m.role_id, m.distance, m.gap) for m in closest_roles(tiny, person(tiny, "ana"))]
    assert got == [
        ("senior", round(senior, 6), 3.0),
        ("junior", round(junior, 6), 0.0),
        ("lead", round(lead, 6), 5.0),
        ("island", round(island, 6), 1.0),
        ("empty", 1.02, 0.0),                         # requires nothing: amount 1, emphasis 1, +1 level
    ]                                                 # mid, her own role, is left out
    assert senior < junior < lead < island < 1
    nothing = resolve_profile(tiny, proficiencies={})    # amount 1 and r 0 for every role that requires something
    assert [(m.role_id, m.distance) for m in closest_roles(tiny, nothing)] == [
        ("island", 0.625), ("junior", 0.625), ("lead", 0.625), ("mid", 0.625), ("senior", 0.625), ("empty", 0.75)]
    me = resolve_profile(tiny, proficiencies={"d": 1, "b": 1})   # importance 1: own = B + C, i*p = 0, 1, 0, 1
    island_me = 0.25 * 0.5 * B / (C + (B + C) / 2) + 0.75 * (1 - correlation([0, 1, 0, 1], [0, 0, 0, 1])) / 2
    lead_me = (0.25 * (2 * B + 7 * C) / (3 * B + 8 * C + (B + C) / 2)    # deficits b 2, c 2*3, d 1; nothing unused
               + 0.75 * (1 - correlation([0, 1, 0, 1], [0, 3, 6, 2])) / 2)     # no own level
    junior_me = (0.25 * (2 * A + 0.5 * C) / (2 * A + B + (B + C) / 2)           # deficit a 2*1 (a: 2A), unused d
                 + 0.75 * (1 - correlation([0, 1, 0, 1], [2, 1, 0, 0])) / 2)
    assert [(m.role_id, m.distance) for m in closest_roles(tiny, me, limit=3)] == [
        ("island", round(island_me, 6)), ("lead", round(lead_me, 6)), ("junior", round(junior_me, 6))]


def test_closest_roles_compare_skills_and_knowledge_apart() -> None:
    # Two kinds: skills s1 s2 s3 and knowledge k1 k2 k3. r = (r_skills + r_knowledge) / 2.
    doc = {"framework": {"id": "f", "name": "F"},
           "competencies": [{"id": c, "name": c, "category": "TECHNICAL"} for c in ("s1", "s2", "s3")]
           + [{"id": c, "name": c, "category": "KNOWLEDGE"} for c in ("k1", "k2", "k3")],
           "roles": [{"id": "same-field", "title": "F", "requires": [
                         {"competency": "s1", "level": 2}, {"competency": "k1", "level": 4}]},
                     {"id": "other-field", "title": "O", "requires": [
                         {"competency": "s1", "level": 2}, {"competency": "k2", "level": 4}]},
                     {"id": "skills-only", "title": "S", "requires": [
                         {"competency": "s1", "level": 3}, {"competency": "s2", "level": 1}]}]}
    proj = build_projection(from_document(doc))
    me = resolve_profile(proj, proficiencies={"s1": 2, "s2": 1, "k1": 3})
    assert role_shapes(proj).kind.tolist() == [1, 1, 1, 0, 0, 0]            # ids sorted: k1 k2 k3 s1 s2 s3
    mine_s, mine_k = [2, 1, 0], [3, 0, 0]
    r = {"same-field": (correlation(mine_s, [2, 0, 0]) + correlation(mine_k, [4, 0, 0])) / 2,
         "other-field": (correlation(mine_s, [2, 0, 0]) + correlation(mine_k, [0, 4, 0])) / 2,
         "skills-only": (correlation(mine_s, [3, 1, 0]) + 0.0) / 2}    # no knowledge asked: nothing to compare
    u = {c: math.log(1 + 3 / n) for c, n in {"s1": 3, "s2": 1, "k1": 1, "k2": 1, "s3": 1, "k3": 1}.items()}
    amount = {"same-field": (u["k1"] * 1 + 0.5 * u["s2"]) / (2 * u["s1"] + 4 * u["k1"] + 0.5 * (2 * u["s1"] + u["s2"] + 3 * u["k1"])),
              "other-field": (u["k2"] * 4 + 0.5 * (u["s2"] + 3 * u["k1"])) / (2 * u["s1"] + 4 * u["k2"] + 0.5 * (2 * u["s1"] + u["s2"] + 3 * u["k1"])),
              "skills-only": (u["s1"] + 0.5 * 3 * u["k1"]) / (3 * u["s1"] + u["s2"] + 0.5 * (2 * u["s1"] + u["s2"] + 3 * u["k1"]))}
    want = sorted((0.25 * amount[k] + 0.75 * (1 - r[k]) / 2, k) for k in r)
    assert [(m.role_id, m.distance) for m in closest_roles(proj, me)] == [(k, round(d, 6)) for d, k in want]
    assert [k for _, k in want][0] == "same-field" and [k for _, k in want][-1] == "other-field"


def test_closest_roles_filters(tiny: Projection) -> None:
    ana = person(tiny, "ana")
    assert [m.role_id for m in closest_roles(tiny, ana, direction=Direction.UP)] == ["senior", "lead"]
    assert [m.role_id for m in closest_roles(tiny, ana, direction=Direction.LATERAL)] == ["island"]
    assert [m.role_id for m in closest_roles(tiny, ana, family="eng")] == ["senior", "junior"]
    assert [m.role_id for m in closest_roles(tiny, ana, max_level_delta=0)] == ["island"]
    assert [m.role_id for m in closest_roles(tiny, ana, limit=2)] == ["senior", "junior"]
    with pytest.raises(BadInput):
        closest_roles(tiny, resolve_profile(tiny, proficiencies={"a": 1}), direction=Direction.UP)
    with pytest.raises(NotFound):
        closest_roles(tiny, ana, family="nope")


def test_career_paths_k_alternatives(tiny: Projection) -> None:
    # First steps from ana's profile: senior 3, lead 5; senior -> lead costs 4 (role to role).
    paths = career_paths(tiny, person(tiny, "ana"), "lead", k=3)
    got = [([s.role_id for s in p.steps], [s.gap for s in p.steps], p.total_gap) for p in paths]
    assert got == [(["lead"], [5.0], 5.0), (["senior", "lead"], [3.0, 4.0], 7.0)]
    assert {p.direct_gap for p in paths} == {5.0}


def test_career_paths_caps(tiny: Projection) -> None:
    ana = person(tiny, "ana")
    assert [[s.role_id for s in p.steps] for p in career_paths(tiny, ana, "lead", k=2, max_steps=1)] == [["lead"]]
    capped = career_paths(tiny, ana, "lead", k=2, max_step_gap=4)
    assert [[s.role_id for s in p.steps] for p in capped] == [["senior", "lead"]]


def test_career_paths_cycle_never_revisits(tiny: Projection) -> None:
    # senior <-> lead is a cycle: lead -> senior costs 8 (role to role).
    paths = career_paths(tiny, person(tiny, "ana"), "senior", k=5)
    assert [([s.role_id for s in p.steps], p.total_gap) for p in paths] == [(["senior"], 3.0),
                                                                             (["lead", "senior"], 13.0)]


def test_unreachable_target_is_an_empty_answer(tiny: Projection) -> None:
    assert career_paths(tiny, person(tiny, "ana"), "island") == []
    home = career_paths(tiny, person(tiny, "cy"), "mid")      # cy holds mid with no assessments: gap 8
    assert [(p.steps, p.total_gap, p.direct_gap) for p in home] == [((), 8.0, 8.0)]
    assert career_paths(tiny, person(tiny, "ana"), "junior") == []


def test_inline_profile_climbs_under_a_step_cap(tiny: Projection) -> None:
    me = resolve_profile(tiny, proficiencies={"a": 2, "b": 1})
    [direct] = career_paths(tiny, me, "senior")
    assert [s.role_id for s in direct.steps] == ["senior"] and direct.total_gap == 8
    [capped] = career_paths(tiny, me, "senior", max_step_gap=5)
    assert capped.total_gap == 8 and capped.steps[-1].role_id == "senior"
    assert all(s.gap <= 5 for s in capped.steps) and len(capped.steps) >= 2
    assert career_paths(tiny, me, "senior", max_step_gap=4) == []


def test_already_in_target_role(tiny: Projection) -> None:
    [path] = career_paths(tiny, person(tiny, "ana"), "mid")
    assert path.steps == () and path.total_gap == 0


def test_successors_buckets_and_ties(tiny: Projection) -> None:
    rep = successors(tiny, "senior")
    got = [(c.person_id, c.gap, round(c.readiness, 4), c.bucket) for c in rep.candidates]
    assert got == [("ana", 3.0, 0.7692, Bucket.READY_SOON), ("ben", 9.0, 0.3077, Bucket.READY_LATER),
                   ("boss", 13.0, 0.0, Bucket.READY_LATER), ("cy", 13.0, 0.0, Bucket.READY_LATER)]
    assert rep.bench_strength == 1 and rep.pool_size == 4


def test_successors_scope_and_holders(tiny: Projection) -> None:
    scoped = successors(tiny, "senior", manager="ana")
    assert [c.person_id for c in scoped.candidates] == ["ben", "cy"] and scoped.bench_strength == 0
    mid = successors(tiny, "mid")          # ana and cy hold it already; boss (lead, level 3) is above it
    assert [(c.person_id, c.gap, c.readiness) for c in mid.candidates] == [("ben", 4.0, 0.5)]
    assert len(successors(tiny, "senior", limit=1).candidates) == 1
    assert successors(tiny, "senior", limit=1).bench_strength == 1


def test_development_plan_cheapest_chain_lower_levels_first(tiny: Projection) -> None:
    plan = development_plan(tiny, person(tiny, "ana"), "senior")
    # a 3->4: r-a1 (2->4, taken at 3) 12h beats r-a2 20h; b 2->3: r-bc 5h beats r-b 8h
    assert [(i.resource_id, i.competency_id, i.from_level, i.to_level) for i in plan.items] == [
        ("r-bc", "b", 2, 3), ("r-a1", "a", 3, 4)]
    assert plan.total_hours == 17 and plan.uncovered == ()
    assert [i.text for i in plan.items[1].indicators] == ["a4", "a4 bis"]


def test_development_plan_shared_resource_and_uncovered(tiny: Projection) -> None:
    plan = development_plan(tiny, person(tiny, "ana"), "lead")
    assert [(i.resource_id, i.competency_id) for i in plan.items] == [("r-bc", "b"), ("r-bc", "c")]
    assert plan.total_hours == 5
    assert [(u.competency_id, u.from_level, u.to_level) for u in plan.uncovered] == [("d", 0, 2)]


def test_learn_next_for_a_target(tiny: Projection) -> None:
    steps = learn_next(tiny, person(tiny, "ana"), target="senior")
    assert [(s.competency_id, s.from_level, s.to_level, s.gap_reduction) for s in steps] == [
        ("a", 3, 4, 2.0), ("b", 2, 3, 1.0)]
    assert steps[0].ready_roles == () and "closes 2 of your 3 gap to Senior" in steps[0].reason


def test_learn_next_ranks_by_what_it_unlocks(tiny: Projection) -> None:
    steps = learn_next(tiny, person(tiny, "ana"))
    # d 0->1 makes island READY; then readiness gains c 2/11 > b 1/13 + 1/11 > a 2/13
    assert [s.competency_id for s in steps] == ["d", "c", "b", "a"]
    assert steps[0].ready_roles == ("island",) and steps[0].improved_roles == ("island", "lead")
    assert steps[1].readiness_gain == pytest.approx(2 / 11)
    assert "makes you ready for Island" in steps[0].reason


def test_team_heatmap(tiny: Projection) -> None:
    direct = team_heatmap(tiny, "boss", depth=1)
    assert direct.people == ("ana",)
    everyone = team_heatmap(tiny, "boss")
    assert everyone.people == ("ana", "ben", "cy")
    cells = {(c.person_id, c.competency_id): (c.required, c.current, c.deficit) for c in everyone.cells}
    assert cells[("cy", "a")] == (3, 0, 3) and cells[("ben", "b")] == (1, 0, 1) and cells[("ana", "a")] == (3, 3, 0)
    assert [(g.competency_id, g.total_deficit, g.people_below) for g in everyone.top_gaps] == [
        ("a", 6.0, ("cy",)), ("b", 3.0, ("ben", "cy"))]
    with pytest.raises(BadInput):
        team_heatmap(tiny, "boss", depth=0)


def test_skills_inventory(tiny: Projection) -> None:
    inv = {c.competency_id: c for c in skills_inventory(tiny)}
    a = inv["a"]
    assert (a.holders, a.people_assessed, a.roles_requiring, a.people_needing, a.people_below) == (
        (0, 1, 1, 0, 0), 2, 3, 3, 1)
    ops = {c.competency_id: c for c in skills_inventory(tiny, family="ops")}
    assert ops["d"].roles_requiring == 2 and ops["a"].roles_requiring == 0
    assert ops["c"].holders == (0, 0, 0, 0, 0)      # boss (lead) has no assessments


def test_typed_in_levels_held_in_a_current_role(tiny: Projection) -> None:
    # ana's levels typed in, held in her role: the same answers as for ana herself.
    me = resolve_profile(tiny, proficiencies={"a": 3, "b": 2, "c": 2}, current_role="mid")
    ana = person(tiny, "ana")
    assert [(m.role_id, m.distance) for m in closest_roles(tiny, me)] == \
        [(m.role_id, m.distance) for m in closest_roles(tiny, ana)]
    assert [[s.role_id for s in p.steps] for p in career_paths(tiny, me, "lead", k=2)] == [["lead"], ["senior", "lead"]]
    assert [m.role_id for m in closest_roles(tiny, me, direction=Direction.UP)] == ["senior", "lead"]
    with pytest.raises(BadInput):
        resolve_profile(tiny, person_id="ana", current_role="mid")
    with pytest.raises(NotFound):
        resolve_profile(tiny, proficiencies={"a": 1}, current_role="astronaut")


def test_reported_gaps_carry_no_float_noise() -> None:
    """0.1 + 0.2 is 0.30000000000000004 in floats; a gap of those weights reads 0.3 everywhere."""
    from graph.document import from_document
    from graph.projection import build_projection
    org = from_document({"framework": {"id": "f", "name": "F"},
                         "competencies": [{"id": c, "name": c, "category": "TECHNICAL"} for c in "ab"],
                         "roles": [{"id": "r", "title": "R", "requires": [
                             {"competency": "a", "level": 1, "weight": 0.1},
                             {"competency": "b", "level": 1, "weight": 0.2}]}]})
    proj = build_projection(org)
    nobody = resolve_profile(proj, proficiencies={})
    assert 0.1 + 0.2 != 0.3
    assert [m.gap for m in closest_roles(proj, nobody)] == [0.3]
    assert gap_report(proj, nobody, "r", AS_OF).total_gap == 0.3
    assert career_paths(proj, nobody, "r")[0].total_gap == 0.3


def test_gaps_to_roles_reads_only_held_competencies_and_equals_the_per_entry_sum() -> None:
    """``max_gap - Σ w·min(L, p)`` over held competencies equals ``Σ w·max(0, L - p)`` over every entry,
    for people, role profiles, random and empty profiles; odd weights included (9-decimal rounding)."""
    import numpy as np

    from graph.gaps import as_reported, by_competency, deficits, gaps_to_roles
    from graph.generate import generate_organisation

    org = generate_organisation(300, 40, 200, seed=5, requirements=8)
    proj = build_projection(org)
    rng = np.random.default_rng(2)
    proj.weight.data[:] = rng.choice([0.1, 0.3, 1.88, 2.0, 0.7], size=proj.weight.nnz)
    proj.max_gap[:] = np.asarray(proj.required.multiply(proj.weight).sum(axis=1)).ravel()

    def per_entry(levels: np.ndarray) -> np.ndarray:
        w = deficits(proj.required.data, levels[proj.required.indices]) * proj.weight.data
        return as_reported(np.bincount(proj.nnz_role, weights=w, minlength=len(proj.role_ids)))

    profiles = [np.asarray(proj.person_levels(i), dtype=float) for i in range(50)]
    profiles += [proj.role_vector(r) for r in range(20)]
    profiles += [rng.integers(0, 6, len(proj.comp_ids)) * (rng.random(len(proj.comp_ids)) < 0.3) for _ in range(30)]
    profiles += [np.zeros(len(proj.comp_ids)), np.full(len(proj.comp_ids), 5.0)]
    for levels in profiles:
        levels = np.asarray(levels, dtype=float)
        got = gaps_to_roles(proj, levels)
        np.testing.assert_allclose(got, per_entry(levels), rtol=0, atol=1e-8)
        assert (got >= 0).all() and not np.signbit(got).any()
    assert np.array_equal(gaps_to_roles(proj, np.zeros(len(proj.comp_ids))), as_reported(proj.max_gap))
    b = by_competency(proj)
    assert b is by_competency(proj) and int(b.indptr[-1]) == proj.required.nnz
    for c in range(len(proj.comp_ids)):
        roles = b.role[b.indptr[c]:b.indptr[c + 1]]
        assert roles.tolist() == sorted(np.flatnonzero(proj.required[:, c].toarray().ravel()).tolist())


def test_heatmap_pages_read_only_their_people_and_equal_slices_of_every_cell() -> None:
    """A page of cells (``cells_between``) on a fresh heatmap builds only the people it covers; it equals the
    same slice of every cell, at the edges of people too, for today's levels and for levels as of a day."""
    import datetime as dt
    import random

    from graph.generate import generate_organisation
    from graph.history import profiles_as_of

    proj = build_projection(generate_organisation(40, 20, 300, seed=8, requirements=5))
    top = proj.person_ids[0]
    rng = random.Random(1)
    for profiles in (None, profiles_as_of(proj, dt.date(2025, 6, 1))):
        every = team_heatmap(proj, top, profiles=profiles).cells
        assert len(every) == team_heatmap(proj, top, profiles=profiles).cell_count > 500
        bounds = [(0, 1), (0, 7), (4, 5), (len(every) - 3, len(every) + 10), (len(every), len(every) + 1), (-5, 3)]
        bounds += [(a, a + rng.randint(1, 60)) for a in (rng.randrange(len(every)) for _ in range(40))]
        for start, stop in bounds:
            page = team_heatmap(proj, top, profiles=profiles)
            assert page.cells_between(start, stop) == every[max(start, 0):max(stop, 0)]
            assert "grid" not in page.__dict__
