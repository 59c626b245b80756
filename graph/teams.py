"""Team heatmap: for a manager's reports, deficits person x competency against
each person's own role, and the team's biggest gaps.

>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> proj = build_projection(sample_organisation())
>>> boss = max(proj.reports, key=lambda m: len(proj.reports[m]))
>>> len(team_heatmap(proj, boss, depth=1).people) == len(proj.reports[boss])
True
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import overload

import numpy as np
from scipy import sparse

from .errors import BadInput, NotFound
from .gaps import as_reported
from .projection import PeopleChange, Projection, RolesKey, on_refresh

__all__ = ["HeatCell", "PersonIds", "TeamGap", "Heatmap", "Credits", "credits", "against_roles", "level_counts", "asked", "team_heatmap",
           "report_rows", "requirement_positions", "required_levels"]


@dataclass(frozen=True)
class HeatCell:
    person_id: str
    competency_id: str
    required: int
    current: int
    deficit: int
    weight: float


class PersonIds(Sequence[str]):
    """The ids of some person rows, found and looked up on first read: a top gap of a million-person team names
    ~80,000 people, and a query for its total alone never reads them. ``rows`` is the rows, or a function that
    finds them (then ``count`` says how many it will find). Equal to any sequence of the same ids.

    >>> ids = PersonIds(np.asarray([2, 0]), ("a", "b", "c"))
    >>> len(ids), ids == ("c", "a"), list(ids), len(PersonIds(lambda: np.asarray([1]), ("a", "b"), 1))
    (2, True, ['c', 'a'], 1)
    """

    __slots__ = ("_rows", "_ids", "_count", "_got")

    def __init__(self, rows: np.ndarray | Callable[[], np.ndarray], ids: Sequence[str],
                 count: int | None = None) -> None:
        self._rows, self._ids = rows, ids
        self._count = len(rows) if isinstance(rows, np.ndarray) else count
        self._got: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        got = self._got
        if got is None:
            rows = self._rows if isinstance(self._rows, np.ndarray) else self._rows()
            ids = self._ids
            got = self._got = tuple(ids[i] for i in rows.tolist())
        return got

    def __len__(self) -> int:
        return len(self._all()) if self._count is None else self._count

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[str, ...]: ...

    def __getitem__(self, i: int | slice) -> str | tuple[str, ...]:
        return self._all()[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and self._all() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"PersonIds({list(self._all())!r})"


@dataclass(frozen=True)
class TeamGap:
    competency_id: str
    total_deficit: float
    """Sum over the team of weight x deficit."""
    people_below: Sequence[str]


@dataclass(frozen=True, eq=False)
class HeatGrid:
    """The cells as columns, aligned: person row, competency column, required, current, deficit, weight."""

    person: np.ndarray
    column: np.ndarray
    required: np.ndarray
    current: np.ndarray
    deficit: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True, eq=False)
class Heatmap:
    """A manager's team against each person's own role: the biggest gaps, computed with the heatmap, and the
    people, competencies and cells, built on first use (at a million people the cells are 20M)."""

    manager_id: str
    rows: np.ndarray = field(repr=False)
    """The team's person rows in :func:`report_rows` order."""
    placed: np.ndarray = field(repr=False)
    """Those of them with a role, in the same order: the people the cells are for."""
    competency_ids: tuple[str, ...]
    top_gaps: tuple[TeamGap, ...]
    proj: Projection = field(repr=False)
    given: sparse.csr_matrix | None = field(repr=False)
    """The levels of :attr:`placed` (as of a day, or today's), row by row; None: today's, read when needed."""

    @cached_property
    def profiles(self) -> sparse.csr_matrix:
        return self.proj.profile_rows(self.placed) if self.given is None else self.given

    @cached_property
    def people(self) -> tuple[str, ...]:
        ids = self.proj.person_ids
        return tuple(ids[i] for i in self.rows.tolist())

    @cached_property
    def grid(self) -> HeatGrid:
        """Every cell as columns: each stored level lands in its cell through :func:`requirement_positions`."""
        return _grid(self.proj, self.placed, self.profiles)

    @cached_property
    def cells(self) -> tuple[HeatCell, ...]:
        """Person by person (in :attr:`people` order), each person's own role's requirements in competency order.

        Built on first use: the heatmap itself is arrays (:attr:`grid`), a million people's cells are
        twenty million objects.
        """
        return self.cells_between(0, self.cell_count)

    @cached_property
    def _cell_ends(self) -> np.ndarray:
        """For each of :attr:`placed`, where its cells end in :attr:`cells`."""
        req = self.proj.required
        roles = self.proj.person_role[self.placed]
        return np.cumsum(req.indptr[roles + 1] - req.indptr[roles])

    @property
    def cell_count(self) -> int:
        return int(self._cell_ends[-1]) if len(self.placed) else 0

    def cells_between(self, start: int, stop: int) -> tuple[HeatCell, ...]:
        """Cells ``start`` to ``stop`` of :attr:`cells`, built from the people they belong to only (one page of
        a million people's cells reads a few people's levels, not the whole grid)."""
        part = slice(max(start, 0), max(min(stop, self.cell_count), 0))
        if part.start >= part.stop:
            return ()
        if "grid" in self.__dict__:
            g, base = self.grid, 0
        else:
            ends = self._cell_ends
            first = int(np.searchsorted(ends, part.start, side="right"))
            last = int(np.searchsorted(ends, part.stop - 1, side="right")) + 1
            some = self.placed[first:last]
            mine = self.proj.profile_rows(some) if self.given is None else self.given[first:last]
            g, base = _grid(self.proj, some, mine), int(ends[first - 1]) if first else 0
            part = slice(part.start - base, part.stop - base)
        pids, cids = self.proj.person_ids, self.proj.comp_ids
        return tuple(HeatCell(pids[p], cids[c], need, cur, d, w) for p, c, need, cur, d, w in
                     zip(g.person[part].tolist(), g.column[part].tolist(), g.required[part].astype(np.int64).tolist(),
                         g.current[part].astype(np.int64).tolist(), g.deficit[part].astype(np.int64).tolist(),
                         g.weight[part].tolist()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Heatmap):
            return NotImplemented
        return (self.manager_id, self.people, self.competency_ids, self.top_gaps, self.cells) == \
            (other.manager_id, other.people, other.competency_ids, other.top_gaps, other.cells)


def _grid(proj: Projection, placed: np.ndarray, mine: sparse.csr_matrix) -> HeatGrid:
    """The cells of ``placed`` (their levels ``mine``, row by row) as columns."""
    roles = proj.person_role[placed]
    req = proj.required
    count = req.indptr[roles + 1] - req.indptr[roles]
    first = np.concatenate([[0], np.cumsum(count)]).astype(np.int64)
    entry = np.repeat(req.indptr[roles] - first[:-1], count) + np.arange(int(first[-1]))
    owner = np.repeat(np.arange(len(placed)), count)
    column, need, weight = req.indices[entry], req.data[entry], proj.weight.data[entry]
    current = np.zeros(len(entry))
    who = np.repeat(np.arange(len(placed)), np.diff(mine.indptr))
    at = requirement_positions(proj)[roles[who], mine.indices].astype(np.int64)
    asked = at >= 0
    current[first[who[asked]] + at[asked]] = mine.data[asked]
    return HeatGrid(placed[owner], column, need, current, np.maximum(0.0, need - current), weight)


_CHILDREN: weakref.WeakKeyDictionary[Projection, tuple[np.ndarray, np.ndarray]] = weakref.WeakKeyDictionary()
_POSITIONS: weakref.WeakKeyDictionary[RolesKey, np.ndarray] = weakref.WeakKeyDictionary()
_ASKED: weakref.WeakKeyDictionary[RolesKey, np.ndarray] = weakref.WeakKeyDictionary()


@on_refresh
def _carry(old: Projection, new: Projection, change: PeopleChange) -> None:
    """The reporting tree holds while nobody joined and no reporting line moved."""
    got = _CHILDREN.get(old)
    if got is not None and not change.shifted and not change.reports:
        _CHILDREN[new] = got


def _children(proj: Projection) -> tuple[np.ndarray, np.ndarray]:
    """Everyone's direct reports as CSR over person rows (indptr, rows), each list in person-id order."""
    got = _CHILDREN.get(proj)
    if got is None:
        n, index = len(proj.person_ids), proj.person_index
        boss = np.full(n, -1, dtype=np.int64)
        for m, kids in proj.reports.items():
            if m in index:
                boss[[index[k] for k in kids]] = index[m]
        kids_of = np.flatnonzero(boss >= 0)
        kids_of = kids_of[np.argsort(boss[kids_of], kind="stable")]
        ptr = np.concatenate([[0], np.cumsum(np.bincount(boss[kids_of], minlength=n))]).astype(np.int64)
        got = _CHILDREN[proj] = (ptr, kids_of)
    return got


def report_rows(proj: Projection, manager: str, depth: int | None = None) -> np.ndarray:
    """The rows of :meth:`Projection.all_reports` (same people, same breadth-first order), level by level on arrays."""
    ptr, kids = _children(proj)
    seen = np.zeros(len(proj.person_ids), dtype=bool)
    frontier = np.asarray([proj.person_index[manager]], dtype=np.int64)
    seen[frontier] = True
    out, d = [], 0
    while len(frontier) and (depth is None or d < depth):
        lo, n = ptr[frontier], ptr[frontier + 1] - ptr[frontier]
        nxt = kids[np.repeat(lo - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum()))]
        nxt = nxt[~seen[nxt]]
        seen[nxt] = True
        out.append(nxt)
        frontier, d = nxt, d + 1
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def requirement_positions(proj: Projection) -> np.ndarray:
    """roles x competencies: the position of each requirement within its role's row of ``proj.required``,
    -1 where the role does not ask for the competency (dense, built once per role side: ``proj.roles_key``)."""
    got = _POSITIONS.get(proj.roles_key)
    if got is None:
        req = proj.required
        width = np.diff(req.indptr)
        dtype = np.int16 if (width.max() if len(width) else 0) < 2 ** 15 else np.int32
        got = np.full(req.shape, -1, dtype=dtype)
        got[proj.nnz_role, req.indices] = np.arange(req.nnz) - req.indptr[proj.nnz_role]
        _POSITIONS[proj.roles_key] = got
    return got


