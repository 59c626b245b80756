"""The projection: a read-only snapshot of an organisation as arrays, sparse
matrices and a move graph, built once per store version.

Store = truth; projection = speed. Roles and competencies are indexed in id order,
so every ranking that ties falls back to id order for free.

A write that changes only people, assessments or what the projection does not hold
(plans, pools, interests, resources) does not rebuild it: :func:`refresh_projection`
derives the next projection from the previous one in time proportional to what changed.
The role side (arrays, ``roles_key``) is shared; the people side shares what did not
change: ``effective``, ``reports`` and ``history`` become :class:`Overlay` s over the old
mappings, ``people`` (:class:`ProfileRows`) the old matrix plus the replaced rows (the
whole matrix, ``profiles``, is built on first use). Nothing is changed in place, so a
request still holding the old projection keeps a consistent snapshot. Per-projection
caches of people facts carry over through :func:`on_refresh`.

>>> from graph.seeds import sample_organisation
>>> p = build_projection(sample_organisation(), version="v1")
>>> p.required.shape == (len(p.role_ids), len(p.comp_ids))
True
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from .changes import insertion_points
from .chunks import identity_diff
from .model import SOURCE_TRUST, Assessment, Indicator, Organisation

__all__ = ["Projection", "RolesKey", "ProfileRows", "Overlay", "PeopleChange", "Hint", "build_projection",
           "refresh_projection", "edit_hint", "on_refresh", "effective_assessments", "held"]


class RolesKey:
    """The identity of a projection's role side (competencies, roles, requirements, moves).

    A projection refreshed after a change to people or assessments only keeps the same key, so
    caches of facts about roles alone (role shapes, the step graph) key on it and survive the refresh.
    """

    __slots__ = ("__weakref__",)


_GONE: Any = object()


class Overlay(Mapping[str, Any]):
    """A mapping read through a few changes over a shared base, so that a refresh after one write does not
    copy a million-entry dict. Overlays do not stack: an overlay of an overlay merges the changes over the
    same base, and folds everything into a plain dict once the changes grow (``COMPACT``).

    >>> o = Overlay.over({"a": 1, "b": 2}, {"b": 3, "c": 4})
    >>> dict(Overlay.over(o, {"a": Overlay.GONE}))
    {'b': 3, 'c': 4}
    """

    GONE: Any = _GONE
    COMPACT = 1 << 16

    __slots__ = ("_base", "_changes", "_len")

    def __init__(self, base: Mapping[str, Any], changes: dict[str, Any]) -> None:
        self._base, self._changes = base, changes
        size = len(base)
        for k, v in changes.items():
            size += (k not in base and v is not _GONE) - (k in base and v is _GONE)
        self._len = size

    @classmethod
    def over(cls, base: Mapping[str, Any], changes: Mapping[str, Any]) -> Mapping[str, Any]:
        if not changes:
            return base
        if isinstance(base, Overlay):
            merged = {**base._changes, **changes}
            base = base._base
        else:
            merged = dict(changes)
        if len(merged) > cls.COMPACT:
            out = {k: v for k, v in base.items() if k not in merged}
            out.update((k, v) for k, v in merged.items() if v is not _GONE)
            return out
        return cls(base, merged)

    def __getitem__(self, key: str) -> Any:
        v = self._changes.get(key, self)
        if v is self:
            return self._base[key]
        if v is _GONE:
            raise KeyError(key)
        return v

    def get(self, key: str, default: Any = None) -> Any:
        v = self._changes.get(key, self)
        if v is self:
            return self._base.get(key, default)
        return default if v is _GONE else v

    def __contains__(self, key: object) -> bool:
        v = self._changes.get(key, self)  # type: ignore[call-overload]
        return key in self._base if v is self else v is not _GONE

    def __iter__(self) -> Iterator[str]:
        ch = self._changes
        yield from (k for k in self._base if k not in ch)
        yield from (k for k, v in ch.items() if v is not _GONE)

    def __len__(self) -> int:
        return self._len


class ProfileRows:
    """The people x competencies matrix of effective levels as a base CSR matrix and the rows a refresh
    replaced (row -> (columns, levels)). The whole matrix is built on first use (:meth:`matrix`), never in
    place: a request still reading the base keeps seeing it whole."""

    __slots__ = ("base", "patch", "_matrix")
    COMPACT = 1 << 15

    def __init__(self, base: sparse.csr_matrix, patch: Mapping[int, tuple[np.ndarray, np.ndarray]] | None = None
                 ) -> None:
        self.base = base
        self.patch: dict[int, tuple[np.ndarray, np.ndarray]] = dict(patch or {})
        self._matrix: sparse.csr_matrix | None = None if self.patch else base

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.base.shape[0]), int(self.base.shape[1]))

    def replaced(self, rows: Mapping[int, tuple[np.ndarray, np.ndarray]]) -> ProfileRows:
        """These rows with ``rows`` replaced (the patches merge; a large patch is folded into the matrix)."""
        if self._matrix is not None:
            out = ProfileRows(self._matrix, rows)
        else:
            out = ProfileRows(self.base, {**self.patch, **rows})
        if len(out.patch) > self.COMPACT:
            return ProfileRows(out.matrix())
        return out

    def built(self) -> sparse.csr_matrix | None:
        """The whole matrix if it is built already (else None: :meth:`matrix` would build it)."""
        return self._matrix

    def matrix(self) -> sparse.csr_matrix:
        if self._matrix is None:
            rows = np.fromiter(self.patch, dtype=np.int64, count=len(self.patch))
            self._matrix = _replace_rows(self.base, rows, [self.patch[int(r)] for r in rows])
        return self._matrix

    def row(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        got = self.patch.get(r)
        if got is not None:
            return got
        m = self.base
        lo, hi = m.indptr[r], m.indptr[r + 1]
        return m.indices[lo:hi], m.data[lo:hi]

    def rows(self, rows: np.ndarray) -> sparse.csr_matrix:
        """``matrix()[rows]``, read from the base and the patch."""
        if self._matrix is not None:
            return self._matrix[rows]
        sub = self.base[rows]
        keys = np.fromiter(self.patch, dtype=np.int64, count=len(self.patch))
        at = np.flatnonzero(np.isin(rows, keys))
        if not len(at):
            return sub
        return _replace_rows(sub, at, [self.patch[int(rows[j])] for j in at])


def _replace_rows(m: sparse.csr_matrix, at: np.ndarray, items: Sequence[tuple[np.ndarray, np.ndarray]]
                  ) -> sparse.csr_matrix:
    """A new CSR matrix: ``m`` with rows ``at`` (distinct) replaced by (columns, values); ``m`` is not touched."""
    counts = np.diff(m.indptr)
    if not len(at):
        return m
    new_counts = counts.copy()
    new_counts[at] = [len(c) for c, _ in items]
    if np.array_equal(counts[at], new_counts[at]) and all(
            np.array_equal(m.indices[m.indptr[r]:m.indptr[r + 1]], c) for r, (c, _) in zip(at.tolist(), items)):
        data = m.data.copy()                      # same pattern: share indptr and indices
        for r, (_, d) in zip(at.tolist(), items):
            data[m.indptr[r]:m.indptr[r + 1]] = d
        return sparse.csr_matrix((data, m.indices, m.indptr), shape=m.shape)
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(new_counts, out=indptr[1:])
    keep = np.ones(len(counts), dtype=bool)
    keep[at] = False
    data = np.empty(int(indptr[-1]), dtype=np.float64)
    indices = np.empty(int(indptr[-1]), dtype=m.indices.dtype)
    dest = np.repeat(keep, new_counts)
    src = np.repeat(keep, counts)
    data[dest] = m.data[src]
    indices[dest] = m.indices[src]
    for r, (c, d) in zip(at.tolist(), items):
        data[indptr[r]:indptr[r + 1]] = d
        indices[indptr[r]:indptr[r + 1]] = c
    return sparse.csr_matrix((data, indices, indptr), shape=m.shape)


def effective_assessments(assessments: list[Assessment] | tuple[Assessment, ...]) -> dict[str, Assessment]:
    """Per competency, the most recent assessment from the most trusted source present.

    >>> import datetime as dt
    >>> from graph.model import Source
    >>> a = [Assessment("1", "p", "sql", 4, Source.SELF, dt.date(2026, 6, 1)),
    ...      Assessment("2", "p", "sql", 2, Source.MANAGER, dt.date(2025, 1, 1)),
    ...      Assessment("3", "p", "sql", 3, Source.MANAGER, dt.date(2026, 1, 1))]
    >>> effective_assessments(a)["sql"].level
    3
    """
    best: dict[str, Assessment] = {}
    for a in assessments:
        cur = best.get(a.competency_id)
        if cur is None or (SOURCE_TRUST[a.source], a.at, a.id) > (SOURCE_TRUST[cur.source], cur.at, cur.id):
            best[a.competency_id] = a
    return best


@dataclass(frozen=True, eq=False)
class Projection:
    version: str
    org: Organisation
    comp_ids: tuple[str, ...]
    comp_index: Mapping[str, int]
    role_ids: tuple[str, ...]
    role_index: Mapping[str, int]
    required: sparse.csr_matrix      # roles x competencies: required level
    weight: sparse.csr_matrix        # same pattern: requirement weight
    essential: np.ndarray            # aligned with required.data
    nnz_role: np.ndarray             # aligned with required.data: the role index of each entry
    role_rank: np.ndarray            # level rank per role, -1 without a level
    role_family: tuple[str | None, ...]
    max_gap: np.ndarray              # per role: sum of weight * level
    moves: nx.DiGraph[str]           # curated moves between role ids
    person_ids: tuple[str, ...]
    person_index: Mapping[str, int]
    people: ProfileRows              # people x competencies: effective level (``profiles``, patched row by row)
    person_role: np.ndarray          # role index per person, -1 without a role
    effective: Mapping[str, Mapping[str, Assessment]]
    reports: Mapping[str, tuple[str, ...]]
    indicators: Mapping[tuple[str, int], tuple[Indicator, ...]]
    history: Mapping[str, Sequence[Assessment]] = field(default_factory=dict)
    """Per person with assessments, all of them in id order (what a refresh recomputes one person from)."""
    roles_key: RolesKey = field(default_factory=RolesKey)

    @property
    def max_level(self) -> int:
        return self.org.framework.max_level

    @property
    def profiles(self) -> sparse.csr_matrix:
        """people x competencies: effective level (sparse: most people hold few). After a refresh, the first
        use builds it from the previous matrix and the changed rows; :meth:`profile_rows` does not need it."""
        return self.people.matrix()

    def profile_rows(self, rows: np.ndarray) -> sparse.csr_matrix:
        """``profiles[rows]``, without building the whole matrix after a refresh."""
        return self.people.rows(np.asarray(rows, dtype=np.int64))

    def role_requirements(self, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(competency columns, levels, weights, essential flags) of role index ``r``."""
        lo, hi = self.required.indptr[r], self.required.indptr[r + 1]
        return (self.required.indices[lo:hi], self.required.data[lo:hi],
                self.weight.data[lo:hi], self.essential[lo:hi])

    def person_levels(self, row: int) -> np.ndarray:
        """Person ``row``'s effective levels as a dense vector (0 where nothing is assessed)."""
        out = np.zeros(len(self.comp_ids))
        cols, levels = self.people.row(row)
        out[cols] = levels
        return out

    def role_vector(self, r: int) -> np.ndarray:
        """Role ``r``'s requirements as a dense profile (the 'role profile')."""
        return np.asarray(self.required[r].toarray()).ravel()

    def all_reports(self, manager: str, depth: int | None = None) -> list[str]:
        """Everyone under ``manager``, breadth first, down to ``depth`` levels (None: all)."""
        out: list[str] = []
        frontier, d = [manager], 0
        seen = {manager}
        while frontier and (depth is None or d < depth):
            nxt = []
            for m in frontier:
                for p in self.reports.get(m, ()):
                    if p not in seen:
                        seen.add(p)
                        out.append(p)
                        nxt.append(p)
            frontier, d = nxt, d + 1
        return out


