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

from .errors import BadInput, NotFound
from .gaps import as_reported
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
                 profiles: np.ndarray | None = None) -> Heatmap:
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
    for pid in people:
        row = proj.person_index[pid]
        r = int(proj.person_role[row])
        if r < 0:
            continue
        cols, levels, weights, _ = proj.role_requirements(r)
        for c, need, w in zip(cols, levels, weights):
            cid, cur = proj.comp_ids[c], int(profiles[row, c])
            deficit = max(0, int(need) - cur)
            cells.append(HeatCell(pid, cid, int(need), cur, deficit, float(w)))
            if deficit:
                total[cid] += w * deficit
                below[cid].append(pid)
    comps = tuple(sorted({c.competency_id for c in cells}))
    ranked = sorted(total, key=lambda c: (-round(total[c], 9), c))[:top]
    gaps = tuple(TeamGap(c, as_reported(total[c]), tuple(below[c])) for c in ranked)
    return Heatmap(manager, people, comps, tuple(cells), gaps)
