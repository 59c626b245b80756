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

__all__ = ["HeatCell", "TeamGap", "Heatmap", "team_heatmap", "report_rows", "requirement_positions", "required_levels"]


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
    profiles: sparse.csr_matrix = field(repr=False)
    """The levels of :attr:`placed` (today's, or as of a day), row by row."""

    @cached_property
    def people(self) -> tuple[str, ...]:
        ids = self.proj.person_ids
        return tuple(ids[i] for i in self.rows.tolist())

    @cached_property
    def grid(self) -> HeatGrid:
        """Every cell as columns: each stored level lands in its cell through :func:`requirement_positions`."""
        proj, placed, mine = self.proj, self.placed, self.profiles
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

    @cached_property
    def cells(self) -> tuple[HeatCell, ...]:
        """Person by person (in :attr:`people` order), each person's own role's requirements in competency order.

        Built on first use: the heatmap itself is arrays (:attr:`grid`), a million people's cells are
        twenty million objects.
        """
        return self.cells_between(0, self.cell_count)

    @cached_property
    def cell_count(self) -> int:
        req = self.proj.required
        roles = self.proj.person_role[self.placed]
        return int((req.indptr[roles + 1] - req.indptr[roles]).sum())

    def cells_between(self, start: int, stop: int) -> tuple[HeatCell, ...]:
        """Cells ``start`` to ``stop`` of :attr:`cells`, built without building the others (one page of them)."""
        part = slice(max(start, 0), max(min(stop, self.cell_count), 0))
        if part.start >= part.stop:
            return ()
        g, pids, cids = self.grid, self.proj.person_ids, self.proj.comp_ids
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


def team_heatmap(proj: Projection, manager: str, depth: int | None = None, top: int = 3,
                 profiles: sparse.csr_matrix | None = None) -> Heatmap:
    """``depth`` 1 means direct reports; None means everyone under the manager.

    ``profiles`` (people × competencies) replaces today's levels (e.g. the levels as of a past day).
    The gaps take one pass over the team's stored levels, not over its cells (20M for a million people):
    a competency's total deficit is what the team's roles ask, ``Σ w·need`` over its people's roles, less
    ``Σ w·min(need, level)`` over the levels they hold that their role asks for; the people below are those
    whose role asks and who do not hold enough. Cells are built only when asked for (:attr:`Heatmap.grid`).
    """
    if manager not in proj.person_index:
        raise NotFound("person", manager)
    if depth is not None and depth < 1:
        raise BadInput(f"depth must be at least 1 (1 = direct reports), not {depth}.")
    rows = report_rows(proj, manager, depth)
    placed = rows[proj.person_role[rows] >= 0]
    roles = proj.person_role[placed]
    mine = proj.profile_rows(placed) if profiles is None else profiles[placed]
    req, width = proj.required, len(proj.comp_ids)
    per_role = np.bincount(roles, minlength=len(proj.role_ids))[proj.nnz_role]
    asked_mass = np.bincount(req.indices, weights=per_role * proj.weight.data * req.data, minlength=width)
    needing = np.bincount(req.indices, weights=per_role, minlength=width)
    # the stored levels the holder's role asks for: position in the role's row, then what it asks
    who = np.repeat(np.arange(len(placed)), np.diff(mine.indptr))
    own, cols = roles[who], mine.indices
    positions = requirement_positions(proj)
    at = positions[own, cols]
    asked = np.flatnonzero(at >= 0)
    entry = req.indptr[own[asked]] + at[asked]
    need, level, cols = req.data[entry], mine.data[asked], cols[asked]
    met = level >= need
    total = asked_mass - np.bincount(cols, weights=proj.weight.data[entry] * np.minimum(need, level),
                                     minlength=width)
    shortfall = needing - np.bincount(cols[met], minlength=width)
    ranked = sorted(np.flatnonzero(shortfall > 0).tolist(), key=lambda c: (-round(float(total[c]), 9), c))[:top]
    ids = proj.person_ids
    gaps = []
    for c in ranked:
        enough = np.zeros(len(placed), dtype=bool)
        enough[who[asked[met & (cols == c)]]] = True
        below = np.flatnonzero((positions[roles, c] >= 0) & ~enough)
        gaps.append(TeamGap(proj.comp_ids[c], as_reported(float(total[c])), tuple(ids[i] for i in placed[below].tolist())))
    comps = tuple(proj.comp_ids[c] for c in np.flatnonzero(needing > 0).tolist())
    return Heatmap(manager, rows, placed, comps, tuple(gaps), proj, mine)
