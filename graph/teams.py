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
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from .errors import BadInput, NotFound
from .gaps import as_reported
from .projection import PeopleChange, Projection, RolesKey, on_refresh

__all__ = ["HeatCell", "TeamGap", "Heatmap", "team_heatmap", "report_rows", "requirement_positions"]


@dataclass(frozen=True)
class HeatCell:
    person_id: str
    competency_id: str
    required: int
    current: int
    deficit: int
    weight: float


@dataclass(frozen=True)
class TeamGap:
    competency_id: str
    total_deficit: float
    """Sum over the team of weight x deficit."""
    people_below: tuple[str, ...]


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
    manager_id: str
    people: tuple[str, ...]
    competency_ids: tuple[str, ...]
    grid: HeatGrid = field(repr=False)
    top_gaps: tuple[TeamGap, ...]
    person_ids: tuple[str, ...] = field(repr=False, default=())
    comp_ids: tuple[str, ...] = field(repr=False, default=())

    @cached_property
    def cells(self) -> tuple[HeatCell, ...]:
        """Person by person (in :attr:`people` order), each person's own role's requirements in competency order.

        Built on first use: the heatmap itself is arrays (:attr:`grid`), a million people's cells are
        twenty million objects.
        """
        return self.cells_between(0, self.cell_count)

    @property
    def cell_count(self) -> int:
        return len(self.grid.person)

    def cells_between(self, start: int, stop: int) -> tuple[HeatCell, ...]:
        """Cells ``start`` to ``stop`` of :attr:`cells`, built without building the others (one page of them)."""
        g, pids, cids = self.grid, self.person_ids, self.comp_ids
        part = slice(max(start, 0), max(min(stop, self.cell_count), 0))
        return tuple(HeatCell(pids[p], cids[c], need, cur, d, w) for p, c, need, cur, d, w in
                     zip(g.person[part].tolist(), g.column[part].tolist(), g.required[part].astype(np.int64).tolist(),
                         g.current[part].astype(np.int64).tolist(), g.deficit[part].astype(np.int64).tolist(),
                         g.weight[part].tolist()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Heatmap):
            return NotImplemented
        return (self.manager_id, self.people, self.competency_ids, self.top_gaps, self.cells) == \
            (other.manager_id, other.people, other.competency_ids, other.top_gaps, other.cells)


_CHILDREN: weakref.WeakKeyDictionary[Projection, tuple[np.ndarray, np.ndarray]] = weakref.WeakKeyDictionary()
_POSITIONS: weakref.WeakKeyDictionary[RolesKey, np.ndarray] = weakref.WeakKeyDictionary()


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


def team_heatmap(proj: Projection, manager: str, depth: int | None = None, top: int = 3,
                 profiles: sparse.csr_matrix | None = None) -> Heatmap:
    """``depth`` 1 means direct reports; None means everyone under the manager.

    ``profiles`` (people × competencies) replaces today's levels (e.g. the levels as of a past day).
    One pass over the team's rows of the people matrix: each stored level lands in its cell through
    :func:`requirement_positions`; totals and the people below are counted on arrays.
    """
    if manager not in proj.person_index:
        raise NotFound("person", manager)
    if depth is not None and depth < 1:
        raise BadInput(f"depth must be at least 1 (1 = direct reports), not {depth}.")
    rows = report_rows(proj, manager, depth)
    people = tuple(proj.person_ids[i] for i in rows.tolist())
    placed = rows[proj.person_role[rows] >= 0]
    roles = proj.person_role[placed]
    req = proj.required
    count = req.indptr[roles + 1] - req.indptr[roles]
    first = np.concatenate([[0], np.cumsum(count)]).astype(np.int64)
    entry = np.repeat(req.indptr[roles] - first[:-1], count) + np.arange(int(first[-1]))
    owner = np.repeat(np.arange(len(placed)), count)
    column, need, weight = req.indices[entry], req.data[entry], proj.weight.data[entry]
    current = np.zeros(len(entry))
    mine = proj.profile_rows(placed) if profiles is None else profiles[placed]
    who = np.repeat(np.arange(len(placed)), np.diff(mine.indptr))
    at = requirement_positions(proj)[roles[who], mine.indices].astype(np.int64)
    asked = at >= 0
    current[first[who[asked]] + at[asked]] = mine.data[asked]
    deficit = np.maximum(0.0, need - current)
    width = len(proj.comp_ids)
    total = np.bincount(column, weights=weight * deficit, minlength=width)
    short = deficit > 0
    shortfall = np.bincount(column[short], minlength=width)
    ranked = sorted(np.flatnonzero(shortfall).tolist(), key=lambda c: (-round(float(total[c]), 9), c))[:top]
    ids = proj.person_ids
    gaps = tuple(TeamGap(proj.comp_ids[c], as_reported(float(total[c])),
                         tuple(ids[placed[i]] for i in owner[short & (column == c)].tolist())) for c in ranked)
    comps = tuple(proj.comp_ids[c] for c in np.flatnonzero(np.bincount(column, minlength=width)).tolist())
    grid = HeatGrid(placed[owner], column, need, current, deficit, weight)
    return Heatmap(manager, people, comps, grid, gaps, proj.person_ids, proj.comp_ids)
