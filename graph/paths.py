"""Career paths: the sequence of moves with the smallest total gap to a target role.

A step's cost is the gap from the previous role's requirements to the next role;
the first step's cost is the gap from the actual profile. Moves are the curated
PROGRESSES_TO / CAN_MOVE_TO edges (plus, when enabled, inferred moves to roles at
most one level up whose role-to-role gap is under a threshold). A path never
revisits a role. ``k`` alternatives come from Yen's algorithm.

A profile without a current role (typed in) may start at any role; with a
per-step cap it climbs a ladder instead of jumping.

The moves are weighed once per role side (:func:`step_matrix`: CSR arrays, cached on
``proj.roles_key``, so a refresh of people or assessments keeps them). A request never
copies them: it prices the first step from the profile (from a typed-in profile: the gap to
every role, reading only the requirements of the competencies it holds), hides the edges over
the step cap as it reads them, and searches only the part of the moves that Yen's spur searches reach. The search is the
algorithm :func:`networkx.shortest_simple_paths` runs with a weight function (Yen, with a
bidirectional Dijkstra for each spur), step for step over the arrays — so the answers,
including which of two equally cheap paths comes first, are the ones networkx gave (issue 15).
The virtual start of a typed-in profile is never linked to every role: its moves are one
sorted array that the forward search reads from as it goes.

>>> from graph.document import from_document
>>> from graph.projection import build_projection
>>> from graph.profiles import resolve_profile
>>> org = from_document({"framework": {"id": "f", "name": "F"},
...     "competencies": [{"id": "a", "name": "A", "category": "TECHNICAL"}],
...     "roles": [{"id": f"r{i}", "title": f"R{i}", "requires": [{"competency": "a", "level": i}]}
...               for i in (1, 2, 3)],
...     "moves": {"progresses_to": [["r1", "r2"], ["r2", "r3"]]}})
>>> proj = build_projection(org)
>>> [path] = career_paths(proj, resolve_profile(proj, role_id="r1"), "r3")
>>> [(s.role_id, s.gap) for s in path.steps], path.total_gap, path.direct_gap
([('r2', 1.0), ('r3', 1.0)], 2.0, 2.0)
>>> m = step_matrix(proj)
>>> m.edges, m.matrix.toarray().tolist()
(2, [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from heapq import heappop, heappush
from itertools import islice
from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx
import numpy as np
from scipy import sparse

from .errors import BadInput, NotFound
from .gaps import as_reported, deficits, gaps_to_roles
from .profiles import Profile
from .projection import Projection, RolesKey
from .teams import requirement_positions
from .thresholds import Thresholds

__all__ = ["PathStep", "CareerPath", "StepMatrix", "step_matrix", "step_graph", "career_paths",
           "role_to_role_gaps", "gaps_to_some"]

_START = ("start",)
_MAX_EXAMINED = 2000
_INF = float("inf")
_SORTED_FIRST = 256      # the start's moves sorted up front; the search rarely reads further


@dataclass(frozen=True)
class PathStep:
    role_id: str
    gap: float


@dataclass(frozen=True)
class CareerPath:
    steps: tuple[PathStep, ...]
    total_gap: float
    direct_gap: float


@dataclass(frozen=True, eq=False)
class StepMatrix:
    """The moves between roles (role indices), each weighted by the role-to-role gap, as CSR arrays.

    ``matrix`` (roles x roles) holds each role's moves in the order they were weighed: curated moves in
    the order they were recorded, then inferred ones by role index; ``curated`` is aligned with its data.
    ``pred`` is the same moves by target role, each row's sources in the order the moves were weighed
    (by source role id). ``order`` lists ``matrix.data`` positions in the order the moves were weighed.
    """

    matrix: sparse.csr_matrix
    curated: np.ndarray
    pred: sparse.csr_matrix
    order: np.ndarray

    @property
    def edges(self) -> int:
        return int(self.matrix.nnz)


_matrices: WeakKeyDictionary[RolesKey, dict[float | None, StepMatrix]] = WeakKeyDictionary()
_lock = threading.Lock()


def step_matrix(proj: Projection, t: Thresholds = Thresholds()) -> StepMatrix:
    """The weighed moves of ``proj``'s role side (cached on ``proj.roles_key`` and the inference threshold)."""
    key = t.infer_moves_gap
    with _lock:
        got = _matrices.get(proj.roles_key, {}).get(key)
    if got is None:
        got = _weigh(proj, key)
        with _lock:
            got = _matrices.setdefault(proj.roles_key, {}).setdefault(key, got)
    return got


