"""graph.chunks against a plain list doing the same splices."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.chunks import Chunks, spliced
from graph.generate import generate_organisation

splices = st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 6), st.lists(st.integers(), max_size=9)),
                   max_size=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(), max_size=60), st.integers(1, 5), splices)
def test_splices_match_a_list(start: list[int], size: int, edits: list[tuple[int, int, list[int]]]) -> None:
    seq, model = Chunks(start, size=size), list(start)
    for lo, width, items in edits:
        lo = lo % (len(model) + 1)
        hi = min(lo + width, len(model))
        before, was = seq, list(seq)
        seq = seq.spliced(lo, hi, tuple(items))
        model[lo:hi] = items
        assert list(before) == was                         # an edit makes a new sequence, the old one unchanged
        assert all(0 < len(c) <= 2 * size for c in seq.chunks)
    assert seq == model and seq == tuple(model) and len(seq) == len(model)
    assert [seq[i] for i in range(-len(model), 0)] == model
    assert [seq[i] for i in range(len(model))] == model and list(reversed(seq)) == model[::-1]
    for lo in range(0, len(model) + 1, 3):
        for hi in range(lo, len(model) + 2, 4):
            assert seq[lo:hi] == tuple(model[lo:hi])
    assert seq[::2] == tuple(model[::2]) and seq[-3:] == tuple(model[-3:])
    assert pickle.loads(pickle.dumps(seq)) == model
    with pytest.raises(IndexError):
        seq[len(model)]


def test_an_edit_shares_every_chunk_it_does_not_touch() -> None:
    seq = Chunks(range(10_000), size=100)
    out = seq.spliced(5_000, 5_000, ("new",))
    shared = sum(any(c is d for d in seq.chunks) for c in out.chunks)
    assert shared == len(out.chunks) - 1 and out[5_000] == "new" and out[5_001] == 5_000
    assert list(seq) == list(range(10_000))


def test_edge_cases() -> None:
    assert Chunks() == () and len(Chunks()) == 0 and list(Chunks().spliced(0, 0, (1,))) == [1]
    assert list(spliced((1, 2, 3), 0, 3)) == [] and Chunks([1, 2]) != (1, 3) and Chunks([1]) != "1"
    with pytest.raises(IndexError):
        Chunks([1, 2]).spliced(2, 1)
    with pytest.raises(AttributeError):
        Chunks([1]).size = 3  # type: ignore[misc]
    assert hash(Chunks([1, 2])) == hash((1, 2))


def test_a_check_in_copies_one_chunk_of_the_assessments_wherever_it_goes() -> None:
    """What keeps forked workers' pages shared: the edit, the journal line followed by another process, the
    diff the store writes and the projection refresh each touch one chunk, and answer what a rebuild does."""
    import datetime as dt

    from graph import edits
    from graph.changes import changed_parts
    from graph.projection import build_projection, edit_hint, refresh_projection
    from graph.store.journal import entry, follow
    from graph.model import Source

    org = generate_organisation(roles=40, competencies=30, people=1_000, seed=3)
    assert isinstance(org.assessments, Chunks) and len(org.assessments.chunks) >= 4
    person, competency = sorted(org.people)[500], sorted(org.competencies)[0]
    done = edits.record_assessment(org, person, competency, 3, Source.MANAGER, dt.date(2026, 11, 2), id="a-5000x")
    new = done.org.assessments
    assert isinstance(new, Chunks)
    assert sum(c not in map(id, org.assessments.chunks) for c in map(id, new.chunks)) == 1
    want = sorted((*org.assessments, *(a for a in new if a.id == "a-5000x")), key=lambda a: a.id)
    assert list(new) == want and len(new) == len(org.assessments) + 1

    before, after = changed_parts(org, done.org)
    assert before.assessments == () and [a.id for a in after.assessments] == ["a-5000x"]

    followed, hint = follow(org, entry(org, done.org))
    assert followed == done.org and sum(c not in map(id, org.assessments.chunks)
                                        for c in map(id, followed.assessments.chunks)) == 1

    proj = build_projection(org, "v1")
    refreshed = refresh_projection(proj, done.org, "v2", edit_hint(done.action, done.subject))
    rebuilt = build_projection(done.org, "v2")
    assert refreshed is not None
    assert (refreshed.people.matrix() != rebuilt.people.matrix()).nnz == 0
    assert refreshed.effective[person] == rebuilt.effective[person]
