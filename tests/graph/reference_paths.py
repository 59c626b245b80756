"""The networkx career-path search that graph/paths.py ran before issue 15, kept as the reference the
CSR search is compared with (tests/graph/test_paths.py) and as the baseline of bench/paths.py.

Copied as it was (the step graph, its cache on the projection, Yen's algorithm through
:func:`networkx.shortest_simple_paths`); only the imports point at the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import BadInput, NotFound
from graph.gaps import as_reported, deficits, gaps_to_roles
from graph.profiles import Profile
from graph.projection import Projection
from graph.teams import requirement_positions
from graph.thresholds import Thresholds

__all__ = ["step_graph", "career_paths"]

_START = ("start",)
_MAX_EXAMINED = 2000


@dataclass(frozen=True)
class PathStep:
    role_id: str
    gap: float


@dataclass(frozen=True)
class CareerPath:
    steps: tuple[PathStep, ...]
    total_gap: float
    direct_gap: float


@lru_cache(maxsize=4)
def step_graph(proj: Projection, t: Thresholds = Thresholds()) -> nx.DiGraph[Any]:
    """Moves between roles, each weighted by the role-to-role gap (cached per projection).

    A virtual start node links to every role: where a typed-in profile (no current
    role) begins. Per query, a weight function prices the first step from the actual
    profile and hides edges over the step cap, so the cached graph is never copied.
    """
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_nodes_from(proj.role_ids)
    if t.infer_moves_gap is None:      # curated moves only: every edge's gap at once
        pairs = [(u, v) for u in sorted({u for u, _ in proj.moves.edges()}) for v in proj.moves.successors(u)]
        index = proj.role_index
        weights = role_to_role_gaps(proj, np.asarray([index[u] for u, _ in pairs], dtype=np.int64),
                                    np.asarray([index[v] for _, v in pairs], dtype=np.int64))
        g.add_edges_from((u, v, {"weight": w, "curated": True}) for (u, v), w in zip(pairs, weights.tolist()))
    else:
        for u in sorted(proj.role_ids):
            ui = proj.role_index[u]
            gaps = gaps_to_roles(proj, proj.role_vector(ui))
            for v in proj.moves.successors(u):
                g.add_edge(u, v, weight=float(gaps[proj.role_index[v]]), curated=True)
            if proj.role_rank[ui] >= 0:
                up = proj.role_rank - proj.role_rank[ui]
                near = np.flatnonzero((up >= 0) & (up <= 1) & (gaps < t.infer_moves_gap) & (proj.role_rank >= 0))
                for vi in near:
                    v = proj.role_ids[vi]
                    if v != u and not g.has_edge(u, v):
                        g.add_edge(u, v, weight=float(gaps[vi]), curated=False)
    g.add_edges_from(((_START, r) for r in proj.role_ids), weight=0.0, curated=False)
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
    """:func:`gaps_to_roles` for the roles ``roles`` only (the same values, summed in the same order)."""
    entry, pair = _entries(proj, roles)
    weighted = deficits(proj.required.data[entry], levels[proj.required.indices[entry]]) * proj.weight.data[entry]
    out: np.ndarray = as_reported(np.bincount(pair, weights=weighted, minlength=len(roles)))
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
    source: str | tuple[str] = proj.role_ids[profile.role] if profile.role >= 0 else _START
    index = proj.role_index
    graph: nx.DiGraph[Any] = step_graph(proj, t)
    # The first step is priced from the profile: towards every role from the virtual start, else only
    # towards the moves out of the current role (and the target, for the direct gap).
    if source == _START:
        first = gaps_to_roles(proj, profile.levels)
    else:
        near = np.asarray([index[target], *(index[v] for v in graph.successors(source))], dtype=np.int64)
        first = np.zeros(len(proj.role_ids))
        first[near] = gaps_to_some(proj, profile.levels, near)
    direct = float(first[index[target]])
    if source == target:      # already there: no move, and what is left to close is the direct gap
        return [CareerPath((), direct, direct)]

    def weight(u: Any, v: Any, d: Any) -> float | None:
        w = float(first[index[v]]) if u == source else d["weight"]
        return None if max_step_gap is not None and w > max_step_gap else w

    found: list[CareerPath] = []
    try:
        for nodes in islice(nx.shortest_simple_paths(graph, source, target, weight=weight),
                            _MAX_EXAMINED):
            roles = nodes[1:]
            if max_steps is not None and len(roles) > max_steps:
                continue
            steps = tuple(PathStep(v, float(weight(u, v, graph[u][v]) or 0.0)) for u, v in zip(nodes, roles))
            found.append(CareerPath(steps, as_reported(sum(s.gap for s in steps)), direct))
            if len(found) == k:
                break
    except nx.NetworkXNoPath:
        return []
    return found