def _weigh(proj: Projection, infer: float | None) -> StepMatrix:
    index = proj.role_index
    n = len(proj.role_ids)
    if infer is None:      # curated moves only: every edge's gap at once
        pairs = [(u, v) for u in sorted({u for u, _ in proj.moves.edges()}) for v in proj.moves.successors(u)]
        us = np.asarray([index[u] for u, _ in pairs], dtype=np.int64)
        vs = np.asarray([index[v] for _, v in pairs], dtype=np.int64)
        ws = role_to_role_gaps(proj, us, vs)
        curated = np.ones(len(pairs), dtype=bool)
    else:
        u_parts: list[np.ndarray] = []
        v_parts: list[np.ndarray] = []
        w_parts: list[np.ndarray] = []
        c_parts: list[np.ndarray] = []
        rank = proj.role_rank
        for u in sorted(proj.role_ids):
            ui = index[u]
            moves = np.asarray([index[v] for v in proj.moves.successors(u)], dtype=np.int64)
            if rank[ui] >= 0:      # inferred: at most one level up, a role-to-role gap under the threshold
                up = rank - rank[ui]
                near = np.flatnonzero((up >= 0) & (up <= 1) & (rank >= 0))
            else:
                near = np.zeros(0, dtype=np.int64)
            asked = np.concatenate([moves, near])
            gaps = gaps_to_some(proj, proj.role_vector(ui), asked) if len(asked) else np.zeros(0)
            keep = (gaps[len(moves):] < infer) & (near != ui) & ~np.isin(near, moves)
            extra = near[keep]
            u_parts.append(np.full(len(moves) + len(extra), ui, dtype=np.int64))
            v_parts += [moves, extra]
            w_parts += [gaps[:len(moves)], gaps[len(moves):][keep]]
            c_parts += [np.ones(len(moves), dtype=bool), np.zeros(len(extra), dtype=bool)]
        us, vs = np.concatenate(u_parts or [np.zeros(0, np.int64)]), np.concatenate(v_parts or [np.zeros(0, np.int64)])
        ws, curated = np.concatenate(w_parts or [np.zeros(0)]), np.concatenate(c_parts or [np.zeros(0, bool)])
    by_source = np.argsort(us, kind="stable")       # weighing order within each row
    by_target = np.argsort(vs, kind="stable")
    matrix = sparse.csr_matrix((ws[by_source].astype(np.float64), vs[by_source], _indptr(us, n)), shape=(n, n))
    pred = sparse.csr_matrix((ws[by_target].astype(np.float64), us[by_target], _indptr(vs, n)), shape=(n, n))
    order = np.empty(len(us), dtype=np.int64)
    order[by_source] = np.arange(len(us))
    return StepMatrix(matrix, curated[by_source], pred, order)


def _indptr(rows: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)


@lru_cache(maxsize=4)
def step_graph(proj: Projection, t: Thresholds = Thresholds()) -> nx.DiGraph[Any]:
    """The weighed moves (:func:`step_matrix`) as a networkx graph, for callers that browse them (the
    inferred moves of a role, counts at start); career paths never build it.

    Nodes are role ids; each edge has ``weight`` (the role-to-role gap) and ``curated``. As before issue
    15, a virtual start node (``("start",)``) links to every role with weight 0.
    """
    m = step_matrix(proj, t)
    ids = proj.role_ids
    src = np.repeat(np.arange(len(ids)), np.diff(m.matrix.indptr))
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from((ids[u], ids[v], {"weight": w, "curated": c}) for u, v, w, c in
                     zip(src[m.order].tolist(), m.matrix.indices[m.order].tolist(),
                         m.matrix.data[m.order].tolist(), m.curated[m.order].tolist()))
    g.add_edges_from(((_START, r) for r in ids), weight=0.0, curated=False)
    return g


