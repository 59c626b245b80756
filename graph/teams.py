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

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .errors import BadInput, NotFound
from .gaps import as_reported, deficits
from .projection import Projection

__all__ = ["HeatCell", "TeamGap", "Heatmap", "team_heatmap"]


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


@dataclass(frozen=True)
class Heatmap:
    manager_id: str
    people: tuple[str, ...]
    competency_ids: tuple[str, ...]
    cells: tuple[HeatCell, ...]
    top_gaps: tuple[TeamGap, ...]


def team_heatmap(proj: Projection, manager: str, depth: int | None = None, top: int = 3,
                 profiles: sparse.csr_matrix | None = None) -> Heatmap:
    """``depth`` 1 means direct reports; None means everyone under the manager.

    ``profiles`` (people × competencies) replaces today's levels (e.g. the levels as of a past day).
    """
    profiles = proj.profiles if profiles is None else profiles
    if manager not in proj.person_index:
        raise NotFound("person", manager)
    if depth is not None and depth < 1:
        raise BadInput(f"depth must be at least 1 (1 = direct reports), not {depth}.")
    people = tuple(proj.all_reports(manager, depth))
    cells: list[HeatCell] = []
    total: dict[str, float] = defaultdict(float)
    below: dict[str, list[str]] = defaultdict(list)
    team = profiles[np.asarray([proj.person_index[p] for p in people], dtype=np.int64)]
    for i, pid in enumerate(people):
        r = int(proj.person_role[proj.person_index[pid]])
        if r < 0:
            continue
        cols, levels, weights, _ = proj.role_requirements(r)
        own = np.zeros(len(proj.comp_ids))
        lo, hi = team.indptr[i], team.indptr[i + 1]
        own[team.indices[lo:hi]] = team.data[lo:hi]
        own = own[cols]
        for c, need, cur, deficit, w in zip(cols, levels, own, deficits(levels, own), weights):
            cid, deficit = proj.comp_ids[c], int(deficit)
            cells.append(HeatCell(pid, cid, int(need), int(cur), deficit, float(w)))
            if deficit:
                total[cid] += w * deficit
                below[cid].append(pid)
    comps = tuple(sorted({c.competency_id for c in cells}))
    ranked = sorted(total, key=lambda c: (-round(total[c], 9), c))[:top]
    gaps = tuple(TeamGap(c, as_reported(total[c]), tuple(below[c])) for c in ranked)
    return Heatmap(manager, people, comps, tuple(cells), gaps)
