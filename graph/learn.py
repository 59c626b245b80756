"""Learn next: the one-level gains ranked by what they unlock.

Without a target, a gain is judged on the profile's closest roles (see
:mod:`graph.closeness`): how many become READY, then how much readiness they gain
in total. With a target, by how much of the gap to it the gain closes.

>>> from graph.document import from_document
>>> from graph.projection import build_projection
>>> from graph.profiles import resolve_profile
>>> org = from_document({"framework": {"id": "f", "name": "F"},
...     "competencies": [{"id": c, "name": c.upper(), "category": "TECHNICAL"} for c in "ab"],
...     "roles": [{"id": "r", "title": "R", "requires": [{"competency": "a", "level": 2},
...                                                      {"competency": "b", "level": 3}]}]})
>>> proj = build_projection(org)
>>> steps = learn_next(proj, resolve_profile(proj, proficiencies={"a": 1, "b": 3}))
>>> [(s.competency_id, s.from_level, s.to_level, s.ready_roles) for s in steps]
[('a', 1, 2, ('r',))]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .closeness import closest_roles
from .errors import NotFound
from .gaps import as_reported, gaps_to_roles
from .profiles import Profile
from .projection import Projection
from .thresholds import Thresholds

__all__ = ["SkillStep", "learn_next"]

_NEIGHBOURS = 10


@dataclass(frozen=True)
class SkillStep:
    competency_id: str
    from_level: int
    to_level: int
    ready_roles: tuple[str, ...]
    """Roles that become READY with this gain."""
    improved_roles: tuple[str, ...]
    """Roles whose gap this gain reduces (the target alone when one is given)."""
    readiness_gain: float
    """Sum of the readiness gained over the roles judged."""
    gap_reduction: float
    reason: str


def learn_next(proj: Projection, profile: Profile, target: str | None = None, limit: int = 5,
               t: Thresholds = Thresholds()) -> list[SkillStep]:
    if target is not None:
        if target not in proj.role_index:
            raise NotFound("role", target)
        judged = [proj.role_index[target]]
    else:
        judged = [proj.role_index[m.role_id] for m in closest_roles(proj, profile, _NEIGHBOURS, t=t)]
    if not judged:
        return []
    p = profile.levels
    gaps = gaps_to_roles(proj, p)
    gains: dict[int, dict[int, float]] = {}   # competency column -> role -> weight
    for r in judged:
        cols, levels, weights, _ = proj.role_requirements(r)
        for c, lvl, w in zip(cols, levels, weights):
            if lvl > p[c]:
                gains.setdefault(int(c), {})[r] = float(w)
    steps = []
    for c, per_role in gains.items():
        cur = int(p[c])
        ready = tuple(sorted(proj.role_ids[r] for r, w in per_role.items() if abs(gaps[r] - w) < 1e-9))
        improved = tuple(sorted(proj.role_ids[r] for r in per_role))
        gain = round(float(sum(w / proj.max_gap[r] for r, w in per_role.items())), 6)
        reduction = as_reported(sum(per_role.values()))
        steps.append(SkillStep(proj.comp_ids[c], cur, cur + 1, ready, improved, gain, reduction,
                               _reason(proj, c, cur, ready, improved, reduction, target, len(judged), gaps)))
    steps.sort(key=lambda s: (-len(s.ready_roles), -round(s.readiness_gain, 9),
                              -s.gap_reduction, s.from_level, s.competency_id))
    return steps[:limit]


def _title(proj: Projection, role_id: str) -> str:
    return proj.org.roles[role_id].title


def _reason(proj: Projection, c: int, cur: int, ready: tuple[str, ...], improved: tuple[str, ...],
            reduction: float, target: str | None, judged: int, gaps: np.ndarray) -> str:
    name = proj.org.competencies[proj.comp_ids[c]].name
    head = f"Raising {name} from {cur} to {cur + 1}"
    if target is not None:
        total = float(gaps[proj.role_index[target]])
        tail = " and makes you ready for it" if ready else ""
        return f"{head} closes {reduction:g} of your {total:g} gap to {_title(proj, target)}{tail}."
    parts = []
    if ready:
        parts.append("makes you ready for " + ", ".join(_title(proj, r) for r in ready))
    parts.append(f"raises your readiness for {len(improved)} of your {judged} closest roles")
    return f"{head} " + " and ".join(parts) + "."
