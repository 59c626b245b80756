"""Closeness: which roles a profile is nearest to.

Ranking by gap alone is wrong: roles that require little have a tiny gap from
everyone, so a pure-gap ranking recommends unrelated junior roles. The distance
is two-sided and normalised::

    distance = (deficit + s * unused) / (sum_c w_rc * L_rc + s * own) + level_weight * |rank(role) - rank(profile)|

``deficit`` is the gap (counted fully); ``unused`` is the profile's
importance-weighted strength the role does not ask for, ``sum_c i_c * max(0, p_c - L_rc)``
over *all* competencies, counted partly (``s = surplus_weight``, 0.5); ``own`` is
``sum_c i_c * p_c``; ``i_c`` is the profile's own weight for ``c`` (its role's
requirement weight, or 1). The first term is the share of the combined weighted
competence of role and profile that does not match: 0 for identical profiles, 1
when they have nothing in common, whatever the roles' sizes — so a big role is not
far merely for being big, and a small one is not near merely for being small. The
level term (``level_weight`` 0.02 per rank) breaks near-ties towards nearby levels.
On O*NET this ranks about 29% of an occupation's top 10 in its own SOC minor group,
against 23% for the unnormalised form and 5% for pure gap (``bench/quality.md``).

>>> from graph.document import from_document
>>> from graph.projection import build_projection
>>> from graph.profiles import resolve_profile
>>> org = from_document({"framework": {"id": "f", "name": "F"},
...     "competencies": [{"id": c, "name": c, "category": "TECHNICAL"} for c in "abc"],
...     "roles": [{"id": "junior", "title": "J", "requires": [{"competency": "c", "level": 1}]},
...               {"id": "peer", "title": "P", "requires": [{"competency": "a", "level": 3},
...                                                         {"competency": "b", "level": 3}]}]})
>>> proj = build_projection(org)
>>> me = resolve_profile(proj, proficiencies={"a": 3, "b": 2})
>>> [(m.role_id, m.gap, m.distance) for m in closest_roles(proj, me)]
[('peer', 1.0, 0.117647), ('junior', 1.0, 1.0)]
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from .errors import BadInput, NotFound
from .gaps import Verdict, essential_blockers, gaps_to_roles, readiness, verdicts
from .profiles import Profile
from .projection import Projection
from .thresholds import Thresholds

__all__ = ["Direction", "RoleMatch", "distances", "closest_roles"]


class Direction(str, Enum):
    ANY = "ANY"
    UP = "UP"
    LATERAL = "LATERAL"


@dataclass(frozen=True)
class RoleMatch:
    role_id: str
    distance: float
    gap: float
    readiness: float
    verdict: Verdict


def distances(proj: Projection, profile: Profile, t: Thresholds = Thresholds()) -> tuple[np.ndarray, np.ndarray]:
    """(distance, gap) from the profile to every role, vectorised."""
    p, imp = profile.levels, profile.importance
    gaps = gaps_to_roles(proj, p)
    used = np.minimum(p[proj.required.indices], proj.required.data) * imp[proj.required.indices]
    used_per_role = np.bincount(proj.nnz_role, weights=used, minlength=len(proj.role_ids))
    own = float(np.dot(p, imp))
    unused = own - used_per_role
    mass = proj.max_gap + t.surplus_weight * own
    dist = np.divide(gaps + t.surplus_weight * unused, mass, out=np.zeros_like(mass), where=mass > 0)
    if profile.role >= 0 and proj.role_rank[profile.role] >= 0:
        ranks = proj.role_rank
        delta = np.where(ranks >= 0, np.abs(ranks - proj.role_rank[profile.role]), 0)
        dist = dist + t.level_weight * delta
    return dist, gaps


def closest_roles(proj: Projection, profile: Profile, limit: int = 10, family: str | None = None,
                  direction: Direction = Direction.ANY, max_level_delta: int | None = None,
                  t: Thresholds = Thresholds()) -> list[RoleMatch]:
    """Roles ordered by distance (ties by role id), leaving out the profile's own role."""
    if family is not None and family not in proj.org.families:
        raise NotFound("job family", family)
    dist, gaps = distances(proj, profile, t)
    keep = np.ones(len(proj.role_ids), dtype=bool)
    if profile.role >= 0:
        keep[profile.role] = False
    if family is not None:
        keep &= np.asarray([f == family for f in proj.role_family], dtype=bool)
    if direction is not Direction.ANY or max_level_delta is not None:
        if profile.role < 0 or proj.role_rank[profile.role] < 0:
            raise BadInput("direction and maxLevelDelta need a profile with a current role at a level "
                           "(a personId with a role, or a roleId).")
        delta = proj.role_rank - proj.role_rank[profile.role]
        keep &= proj.role_rank >= 0
        if direction is Direction.UP:
            keep &= delta > 0
        elif direction is Direction.LATERAL:
            keep &= delta == 0
        if max_level_delta is not None:
            keep &= np.abs(delta) <= max_level_delta
    idx = np.flatnonzero(keep)
    order = idx[np.lexsort((idx, np.round(dist[idx], 9)))][:limit]
    ready = readiness(gaps[order], proj.max_gap[order])
    blocked = essential_blockers(proj, profile.levels)[order]
    verdict = verdicts(gaps[order], ready, blocked, t)
    return [RoleMatch(proj.role_ids[r], round(float(dist[r]), 6), float(gaps[r]), float(rd), v)
            for r, rd, v in zip(order, ready, verdict)]