def required_levels(proj: Projection) -> np.ndarray:
    """(roles + 1) x competencies: the level each role requires of each competency, -1 where it asks nothing;
    the last row (all -1) is what row -1, a person without a role, reads. Small integers (int8 on the usual
    scales), so that looking up the level a stored level is held against reads 1 byte; dense, built once per
    role side (``proj.roles_key``), 10 MB at 50k roles x 200 competencies.

    >>> from graph.seeds import sample_organisation
    >>> from graph.projection import build_projection
    >>> proj = build_projection(sample_organisation())
    >>> table = required_levels(proj)
    >>> r, c = proj.nnz_role[0], proj.required.indices[0]
    >>> bool(table[r, c] == proj.required.data[0]), int(table[-1].max())
    (True, -1)
    """
    got = _ASKED.get(proj.roles_key)
    if got is None:
        req = proj.required
        dtype = np.int8 if proj.max_level < 127 else np.int16
        got = np.full((req.shape[0] + 1, req.shape[1]), -1, dtype=dtype)
        got[proj.nnz_role, req.indices] = req.data
        _ASKED[proj.roles_key] = got
    return got


def against_roles(proj: Projection, roles: np.ndarray, mine: sparse.csr_matrix
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The stored levels of ``mine`` (rows of people in ``roles``; -1: no role) that the holder's own role asks
    for: their positions in ``mine.data``, the holder (row of ``mine``), ``w·min(need, level)`` and whether
    ``level >= need``."""
    who = np.repeat(np.arange(len(roles)), np.diff(mine.indptr))
    own = roles[who]
    at = np.full(len(who), -1, dtype=np.int64)
    placed = np.flatnonzero(own >= 0)
    at[placed] = requirement_positions(proj)[own[placed], mine.indices[placed]]
    asked = np.flatnonzero(at >= 0)
    entry = proj.required.indptr[own[asked]] + at[asked]
    need, level = proj.required.data[entry], mine.data[asked]
    return asked, who[asked], proj.weight.data[entry] * np.minimum(need, level), level >= need


def level_counts(proj: Projection, mine: sparse.csr_matrix) -> np.ndarray:
    """How many stored levels of ``mine`` there are per (competency, level): ``competency * (max_level + 1) +
    level``."""
    step = proj.max_level + 1
    out: np.ndarray = np.bincount(mine.indices.astype(np.int64) * step + mine.data.astype(np.int64),
                                  minlength=mine.shape[1] * step)
    return out


@dataclass(frozen=True, eq=False)
class Credits:
    """Everyone's stored levels held against their own role, aligned with the people matrix they were built
    from (``levels``: same rows, columns and order): ``credit`` = ``w·min(need, level)`` and ``met`` = 1.0 where
    ``level >= need``, 0 where the holder's role does not ask for that competency. A team's gaps are then two
    sparse products with its membership vector (``credit.T @ inside``), each one pass over the people matrix
    (issue 15). Built once per projection; a refresh that changed some people's levels carries it over with
    those rows ``stale``: they are left out of the products and read fresh.

    ``counts`` is :func:`level_counts` of ``levels``, so that the skills inventory counts everyone's levels per
    competency without a pass: the stale rows' old levels are taken out and their new ones counted."""

    credit: sparse.csr_matrix
    met: sparse.csr_matrix
    stale: np.ndarray
    levels: sparse.csr_matrix
    counts: np.ndarray

    def inside(self, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(membership vector of ``rows`` without the stale rows, the stale rows among ``rows``)."""
        inside = np.zeros(n)
        inside[rows] = 1.0
        own = self.stale[inside[self.stale] > 0]
        inside[self.stale] = 0.0
        return inside, own

    def sums(self, inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per competency, over the people ``inside`` (a 0/1 vector): Σ credit, and how many meet their role."""
        return self.credit.T @ inside, self.met.T @ inside.astype(np.float32)

    def meeting(self, c: int, inside: np.ndarray) -> np.ndarray:
        """The rows among ``inside`` whose stored level of competency ``c`` meets what their role asks."""
        at = np.flatnonzero((self.levels.indices == c) & (self.met.data > 0))
        rows = np.searchsorted(self.levels.indptr, at, side="right") - 1
        out: np.ndarray = rows[inside[rows] > 0]
        return out


_CREDITS: weakref.WeakKeyDictionary[Projection, Credits] = weakref.WeakKeyDictionary()
STALE_LIMIT = 1 << 14
"""Rows out of date past which :class:`Credits` is rebuilt instead of read around."""


@on_refresh
def _carry_credits(old: Projection, new: Projection, change: PeopleChange) -> None:
    got = _CREDITS.get(old)
    if got is not None and not change.shifted and not change.roles:
        stale = np.union1d(got.stale, change.rows)
        if len(stale) <= STALE_LIMIT:
            _CREDITS[new] = Credits(got.credit, got.met, stale, got.levels, got.counts)


def credits(proj: Projection) -> Credits:
    """``proj``'s :class:`Credits` (one pass over the people matrix the first time)."""
    got = _CREDITS.get(proj)
    if got is None:
        levels = proj.profiles
        asked, _, credit, met = against_roles(proj, proj.person_role, levels)
        credits_, meets = np.zeros(levels.nnz), np.zeros(levels.nnz, dtype=np.float32)
        credits_[asked], meets[asked] = credit, met
        matrix = (levels.indices, levels.indptr)
        got = _CREDITS[proj] = Credits(sparse.csr_matrix((credits_, *matrix), shape=levels.shape),
                                       sparse.csr_matrix((meets, *matrix), shape=levels.shape),
                                       np.zeros(0, dtype=np.int64), levels, level_counts(proj, levels))
    return got


_ASKED_BY: weakref.WeakKeyDictionary[RolesKey, tuple[sparse.csr_matrix, sparse.csr_matrix]] = \
    weakref.WeakKeyDictionary()


def asked(proj: Projection) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """competencies x roles: ``w·need`` and 1 per requirement, so that what a team's roles ask is one product
    with the people per role (once per role side)."""
    got = _ASKED_BY.get(proj.roles_key)
    if got is None:
        req = proj.required
        mass = sparse.csr_matrix((req.data * proj.weight.data, req.indices, req.indptr), shape=req.shape).T.tocsr()
        asks = sparse.csr_matrix((np.ones(req.nnz), req.indices, req.indptr), shape=req.shape).T.tocsr()
        got = _ASKED_BY[proj.roles_key] = (mass, asks)
    return got


def team_heatmap(proj: Projection, manager: str, depth: int | None = None, top: int = 3,
                 profiles: sparse.csr_matrix | None = None) -> Heatmap:
    """``depth`` 1 means direct reports; None means everyone under the manager.

    ``profiles`` (people × competencies) replaces today's levels (e.g. the levels as of a past day).
    The gaps never build the cells (20M for a million people): a competency's total deficit is what the
    team's roles ask, ``Σ w·need`` over its people's roles, less ``Σ w·min(need, level)`` over the levels
    they hold that their role asks for; the people below are those whose role asks and who do not hold
    enough. A large team on today's levels reads those sums from :func:`credits` (two sparse products); a
    small one, or past levels, from its own stored levels. Cells are built only when asked for
    (:attr:`Heatmap.grid`).
    """
    if manager not in proj.person_index:
        raise NotFound("person", manager)
    if depth is not None and depth < 1:
        raise BadInput(f"depth must be at least 1 (1 = direct reports), not {depth}.")
    rows = report_rows(proj, manager, depth)
    placed = rows[proj.person_role[rows] >= 0]
    roles = proj.person_role[placed]
    width, n = len(proj.comp_ids), len(proj.person_ids)
    per_role = np.bincount(roles, minlength=len(proj.role_ids)).astype(np.float64)
    mass, asks = asked(proj)
    asked_mass, needing = mass @ per_role, asks @ per_role
    shared = credits(proj) if profiles is None and len(placed) * 8 >= n else None
    if shared is None:                 # a small team, or past levels: its own stored levels, once
        own, mine = placed, proj.profile_rows(placed) if profiles is None else profiles[placed]
        fresh = mine
    else:                              # the credits, and the stale rows among the team read fresh
        (inside, own), mine = shared.inside(placed, n), None
        fresh = proj.profile_rows(own)
    at, who, credit, met = against_roles(proj, proj.person_role[own], fresh)
    cols = fresh.indices[at]
    credited = np.bincount(cols, weights=credit, minlength=width).astype(np.float64)
    enough = np.bincount(cols[met], minlength=width).astype(np.float64)
    if shared is not None:
        more, meeting = shared.sums(inside)
        credited += more
        enough += meeting
    total, shortfall = asked_mass - credited, needing - enough
    ranked = sorted(np.flatnonzero(shortfall > 0.5).tolist(), key=lambda c: (-round(float(total[c]), 9), c))[:top]
    ids, positions = proj.person_ids, requirement_positions(proj)

    def below(c: int) -> Callable[[], np.ndarray]:
        def find() -> np.ndarray:
            ok = np.zeros(n, dtype=bool)
            ok[own[who[met & (cols == c)]]] = True
            if shared is not None:
                ok[shared.meeting(c, inside)] = True
            out: np.ndarray = placed[(positions[roles, c] >= 0) & ~ok[placed]]
            return out
        return find

    gaps = tuple(TeamGap(proj.comp_ids[c], as_reported(float(total[c])),
                         PersonIds(below(c), ids, int(round(shortfall[c])))) for c in ranked)
    comps = tuple(proj.comp_ids[c] for c in np.flatnonzero(needing > 0).tolist())
    return Heatmap(manager, rows, placed, comps, gaps, proj, mine)
