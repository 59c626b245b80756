"""Career paths over the CSR step matrix (graph/paths.py) against the networkx search they replaced
(``tests/graph/reference_paths.py``, the code as it was before issue 15): the same paths, in the same
order (ties included), with the same gaps, on many random organisations; and a few small cases by hand."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.document import from_document
from graph.errors import BadInput, NotFound
from graph.generate import generate, generate_organisation
from graph import paths as module
from graph.paths import career_paths, step_graph, step_matrix
from graph.profiles import resolve_profile
from graph.projection import build_projection
from graph.thresholds import Thresholds

from tests.graph import reference_paths as old

EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEIGHTS = [0.5, 1.0, 1.0, 2.0, 0.1, 0.7, 1.88]     # halves tie exactly; 0.1, 0.7, 1.88 sum inexactly


def as_tuples(paths):
    return [(tuple((s.role_id, s.gap) for s in p.steps), p.total_gap, p.direct_gap) for p in paths]


@st.composite
def dense_documents(draw):
    """Up to 10 roles on up to 4 levels, many moves (cycles, both kinds), few competencies: many ties."""
    comps = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    levels = [{"id": f"l{i}", "rank": i, "name": f"L{i}"} for i in range(draw(st.integers(0, 4)))]
    role_ids = [f"r{k}" for k in draw(st.permutations(range(draw(st.integers(1, 10)))))]
    roles = [{"id": rid, "title": rid.upper(), "level": draw(st.sampled_from([None] + [lv["id"] for lv in levels])),
              "requires": [{"competency": c, "level": draw(st.integers(1, 5)), "weight": draw(st.sampled_from(WEIGHTS))}
                           for c in draw(st.lists(st.sampled_from(comps), unique=True))]}
             for rid in role_ids]
    pair = st.tuples(st.sampled_from(role_ids), st.sampled_from(role_ids)).filter(lambda p: p[0] != p[1])
    moves = {k: [list(p) for p in draw(st.lists(pair, unique=True, max_size=30))] if len(role_ids) > 1 else []
             for k in ("progresses_to", "can_move_to")}
    people = [{"id": f"p{i}", "name": f"P{i}", "role": draw(st.sampled_from([None, *role_ids]))}
              for i in range(draw(st.integers(0, 3)))]
    assessments = [{"id": f"a{i}", "person": p["id"], "competency": c, "level": draw(st.integers(0, 5)),
                    "source": "MANAGER", "at": "2026-01-15"}
                   for i, (p, c) in enumerate((p, c) for p in people for c in comps if draw(st.booleans()))]
    return {"framework": {"id": "f", "name": "F"},
            "competencies": [{"id": c, "name": c.upper(), "category": "TECHNICAL"} for c in comps],
            "levels": levels, "roles": roles, "moves": moves, "people": people, "assessments": assessments}


@st.composite
def generated(draw):
    """The engine's generators: the document one (small) and the vectorised one (up to 30 roles)."""
    seed = draw(st.integers(0, 2**16))
    if draw(st.booleans()):
        return from_document(generate(roles=draw(st.integers(1, 30)), competencies=draw(st.integers(1, 10)),
                                      people=draw(st.integers(0, 10)), seed=seed))
    return generate_organisation(roles=draw(st.integers(2, 30)), competencies=draw(st.integers(2, 30)),
                                 people=draw(st.integers(0, 10)), seed=seed,
                                 requirements=draw(st.integers(1, 8)))


ORGS = {"dense": dense_documents().map(from_document), "generated": generated()}