def held(profiles: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The levels of people ``rows`` in competencies ``cols``, dense (rows × cols), from a sparse people matrix.

    >>> m = sparse.csr_matrix(np.asarray([[0.0, 3.0], [2.0, 0.0]]))
    >>> held(m, np.asarray([1, 0]), np.asarray([1])).tolist()
    [[0.0], [3.0]]
    """
    out: np.ndarray = np.asarray(profiles[rows][:, cols].toarray())
    return out


def build_projection(org: Organisation, version: str = "") -> Projection:
    comp_ids = tuple(sorted(org.competencies))
    comp_index = {c: i for i, c in enumerate(comp_ids)}
    role_ids = tuple(sorted(org.roles))
    role_index = {r: i for i, r in enumerate(role_ids)}

    indptr, cols, levels, weights, essential = [0], [], [], [], []
    for rid in role_ids:
        reqs = sorted(org.roles[rid].requirements, key=lambda q: comp_index[q.competency_id])
        for q in reqs:
            cols.append(comp_index[q.competency_id])
            levels.append(q.level)
            weights.append(q.weight)
            essential.append(q.essential)
        indptr.append(len(cols))
    shape = (len(role_ids), len(comp_ids))
    idx = np.asarray(cols, dtype=np.int32)
    ptr = np.asarray(indptr, dtype=np.int64)
    required = sparse.csr_matrix((np.asarray(levels, dtype=np.float64), idx, ptr), shape=shape)
    weight = sparse.csr_matrix((np.asarray(weights, dtype=np.float64), idx, ptr), shape=shape)
    max_gap = np.asarray(required.multiply(weight).sum(axis=1)).ravel()
    nnz_role = np.repeat(np.arange(len(role_ids)), np.diff(ptr))

    ranks = {lv.id: lv.rank for lv in org.levels.values()}
    role_rank = np.asarray([ranks.get(org.roles[r].level_id or "", -1) for r in role_ids], dtype=np.int64)

    moves: nx.DiGraph[str] = nx.DiGraph()
    moves.add_nodes_from(role_ids)
    for m in org.moves:
        moves.add_edge(m.source, m.target, kind=m.kind)

    person_ids = tuple(sorted(org.people))
    person_index = {p: i for i, p in enumerate(person_ids)}
    history: defaultdict[str, list[Assessment]] = defaultdict(list)
    for a in org.assessments:
        history[a.person_id].append(a)
    effective: dict[str, dict[str, Assessment]] = {}
    rows: list[int] = []
    cols_held: list[int] = []
    held: list[int] = []
    for pid, items in history.items():
        eff = effective_assessments(items)
        effective[pid] = eff
        row = person_index[pid]
        for cid, a in eff.items():
            if a.level:
                rows.append(row)
                cols_held.append(comp_index[cid])
                held.append(a.level)
    profiles = sparse.csr_matrix((np.asarray(held, dtype=np.float64), (rows, cols_held)),
                                 shape=(len(person_ids), len(comp_ids)))
    profiles.sort_indices()
    person_role = np.asarray([role_index.get(org.people[p].role_id or "", -1) for p in person_ids],
                             dtype=np.int64)
    reports: dict[str, list[str]] = defaultdict(list)
    for p in person_ids:
        boss = org.people[p].manager_id
        if boss:
            reports[boss].append(p)
    indicators: dict[tuple[str, int], list[Indicator]] = defaultdict(list)
    for ind in org.indicators:
        indicators[(ind.competency_id, ind.level)].append(ind)

    return Projection(
        version=version, org=org, comp_ids=comp_ids, comp_index=comp_index, role_ids=role_ids,
        role_index=role_index, required=required, weight=weight,
        essential=np.asarray(essential, dtype=bool),
        nnz_role=nnz_role, role_rank=role_rank,
        role_family=tuple(org.roles[r].family_id for r in role_ids), max_gap=max_gap,
        moves=moves,
        person_ids=person_ids, person_index=person_index, people=ProfileRows(profiles), person_role=person_role,
        effective=effective, history=_frozen(history),
        reports={m: tuple(v) for m, v in reports.items()},
        indicators={k: tuple(sorted(v, key=lambda i: i.id)) for k, v in indicators.items()},
    )


def _frozen(history: defaultdict[str, list[Assessment]]) -> Mapping[str, Sequence[Assessment]]:
    history.default_factory = None          # a plain mapping from now on: a miss is a miss, not a new entry
    return history


# --- refreshing after a write to people or assessments ------------------------------------------------

ROLE_SIDE = ("framework", "competencies", "indicators", "families", "tracks", "levels", "roles", "moves")
"""The parts of an organisation that the role side of a projection comes from: a change to any of them
rebuilds the projection (and its role caches)."""

INSERTING = frozenset({"recordAssessment", "recordAssessments", "completePlanItem"})
"""Edits that only add assessments (``graph/edits.py``): what they added is found in O(added * log n)."""


@dataclass(frozen=True)
class Hint:
    """What an edit is known to have touched, so a refresh need not diff a million people to find it.

    ``people``: the only person ids that may differ (None: unknown, diff them); ``inserted``: the
    assessments tuple only gained entries; ``replaced``: the ids of the only assessments replaced in place.
    """

    people: frozenset[str] | None = None
    inserted: bool = False
    replaced: frozenset[str] | None = None


def edit_hint(action: str, subject: str) -> Hint:
    """The :class:`Hint` of an edit of ``graph/edits.py`` from its action and subject; ``Hint()`` otherwise.

    >>> edit_hint("updatePerson", "Person:ana")
    Hint(people=frozenset({'ana'}), inserted=False, replaced=None)
    """
    kind, _, key = subject.partition(":")
    if action in ("createPerson", "updatePerson") and kind == "Person":
        return Hint(people=frozenset({key}))
    if action in INSERTING:
        return Hint(people=frozenset(), inserted=True)
    if action == "addEvidence" and kind == "Assessment":
        return Hint(people=frozenset(), replaced=frozenset({key}))
    return Hint()


@dataclass(frozen=True, eq=False)
class PeopleChange:
    """What a refresh changed on the people side, for the caches that carry over (:func:`on_refresh`).

    ``rows``: the rows (of the new projection) whose effective levels changed, sorted; ``shifted``: people
    were added, so rows moved; ``reports``/``roles``: the reporting lines / people's roles changed;
    ``people``: person records changed (names, emails, ...); ``assessed``: whose assessments changed.
    """

    rows: np.ndarray
    shifted: bool
    reports: bool
    roles: bool
    people: bool
    assessed: frozenset[str]


Carrier = Callable[["Projection", "Projection", PeopleChange], None]
_CARRIERS: list[Carrier] = []


def on_refresh(carrier: Carrier) -> Carrier:
    """Register ``carrier(old, new, change)``: called on every refresh, so a per-projection cache can
    hand what still holds (or a cheap way to patch it) from the old projection to the new one."""
    _CARRIERS.append(carrier)
    return carrier


def _replaced(old: Sequence[Assessment], new: Sequence[Assessment], ids: frozenset[str]
              ) -> tuple[list[Assessment], list[Assessment]] | None:
    """(removed, added) for assessments replaced in place, found by id (both tuples in id order)."""
    if len(old) != len(new):
        return None
    before, after = [], []
    for aid in ids:
        i = bisect.bisect_left(old, aid, key=lambda a: a.id)
        if i == len(old) or old[i].id != aid or new[i].id != aid:
            return None
        if new[i] is not old[i]:
            before.append(old[i])
            after.append(new[i])
    return before, after


def refresh_projection(proj: Projection, new: Organisation, version: str, hint: Hint = Hint()
                       ) -> Projection | None:
    """``build_projection(new, version)``, derived from ``proj`` when only people, assessments or what
    the projection does not hold (plans, pools, interests, resources) changed; None when a part the role
    side comes from changed, or people were removed (then build it in full).

    The result shares ``proj``'s role side (and its ``roles_key``, so role caches survive) and everything of
    the people side that did not change; ``proj`` is not touched. ``hint`` (:func:`edit_hint`) says where
    to look; without it the people and assessments are diffed in full (correct, O(n)).
    """
    old = proj.org
    if any(getattr(old, name) is not getattr(new, name) for name in ROLE_SIDE):
        return None
    # people: which records changed
    if new.people is old.people:
        touched: list[str] = []
    elif hint.people:
        touched = [p for p in hint.people if old.people.get(p) is not new.people.get(p)]
        if len(new.people) != len(old.people) + sum(p not in old.people for p in touched):
            return None
    else:
        touched = [p for p, v in new.people.items() if old.people.get(p) is not v]
        if len(new.people) != len(old.people) + sum(p not in old.people for p in touched):
            return None
    if any(p not in new.people for p in touched):
        return None                                  # someone left: rows would close up, build it whole
    # assessments: which were removed and added
    removed: list[Assessment] = []
    added: list[Assessment] = []
    if new.assessments is not old.assessments:
        found: tuple[list[Assessment], list[Assessment]] | None = None
        if hint.inserted:
            at = insertion_points(old.assessments, new.assessments)
            found = None if at is None else ([], [new.assessments[i] for i in at])
        elif hint.replaced is not None:
            found = _replaced(old.assessments, new.assessments, hint.replaced)
        removed, added = found if found is not None else identity_diff(old.assessments, new.assessments)
    assessed = {a.person_id for a in (*removed, *added)}
    if any(p not in new.people for p in assessed):
        return None
    return _refreshed(proj, new, version, touched, assessed, removed, added)


def _refreshed(proj: Projection, new: Organisation, version: str, touched: list[str], assessed: set[str],
               removed: list[Assessment], added: list[Assessment]) -> Projection:
    old = proj.org
    fresh = sorted(p for p in touched if p not in old.people)
    person_ids, person_index, people, person_role = proj.person_ids, proj.person_index, proj.people, proj.person_role
    if fresh:                                        # new people: insert their (empty) rows in id order
        person_ids = tuple(sorted((*person_ids, *fresh)))
        person_index = {p: i for i, p in enumerate(person_ids)}
        at = [bisect.bisect_left(proj.person_ids, p) for p in fresh]
        base = people.matrix()
        counts = np.insert(np.diff(base.indptr), at, 0)
        indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        people = ProfileRows(sparse.csr_matrix((base.data, base.indices, indptr),
                                               shape=(len(person_ids), base.shape[1])))
        person_role = np.insert(person_role, at, -1)
    # people's roles and reporting lines
    role_changes = {}
    report_changes: dict[str, Any] = {}
    for p in touched:
        before, after = old.people.get(p), new.people[p]
        role = proj.role_index.get(after.role_id or "", -1)
        if before is None or before.role_id != after.role_id:
            role_changes[person_index[p]] = role
        boss_before = before.manager_id if before is not None else None
        if boss_before != after.manager_id:
            if boss_before:
                kids = report_changes.get(boss_before, proj.reports.get(boss_before, ()))
                kept = tuple(k for k in kids if k != p)
                report_changes[boss_before] = kept if kept else Overlay.GONE
            if after.manager_id:
                kids = report_changes.get(after.manager_id, proj.reports.get(after.manager_id, ()))
                kids = () if kids is Overlay.GONE else kids
                report_changes[after.manager_id] = tuple(sorted((*kids, p)))
    if role_changes:
        person_role = person_role.copy() if person_role is proj.person_role else person_role
        person_role[list(role_changes)] = list(role_changes.values())
    reports = Overlay.over(proj.reports, report_changes)
    # assessments: each assessed person's history, effective assessments and row, from scratch
    gone = {id(a) for a in removed}
    new_history: dict[str, Any] = {}
    new_effective: dict[str, Any] = {}
    rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    extra: dict[str, list[Assessment]] = defaultdict(list)
    for a in added:
        extra[a.person_id].append(a)
    for p in assessed:
        items = sorted((*(a for a in proj.history.get(p, ()) if id(a) not in gone), *extra.get(p, ())),
                       key=lambda a: a.id)
        eff = effective_assessments(items)
        new_history[p] = tuple(items) if items else Overlay.GONE
        new_effective[p] = eff if eff else Overlay.GONE
        held = sorted((proj.comp_index[c], a.level) for c, a in eff.items() if a.level)
        rows[person_index[p]] = (np.asarray([c for c, _ in held], dtype=np.int32),
                                 np.asarray([lv for _, lv in held], dtype=np.float64))
    changed_rows = {r: v for r, v in rows.items() if not _same_row(people.row(r), v)}
    people = people.replaced(changed_rows) if changed_rows else people
    out = dataclasses.replace(
        proj, version=version, org=new, person_ids=person_ids, person_index=person_index, people=people,
        person_role=person_role, effective=Overlay.over(proj.effective, new_effective), reports=reports,
        history=Overlay.over(proj.history, new_history))
    change = PeopleChange(np.asarray(sorted(changed_rows), dtype=np.int64), bool(fresh), bool(report_changes),
                          bool(role_changes), bool(touched), frozenset(assessed))
    for carry in _CARRIERS:
        carry(proj, out, change)
    return out


def _same_row(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    return np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
