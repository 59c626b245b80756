"""What an edit changed: the organisation before and after, cut down to the parts that differ.

Both stores write only these parts (Neo4j as rows, the embedded store as one journal line), so a
write costs what the edit touched, not the size of the organisation.

>>> from graph.seeds import sample_organisation
>>> from graph.edits import create_family
>>> org = sample_organisation()
>>> before, after = changed_parts(org, create_family(org, "legal", "Legal").org)
>>> list(before.families), list(after.families), len(after.roles)
([], ['legal'], 0)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from .chunks import Chunks, identity_diff
from .model import Organisation

__all__ = ["changed_parts", "insertion_points"]


def insertion_points(old: Sequence[Any], new: Sequence[Any]) -> list[int] | None:
    """Where ``new`` holds items inserted into ``old`` (positions in ``new``, ascending), when ``new`` looks like
    ``old`` with items inserted, the rest the very same objects in order; else None. By bisection on identity,
    O(added² · log n): it reads the ends and midpoints only, so an edit known to insert (recordAssessment)
    can trust it, and anything else must check the stretches in between (:func:`_inserted`).

    >>> a, b, c, d = (object() for _ in range(4))
    >>> insertion_points((a, b, c), (a, d, b, c)), insertion_points((a, b, c), (b, a, c, d))
    ([1], None)
    """
    n, m = len(old), len(new) - len(old)
    if m < 0:
        return None
    if n == 0 or m == 0:
        return list(range(m)) if n == 0 or (new[0] is old[0] and new[-1] is old[-1]) else None

    def offset(i: int) -> int | None:
        """How many items were inserted before ``old[i]``."""
        return next((c for c in range(m + 1) if new[i + c] is old[i]), None)

    first, last = offset(0), offset(n - 1)
    if first is None or last is None:
        return None
    at = [*range(first), *range(n + last, n + m)]
    stack = [(0, first, n - 1, last)]
    while stack:
        lo, a, hi, b = stack.pop()
        if a == b:
            continue
        if a > b:
            return None
        if hi - lo == 1:
            at += range(lo + a + 1, hi + b)
            continue
        mid = (lo + hi) // 2
        c = offset(mid)
        if c is None:
            return None
        stack += [(lo, a, mid, c), (mid, c, hi, b)]
    return sorted(at) if len(at) == m else None


def _inserted(old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The items ``new`` adds to ``old`` when it is ``old`` with a few items inserted, else None: the insertion
    points by bisection, then every stretch in between compared with ``old`` (tuple equality: identical items
    cost a pointer compare), so an edit that also replaced something is never taken for a mere insertion.

    >>> a, b, c, d = (object() for _ in range(4))
    >>> _inserted((a, b, c), (a, d, b, c)) == (d,), _inserted((a, b, c), (a, d, c, b))
    (True, None)
    """
    at = insertion_points(old, new) if old and 0 < len(new) - len(old) <= 64 else None
    if at is None:
        return None
    start = 0
    for shift, p in enumerate([*at, len(new)]):
        if new[start:p] != old[start - shift:p - shift]:
            return None
        start = p + 1
    return tuple(new[p] for p in at)


def changed_parts(old: Organisation, new: Organisation) -> tuple[Organisation, Organisation]:
    """``old`` and ``new`` cut down to what an edit replaced, so that a diff costs what the edit touched.

    Edits build the new organisation with ``dataclasses.replace``: whatever they leave alone (a whole
    collection, or one role, person or assessment within one) is the very same object on both sides and
    cannot differ. A collection that only gained items (an assessment recorded among millions) is cut by
    bisection on identity. Everything else is diffed, which is always correct. A rewritten role loses its outgoing
    moves in the store, so those moves come along with it.
    """
    def split(before: Any, after: Any) -> tuple[Any, Any]:
        if before is after:
            return ((), ()) if isinstance(before, (tuple, Chunks)) else ({}, {})
        if isinstance(before, Chunks):
            gone, fresh = identity_diff(before, after)
            return tuple(gone), tuple(fresh)
        if isinstance(before, tuple):
            added = _inserted(before, after)
            if added is not None:
                return (), added
            kept = {id(x) for x in before}.intersection(id(x) for x in after)
            return (tuple(x for x in before if id(x) not in kept), tuple(x for x in after if id(x) not in kept))
        return ({k: v for k, v in before.items() if after.get(k) is not v},
                {k: v for k, v in after.items() if before.get(k) is not v})

    names = [f.name for f in dataclasses.fields(Organisation) if f.name != "framework"]
    parts: dict[str, tuple[Any, Any]] = {n: split(getattr(old, n), getattr(new, n)) for n in names}
    rewritten = set(parts["roles"][1])
    if rewritten:
        before, after = (tuple(dict.fromkeys((*part, *(m for m in org.moves if m.source in rewritten))))
                         for part, org in zip(parts["moves"], (old, new)))
        parts["moves"] = (before, after)
    return (Organisation(framework=old.framework, **{n: p[0] for n, p in parts.items()}),
            Organisation(framework=new.framework, **{n: p[1] for n, p in parts.items()}))