@pytest.mark.parametrize("source", sorted(ORGS))
@EXAMPLES
@given(data=st.data())
def test_same_paths_as_networkx(source, data):
    """For persons, roles and typed-in profiles, k = 1..4, with and without inferred moves, max_steps and
    max_step_gap: exactly the networkx search's answers (paths, their order, gaps, direct gaps). A typed-in
    profile's first steps are sorted a few at a time (``_SORTED_FIRST``, drawn small here)."""
    org = data.draw(ORGS[source], label="organisation")
    proj = build_projection(org)
    t = Thresholds(infer_moves_gap=data.draw(st.sampled_from([None, None, 0.0, 1.5, 3.0]), label="infer"))
    comps = sorted(org.competencies)
    profiles = [resolve_profile(proj, person_id=p) for p in proj.person_ids[:3]]
    profiles += [resolve_profile(proj, role_id=r) for r in data.draw(st.lists(st.sampled_from(proj.role_ids),
                                                                             max_size=2), label="roles")]
    for _ in range(2):
        levels = data.draw(st.dictionaries(st.sampled_from(comps), st.integers(0, 5)), label="typed in")
        profiles.append(resolve_profile(proj, proficiencies=levels))
    targets = data.draw(st.lists(st.sampled_from(proj.role_ids), min_size=1, max_size=4), label="targets")
    for profile in profiles:
        for target in targets:
            k = data.draw(st.integers(1, 4), label="k")
            steps = data.draw(st.sampled_from([None, None, 1, 2, 3]), label="max_steps")
            cap = data.draw(st.sampled_from([None, None, 0.0, 1.0, 2.5, 4.0]), label="max_step_gap")
            few = data.draw(st.sampled_from([1, 2, 3, 256]), label="sorted up front")
            kept, module._SORTED_FIRST = module._SORTED_FIRST, few     # typed in: the rest sorted later
            try:
                got = career_paths(proj, profile, target, k, steps, cap, t)
            finally:
                module._SORTED_FIRST = kept
            want = old.career_paths(proj, profile, target, k, steps, cap, t)
            assert as_tuples(got) == as_tuples(want), (profile.role, target, k, steps, cap, t)


@given(seed=st.integers(0, 2**16), infer=st.sampled_from([None, 3.0]))
@settings(max_examples=10, deadline=None)
def test_step_matrix_is_the_old_step_graph(seed, infer):
    """The weighed moves, and the networkx view built from them, are the old step graph edge for edge
    (weights, curated flags, and the order networkx iterates successors and predecessors in)."""
    proj = build_projection(generate_organisation(roles=60, competencies=20, people=0, seed=seed, requirements=6))
    t = Thresholds(infer_moves_gap=infer)
    want = old.step_graph(proj, t)
    got = step_graph(proj, t)
    assert list(got.edges(data=True)) == list(want.edges(data=True))
    assert all(list(got.pred[v]) == list(want.pred[v]) for v in proj.role_ids)
    m = step_matrix(proj, t)
    assert m.edges == want.number_of_edges() - len(proj.role_ids)     # the virtual start's are not moves
    rows, cols = m.matrix.nonzero()
    dense = m.matrix.toarray()
    for u, v, d in want.edges(data=True):
        if u in proj.role_index:
            assert dense[proj.role_index[u], proj.role_index[v]] == d["weight"]


def tie_org(extra_moves=()):
    """a → b → d and a → c → d, both 2 + 2 (b and c ask the same), a → d direct at 5; e is an island.

    From the role a (a's requirements as the profile): the gaps are a→b 2, a→c 2, b→d 2, c→d 2,
    a→d 5 (d asks x at 4 and y at 2, w=1; a holds x at 1)."""
    doc = {"framework": {"id": "f", "name": "F"},
           "competencies": [{"id": c, "name": c, "category": "TECHNICAL"} for c in ("x", "y")],
           "roles": [{"id": "a", "title": "A", "requires": [{"competency": "x", "level": 1}]},
                     {"id": "b", "title": "B", "requires": [{"competency": "x", "level": 3}]},
                     {"id": "c", "title": "C", "requires": [{"competency": "x", "level": 3}]},
                     {"id": "d", "title": "D", "requires": [{"competency": "x", "level": 4},
                                                           {"competency": "y", "level": 1}]},
                     {"id": "e", "title": "E", "requires": [{"competency": "y", "level": 5}]}],
           "moves": {"progresses_to": [["a", "b"], ["a", "c"], ["b", "d"], ["c", "d"], ["a", "d"],
                                       *extra_moves]}}
    return build_projection(from_document(doc))


