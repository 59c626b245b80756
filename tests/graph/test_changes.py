"""What an edit changed: ``changed_parts`` cuts two organisations down to the parts that differ, and its fast
path for insertions (``_inserted``) must never mistake an edit that also replaced or moved something."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.changes import _inserted, changed_parts
from graph.edits import record_assessment
from graph.model import Source
from graph.seeds import sample_organisation


class Item:
    """An object compared by identity only, like the model's unchanged parts."""


def reference(old: tuple[object, ...], new: tuple[object, ...]) -> tuple[object, ...] | None:
    """The plain definition: ``new`` minus what it added is exactly ``old``, in order, and something was added."""
    kept = {id(x) for x in old}
    added = tuple(x for x in new if id(x) not in kept)
    rest = [x for x in new if id(x) in kept]
    return added if added and len(rest) == len(old) and all(a is b for a, b in zip(rest, old)) else None


@settings(max_examples=400, deadline=None)
@given(n=st.integers(1, 40), inserts=st.lists(st.integers(0, 10**6), max_size=5),
       tamper=st.sampled_from(["none", "replace", "swap", "drop"]), where=st.integers(0, 10**6))
def test_inserted_matches_the_plain_definition(n: int, inserts: list[int], tamper: str, where: int) -> None:
    old = tuple(Item() for _ in range(n))
    new = list(old)
    for at in inserts:
        new.insert(at % (len(new) + 1), Item())
    if tamper == "replace":
        new[where % len(new)] = Item()
    elif tamper == "swap" and len(new) > 1:
        i = where % (len(new) - 1)
        new[i], new[i + 1] = new[i + 1], new[i]
    elif tamper == "drop":
        del new[where % len(new)]
    got, want = _inserted(old, tuple(new)), reference(old, tuple(new))
    assert (got is None) == (want is None)
    if want is not None:
        assert got is not None and len(got) == len(want) and all(a is b for a, b in zip(got, want))


def test_a_recorded_assessment_is_the_only_change() -> None:
    org = sample_organisation()
    done = record_assessment(org, "priya-raman", "accessibility", 3, Source.MANAGER, dt.date(2026, 1, 5),
                             id="a-2000x")                         # between a-2000 and a-2001
    before, after = changed_parts(org, done.org)
    assert before.assessments == () and [a.id for a in after.assessments] == ["a-2000x"]
    assert list(after.people) == [] and list(after.roles) == []
    assert [a.id for a in done.org.assessments] == sorted(a.id for a in done.org.assessments)