def _entries(proj: Projection, roles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The requirement entries of ``roles`` (indices into ``proj.required.data``, role by role) and, for each,
    its position in ``roles``."""
    ptr = proj.required.indptr
    count = ptr[roles + 1] - ptr[roles]
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    entry = np.repeat(ptr[roles] - start, count) + np.arange(int(count.sum()))
    return entry, np.repeat(np.arange(len(roles)), count)


def role_to_role_gaps(proj: Projection, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The gap from role ``sources[i]``'s requirements (as a profile) to role ``targets[i]``, for every i at once:
    the values :func:`gaps_to_roles` gives, without a pass over every role per source."""
    entry, pair = _entries(proj, targets)
    cols = proj.required.indices[entry]
    at = requirement_positions(proj)[sources[pair], cols].astype(np.int64)
    held = np.zeros(len(entry))
    asked = at >= 0
    held[asked] = proj.required.data[proj.required.indptr[sources[pair][asked]] + at[asked]]
    weighted = deficits(proj.required.data[entry], held) * proj.weight.data[entry]
    out: np.ndarray = as_reported(np.bincount(pair, weights=weighted, minlength=len(targets)))
    return out


def gaps_to_some(proj: Projection, levels: np.ndarray, roles: np.ndarray) -> np.ndarray:
    """:func:`gaps_to_roles` for the roles ``roles`` only (the same values, summed entry by entry)."""
    entry, pair = _entries(proj, roles)
    weighted = deficits(proj.required.data[entry], levels[proj.required.indices[entry]]) * proj.weight.data[entry]
    out: np.ndarray = as_reported(np.bincount(pair, weights=weighted, minlength=len(roles)))
    return out


class _Search:
    """One request over a step matrix: the first step priced from the profile, edges over the step cap
    hidden, and Yen's algorithm with bidirectional Dijkstra spur searches exactly as networkx runs them
    (same neighbour order, same heap ties, same sums), with removed edges and nodes as sets, not copies.

    Nodes are role indices and ``len(roles)`` for the virtual start. ``first[v]`` is the first step's
    price (from ``origin``, the current role or the virtual start), for every move out of ``origin``.
    """

    def __init__(self, m: StepMatrix, origin: int, first: Sequence[float] | dict[int, float],
                 cap: float | None, bulk: list[int] | None, bulk_seen: list[float] | None) -> None:
        self.m, self.origin, self.first, self.cap = m, origin, first, cap
        self.start = m.matrix.shape[0]
        self.bulk, self.bulk_seen = bulk, bulk_seen      # the start's moves, cheapest first; their prices
        self.rest: np.ndarray | None = None              # (once set) the prices, to sort the rest of ``bulk``
        self._succ: dict[int, list[tuple[int, float]]] = {}
        self._pred: dict[int, list[tuple[int, float]]] = {}
        self._weights: dict[int, dict[int, float]] = {}

    def grow(self) -> bool:
        """Sort the rest of the start's moves (only the cheapest few are sorted up front); False: all are."""
        if self.rest is None or self.bulk is None:
            return False
        prices, self.rest = self.rest, None
        self.bulk[:] = _cheapest_first(prices, np.isfinite(prices), None)
        return True

    def succ(self, x: int) -> list[tuple[int, float]]:
        got = self._succ.get(x)
        if got is None:
            lo, hi = self.m.matrix.indptr[x], self.m.matrix.indptr[x + 1]
            vs: list[int] = self.m.matrix.indices[lo:hi].tolist()
            ws: list[float] = [self.first[v] for v in vs] if x == self.origin else self.m.matrix.data[lo:hi].tolist()
            got = [(v, w) for v, w in zip(vs, ws) if self.cap is None or w <= self.cap]
            self._succ[x] = got
        return got

    def pred(self, x: int) -> list[tuple[int, float]]:
        got = self._pred.get(x)
        if got is None and x == self.start:     # nothing leads to the virtual start
            got = self._pred[x] = []
        if got is None:
            lo, hi = self.m.pred.indptr[x], self.m.pred.indptr[x + 1]
            us: list[int] = self.m.pred.indices[lo:hi].tolist()
            ws: list[float] = self.m.pred.data[lo:hi].tolist()
            pairs = [(u, self.first[x] if u == self.origin else w) for u, w in zip(us, ws)]
            pairs.append((self.start, self.first[x] if self.origin == self.start else 0.0))   # the virtual start
            got = [(u, w) for u, w in pairs if self.cap is None or w <= self.cap]
            self._pred[x] = got
        return got

    def weight(self, u: int, v: int) -> float:
        if u == self.origin:
            return self.first[v]
        got = self._weights.get(u)
        if got is None:
            got = self._weights[u] = dict(self.succ(u))
        return got[v]

    def shortest(self, source: int, target: int, ignore_nodes: set[int],
                 ignore_edges: set[tuple[int, int]]) -> tuple[float, list[int]] | None:
        """networkx's ``_bidirectional_dijkstra`` (None: no path), reading the start's moves in bulk."""
        if ignore_nodes and (source in ignore_nodes or target in ignore_nodes):
            return None
        if source == target:
            return 0, [source]
        start = self.start
        dists0: dict[int, float] = {}
        dists1: dict[int, float] = {}
        paths0: dict[int, list[int]] = {source: [source]}
        paths1: dict[int, list[int]] = {target: [target]}
        seen0: dict[int, float] = {source: 0}
        seen1: dict[int, float] = {target: 0}
        fringe0: list[tuple[float, int, int]] = [(0, 0, source)]
        fringe1: list[tuple[float, int, int]] = [(0, 1, target)]
        c = 2
        finalpath: list[int] = []
        finaldist: float = 0
        # The start's moves, once pushed: every one at its first-step price, before any other push (so
        # first among equals), read in order from ``bulk`` instead of a heap of every role.
        bulk: list[int] = []
        bulk_seen: list[float] = []
        at = 0
        skip: set[int] = set()

        def seen_forward(w: int) -> float | None:
            s = seen0.get(w)
            if s is None and bulk and w not in skip:
                b = bulk_seen[w]
                return None if b == _INF else b
            return s

        def path_forward(w: int) -> list[int]:
            p = paths0.get(w)
            return [start, w] if p is None else p

        direction = 1
        while (fringe0 or at < len(bulk)) and fringe1:
            direction = 1 - direction
            if direction == 0:
                if at < len(bulk) and (not fringe0 or bulk_seen[bulk[at]] <= fringe0[0][0]):
                    v = bulk[at]
                    dist = bulk_seen[v]
                    at += 1
                    while (at < len(bulk) or self.grow()) and bulk[at] in skip:
                        at += 1
                else:
                    dist, _, v = heappop(fringe0)
                if v in dists0:
                    continue
                dists0[v] = dist
                if v in dists1:
                    return finaldist, finalpath
                if v == start:
                    assert self.bulk is not None and self.bulk_seen is not None and v == source
                    bulk, bulk_seen = self.bulk, self.bulk_seen
                    skip = {w for u, w in ignore_edges if u == start} | ignore_nodes
                    while (at < len(bulk) or self.grow()) and bulk[at] in skip:
                        at += 1
                    if target not in skip and bulk_seen[target] != _INF:     # seen from both sides
                        finaldist, finalpath = bulk_seen[target] + seen1[target], [start, target]
                    continue
                for w, wt in self.succ(v):
                    if w in ignore_nodes or (v, w) in ignore_edges or w in dists0:
                        continue
                    length = dist + wt
                    s = seen_forward(w)
                    if s is None or length < s:
                        seen0[w] = length
                        heappush(fringe0, (length, c, w))
                        c += 1
                        paths0[w] = path_forward(v) + [w]
                        s1 = seen1.get(w)
                        if s1 is not None:
                            total = length + s1
                            if not finalpath or finaldist > total:
                                finaldist = total
                                finalpath = paths0[w] + paths1[w][::-1][1:]
            else:
                dist, _, v = heappop(fringe1)
                if v in dists1:
                    continue
                dists1[v] = dist
                if v in dists0:
                    return finaldist, finalpath
                for u, wt in self.pred(v):
                    if u in ignore_nodes or (u, v) in ignore_edges or u in dists1:
                        continue
                    length = dist + wt
                    s = seen1.get(u)
                    if s is None or length < s:
                        seen1[u] = length
                        heappush(fringe1, (length, c, u))
                        c += 1
                        paths1[u] = paths1[v] + [u]
                        s0 = seen_forward(u)
                        if s0 is not None:
                            total = s0 + length
                            if not finalpath or finaldist > total:
                                finaldist = total
                                finalpath = path_forward(u) + paths1[u][::-1][1:]
        return None

    def simple_paths(self, target: int) -> Iterator[list[int]]:
        """networkx's ``shortest_simple_paths`` (Yen) from ``origin``: simple paths, cheapest first."""
        source = self.origin
        found: list[list[int]] = []
        queued: set[tuple[int, ...]] = set()
        heap: list[tuple[float, int, list[int]]] = []
        counter = 0

        def push(cost: float, path: list[int]) -> None:
            nonlocal counter
            if tuple(path) not in queued:
                heappush(heap, (cost, counter, path))
                counter += 1
                queued.add(tuple(path))

        prev: list[int] | None = None
        while True:
            if not prev:
                got = self.shortest(source, target, set(), set())
                if got is None:
                    return
                push(*got)
            else:
                ignore_nodes: set[int] = set()
                ignore_edges: set[tuple[int, int]] = set()
                for i in range(1, len(prev)):
                    root = prev[:i]
                    root_length = sum(self.weight(u, v) for u, v in zip(root, root[1:]))
                    for path in found:
                        if path[:i] == root:
                            ignore_edges.add((path[i - 1], path[i]))
                    got = self.shortest(root[-1], target, ignore_nodes, ignore_edges)
                    if got is not None:
                        push(root_length + got[0], root[:-1] + got[1])
                    ignore_nodes.add(root[-1])
            if not heap:
                return
            path = heappop(heap)[2]
            queued.remove(tuple(path))
            yield path
            found.append(path)
            prev = path


def _cheapest_first(prices: np.ndarray, open_: np.ndarray, few: int | None) -> list[int]:
    """The roles where ``open_``, by (price, index): all of them, or (``few``) only a prefix of that order
    holding at least the ``few`` cheapest (every role priced at most the ``few``-th price)."""
    at = np.flatnonzero(open_)
    if few is not None and len(at) > few:
        bound = np.partition(prices[at], few - 1)[few - 1]
        at = at[prices[at] <= bound]
    out: list[int] = at[np.argsort(prices[at], kind="stable")].tolist()
    return out


def career_paths(proj: Projection, profile: Profile, target: str, k: int = 1,
                 max_steps: int | None = None, max_step_gap: float | None = None,
                 t: Thresholds = Thresholds()) -> list[CareerPath]:
    """Up to ``k`` cheapest paths to ``target``; an empty list when it cannot be reached."""
    if target not in proj.role_index:
        raise NotFound("role", target)
    if k < 1:
        raise BadInput(f"k must be at least 1, not {k}.")
    if max_steps is not None and max_steps < 1:
        raise BadInput(f"maxSteps must be at least 1, not {max_steps}.")
    if max_step_gap is not None and max_step_gap < 0:
        raise BadInput(f"maxStepGap must not be negative, not {max_step_gap}.")
    m = step_matrix(proj, t)
    n = len(proj.role_ids)
    goal = proj.role_index[target]
    first: list[float] | dict[int, float]
    bulk: list[int] | None = None
    bulk_seen: list[float] | None = None
    # The first step is priced from the profile: towards every role from the virtual start (one vectorised
    # product), else only towards the moves out of the current role (and the target, for the direct gap).
    if profile.role < 0:
        origin = n
        prices = gaps_to_roles(proj, profile.levels)
        listed: list[float] = prices.tolist()
        first = listed
        shown = prices if max_step_gap is None else np.where(prices <= max_step_gap, prices, _INF)
        bulk_seen = listed if max_step_gap is None else shown.tolist()
        bulk = _cheapest_first(shown, np.isfinite(shown), _SORTED_FIRST)
        direct = listed[goal]
    else:
        origin = profile.role
        lo, hi = m.matrix.indptr[origin], m.matrix.indptr[origin + 1]
        near = np.concatenate([[goal], m.matrix.indices[lo:hi]]).astype(np.int64)
        first = dict(zip(near.tolist(), gaps_to_some(proj, profile.levels, near).tolist()))
        direct = first[goal]
        if origin == goal:      # already there: no move, and what is left to close is the direct gap
            return [CareerPath((), direct, direct)]
    search = _Search(m, origin, first, max_step_gap, bulk, bulk_seen)
    if bulk is not None and len(bulk) < int(np.isfinite(shown).sum()):
        search.rest = shown
    found: list[CareerPath] = []
    for nodes in islice(search.simple_paths(goal), _MAX_EXAMINED):
        roles = nodes[1:]
        if max_steps is not None and len(roles) > max_steps:
            continue
        steps = tuple(PathStep(proj.role_ids[v], float(search.weight(u, v) or 0.0)) for u, v in zip(nodes, roles))
        found.append(CareerPath(steps, as_reported(sum(s.gap for s in steps)), direct))
        if len(found) == k:
            break
    return found