def test_hand_computed_ties_and_caps():
    proj = tie_org()
    me = resolve_profile(proj, role_id="a")
    got = as_tuples(career_paths(proj, me, "d", k=4))
    assert got == as_tuples(old.career_paths(proj, me, "d", k=4))
    # a→d costs 3 + 1 = 4 (x 1 → 4, y 0 → 1); a→b→d and a→c→d cost 2 + (1 + 1) = 4 too: three ties.
    assert sorted(p for p, *_ in got) == sorted([(("d", 4.0),), (("b", 2.0), ("d", 2.0)), (("c", 2.0), ("d", 2.0))])
    assert [total for _, total, _ in got] == [4.0, 4.0, 4.0] and {direct for *_, direct in got} == {4.0}
    assert as_tuples(career_paths(proj, me, "d", k=3, max_steps=1)) == [((("d", 4.0),), 4.0, 4.0)]
    assert [p for p, *_ in as_tuples(career_paths(proj, me, "d", k=3, max_step_gap=2.0))] == \
        [p for p, *_ in got if len(p) == 2]
    assert career_paths(proj, me, "e", k=2) == []
    assert as_tuples(career_paths(proj, me, "a")) == [((), 0.0, 0.0)]


def test_hand_computed_typed_in_profile():
    """A typed-in profile starts anywhere: the first step to d is the direct gap (x 2 → 4: 2, y: 1)."""
    proj = tie_org()
    me = resolve_profile(proj, proficiencies={"x": 2})
    got = as_tuples(career_paths(proj, me, "d", k=4))
    assert got == as_tuples(old.career_paths(proj, me, "d", k=4))
    assert got[0] == ((("d", 3.0),), 3.0, 3.0)
    # then via b or c: 1 (x 2 → 3) + 2 = 3 as well; via a: 0 + 4 = 4.
    assert sorted(p for p, *_ in got[1:3]) == [(("b", 1.0), ("d", 2.0)), (("c", 1.0), ("d", 2.0))]
    assert got[3] == ((("a", 0.0), ("d", 4.0)), 4.0, 3.0)
    # with a per-step cap of 2 the direct jumps (3, and a → d at 4) are hidden: only the ladders, then the
    # same ladders from a (0 + 2 + 2)
    capped = as_tuples(career_paths(proj, me, "d", k=4, max_step_gap=2.0))
    assert capped == as_tuples(old.career_paths(proj, me, "d", k=4, max_step_gap=2.0))
    assert [p for p, *_ in capped[:2]] == [p for p, *_ in got[1:3]]
    assert sorted(p for p, *_ in capped[2:]) == [(("a", 0.0), ("b", 2.0), ("d", 2.0)),
                                                 (("a", 0.0), ("c", 2.0), ("d", 2.0))]
    assert career_paths(proj, me, "e", max_step_gap=1.0) == []


def test_inferred_moves_and_refresh_keep_the_matrix():
    """The matrix is cached on the role side: a projection with the same roles_key reuses it."""
    proj = tie_org()
    t = Thresholds(infer_moves_gap=10.0)
    m = step_matrix(proj, t)
    assert step_matrix(proj, t) is m and step_matrix(proj) is not m
    again = dataclasses.replace(proj, version="people changed")
    assert again.roles_key is proj.roles_key and step_matrix(again, t) is m
    me = resolve_profile(proj, proficiencies={"x": 2})
    assert as_tuples(career_paths(proj, me, "d", k=4, t=t)) == as_tuples(old.career_paths(proj, me, "d", k=4, t=t))


def test_bad_input():
    proj = tie_org()
    me = resolve_profile(proj, role_id="a")
    with pytest.raises(NotFound):
        career_paths(proj, me, "nope")
    for kwargs in ({"k": 0}, {"max_steps": 0}, {"max_step_gap": -1.0}):
        with pytest.raises(BadInput):
            career_paths(proj, me, "d", **kwargs)
    assert np.isfinite(step_matrix(proj).matrix.data).all()
