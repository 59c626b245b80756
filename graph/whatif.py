"""What if: which roles' readiness or verdict change if a profile reached some levels.

"If I reach level 3 in X" is one question: the profile is raised (a level is never lowered: a
raise below what the profile holds changes nothing), and every role's gap, readiness and verdict
are compared before and after, in one vectorised pass each.

>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> from graph.profiles import resolve_profile
>>> proj = build_projection(sample_organisation())
>>> what_if(proj, resolve_profile(proj, person_id="priya-raman"), {})
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .errors import BadInput, NotFound
from .gaps import Verdict, essential_blockers, gaps_to_roles, readiness, verdicts
from .profiles import Profile
from .projection import Projection
from .thresholds import Thresholds

__all__ = ["Standing", "ReadinessChange", "standings", "what_if"]


@dataclass(frozen=True)
class Standing:
    gap: float
    readiness: float
    verdict: Verdict


@dataclass(frozen=True)
class ReadinessChange:
    role_id: str
    before: Standing
    after: Standing


def standings(proj: Projection, levels: np.ndarray, t: Thresholds) -> tuple[np.ndarray, np.ndarray, list[Verdict]]:
    """(gap, readiness, verdict) of one profile vector to every role."""
    gaps = gaps_to_roles(proj, levels)
    ready = readiness(gaps, proj.max_gap)
    return gaps, ready, verdicts(gaps, ready, essential_blockers(proj, levels), t)


def what_if(proj: Projection, profile: Profile, raise_to: Mapping[str, int], limit: int = 20,
            t: Thresholds = Thresholds()) -> list[ReadinessChange]:
    """Roles whose readiness or verdict change, biggest readiness gain first (ties by role id)."""
    raised = profile.levels.copy()
    for cid, level in raise_to.items():
        col = proj.comp_index.get(cid)
        if col is None:
            raise NotFound("competency", cid)
        if not 1 <= level <= proj.max_level:
            raise BadInput(f"raise: level {level} for '{cid}' is outside the scale 1..{proj.max_level}.")
        raised[col] = max(raised[col], level)
    g0, r0, v0 = standings(proj, profile.levels, t)
    g1, r1, v1 = standings(proj, raised, t)
    moved = np.nonzero((np.abs(r1 - r0) > 1e-9) | (np.asarray(v0) != np.asarray(v1)))[0]
    changed = sorted((int(i) for i in moved), key=lambda i: (-(r1[i] - r0[i]), proj.role_ids[i]))
    return [ReadinessChange(proj.role_ids[i], Standing(float(g0[i]), float(r0[i]), v0[i]),
                            Standing(float(g1[i]), float(r1[i]), v1[i])) for i in changed[:limit]]
