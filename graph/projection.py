"""The projection: a read-only snapshot of an organisation as arrays, sparse
matrices and a move graph, built once per store version.

Store = truth; projection = speed. Roles and competencies are indexed in id order,
so every ranking that ties falls back to id order for free.

>>> from graph.seeds import sample_organisation
>>> p = build_projection(sample_organisation(), version="v1")
>>> p.required.shape == (len(p.role_ids), len(p.comp_ids))
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from scipy import sparse

from .model import SOURCE_TRUST, Assessment, Indicator, Organisation

__all__ = ["Projection", "RolesKey", "build_projection", "effective_assessments", "held"]


class RolesKey:
    """The identity of a projection's role side (competencies, roles, requirements, moves).

    A projection refreshed after a change to people or assessments only keeps the same key, so
    caches of facts about roles alone (role shapes, the step graph) key on it and survive the refresh.
    """

    __slots__ = ("__weakref__",)


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
    profiles: sparse.csr_matrix      # people x competencies: effective level (sparse: most people hold few)
    person_role: np.ndarray          # role index per person, -1 without a role
    effective: Mapping[str, Mapping[str, Assessment]]
    reports: Mapping[str, tuple[str, ...]]
    indicators: Mapping[tuple[str, int], tuple[Indicator, ...]]
    roles_key: RolesKey = field(default_factory=RolesKey)

    @property
    def max_level(self) -> int:
        return self.org.framework.max_level

    def role_requirements(self, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(competency columns, levels, weights, essential flags) of role index ``r``."""
        lo, hi = self.required.indptr[r], self.required.indptr[r + 1]
        return (self.required.indices[lo:hi], self.required.data[lo:hi],
                self.weight.data[lo:hi], self.essential[lo:hi])

    def person_levels(self, row: int) -> np.ndarray:
        """Person ``row``'s effective levels as a dense vector (0 where nothing is assessed)."""
        out = np.zeros(len(self.comp_ids))
        lo, hi = self.profiles.indptr[row], self.profiles.indptr[row + 1]
        out[self.profiles.indices[lo:hi]] = self.profiles.data[lo:hi]
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
    history: dict[str, list[Assessment]] = defaultdict(list)
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
        person_ids=person_ids, person_index=person_index, profiles=profiles, person_role=person_role,
        effective=effective,
        reports={m: tuple(v) for m, v in reports.items()},
        indicators={k: tuple(sorted(v, key=lambda i: i.id)) for k, v in indicators.items()},
    )
