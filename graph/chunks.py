"""An immutable sequence held in chunks, so that an edit copies one chunk and not every item.

Why: at a million people the assessments are 8M Python objects. A check-in that rebuilt one 8M tuple would
write the reference count of every one of them, and in forked workers (``server/prefork.py``) that un-shares
every page they sit on. A :class:`Chunks` edit builds the one or two chunks it touches and a new list of
chunk references (a few thousand); the other chunks, and the items in them, are shared and not touched.

>>> s = Chunks(range(10), size=4)
>>> t = s.spliced(3, 5, ("x",))
>>> list(t), len(t), t[3], list(s) == list(range(10))
([0, 1, 2, 'x', 5, 6, 7, 8, 9], 9, 'x', True)
>>> t.chunks[-1] is s.chunks[-1]
True
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")

SIZE = 2048
"""Items per chunk: a splice copies about this many references, plus one per chunk (~4,000 at 8M items)."""


class Chunks(Sequence[T], Generic[T]):
    """A tuple-like sequence (indexing, slices, iteration, ``==`` with tuples and lists) stored as chunks of at
    most ``2 * size`` items; :meth:`spliced` is the one way to change it."""

    __slots__ = ("chunks", "ends", "size")

    chunks: tuple[tuple[T, ...], ...]
    ends: tuple[int, ...]
    size: int

    def __init__(self, items: Iterable[T] = (), size: int = SIZE) -> None:
        seq = items if isinstance(items, (tuple, list)) else tuple(items)
        self._set(tuple(tuple(seq[i:i + size]) for i in range(0, len(seq), size)), size)

    def _set(self, chunks: tuple[tuple[T, ...], ...], size: int) -> None:
        object.__setattr__(self, "chunks", chunks)
        object.__setattr__(self, "ends", tuple(itertools.accumulate(len(c) for c in chunks)))
        object.__setattr__(self, "size", size)

    @classmethod
    def _of(cls, chunks: tuple[tuple[T, ...], ...], size: int) -> Chunks[T]:
        out = cls.__new__(cls)
        out._set(chunks, size)
        return out

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Chunks is immutable: use spliced()")

    def __reduce__(self) -> tuple[Any, ...]:
        return Chunks, (tuple(self), self.size)

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    def _locate(self, i: int) -> tuple[int, int]:
        """(chunk, offset in it) of item ``i`` (0 <= i < len)."""
        c = bisect.bisect_right(self.ends, i)
        return c, i - (self.ends[c - 1] if c else 0)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...

    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        n = len(self)
        if isinstance(i, slice):
            lo, hi, step = i.indices(n)
            if step != 1:
                return tuple(self)[i]
            if hi <= lo:
                return ()
            (c0, o0), (c1, o1) = self._locate(lo), self._locate(hi - 1)
            if c0 == c1:
                return self.chunks[c0][o0:o1 + 1]
            return (*self.chunks[c0][o0:], *itertools.chain.from_iterable(self.chunks[c0 + 1:c1]),
                    *self.chunks[c1][:o1 + 1])
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("Chunks index out of range")
        c, o = self._locate(i)
        return self.chunks[c][o]

    def __iter__(self) -> Iterator[T]:
        return itertools.chain.from_iterable(self.chunks)

    def __reversed__(self) -> Iterator[T]:
        return (x for c in reversed(self.chunks) for x in reversed(c))

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, (Chunks, tuple, list)):
            return NotImplemented
        return len(self) == len(other) and all(a is b or a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Chunks({list(self)!r})"

    def spliced(self, lo: int, hi: int, items: Sequence[T] = ()) -> Chunks[T]:
        """This sequence with ``self[lo:hi]`` replaced by ``items`` (``lo == hi`` inserts; no ``items`` deletes).

        >>> list(Chunks("abc", size=2).spliced(3, 3, "d")), list(Chunks("abc").spliced(0, 2))
        (['a', 'b', 'c', 'd'], ['c'])
        """
        n = len(self)
        if not 0 <= lo <= hi <= n:
            raise IndexError(f"Chunks splice {lo}:{hi} out of range 0:{n}")
        if not self.chunks:
            return Chunks(items, self.size)
        c0, o0 = self._locate(lo) if lo < n else (len(self.chunks) - 1, len(self.chunks[-1]))
        c1, o1 = self._locate(hi - 1) if hi > lo else (c0, o0 - 1)
        merged = (*self.chunks[c0][:o0], *items, *self.chunks[c1][o1 + 1:])
        step = self.size if len(merged) > 2 * self.size else max(len(merged), 1)
        pieces = tuple(merged[i:i + step] for i in range(0, len(merged), step))
        return Chunks._of((*self.chunks[:c0], *pieces, *self.chunks[c1 + 1:]), self.size)


def spliced(seq: Sequence[T], lo: int, hi: int, items: Sequence[T] = ()) -> Chunks[T]:
    """``seq`` (a :class:`Chunks`, or any sequence, which is chunked first) with ``seq[lo:hi]`` replaced by
    ``items``.

    >>> list(spliced((1, 2, 3), 1, 2, (9, 9)))
    [1, 9, 9, 3]
    """
    return (seq if isinstance(seq, Chunks) else Chunks(seq)).spliced(lo, hi, items)


def identity_diff(old: Sequence[T], new: Sequence[T]) -> tuple[list[T], list[T]]:
    """(removed, added): the items of ``old`` that are not (the same object) in ``new``, and the other way
    round, each in order. Between two :class:`Chunks` only the chunks they do not share are read, so the diff
    after one edit costs a chunk, not the whole sequence.

    >>> s = Chunks(range(100, 110), size=2)
    >>> identity_diff(s, s.spliced(3, 4, ("x", "y")))
    ([103], ['x', 'y'])
    """
    if isinstance(old, Chunks) and isinstance(new, Chunks):
        shared = {id(c) for c in old.chunks}.intersection(id(c) for c in new.chunks)
        old = [x for c in old.chunks if id(c) not in shared for x in c]
        new = [x for c in new.chunks if id(c) not in shared for x in c]
    kept = {id(x) for x in old}.intersection(id(x) for x in new)
    return [x for x in old if id(x) not in kept], [x for x in new if id(x) not in kept]
