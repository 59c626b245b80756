"""Closeness: which roles a profile is nearest to.

Ranking by gap alone is wrong: roles that require little have a tiny gap from
everyone, so a pure-gap ranking recommends unrelated junior roles. The distance
has two parts, each 0 for identical profiles, plus a level term::

    distance = (1 - e) * amount + e * emphasis + level_weight * |rank(role) - rank(profile)|

    amount   = sum_c u_c * (w_rc * max(0, L_rc - p_c) + s * max(0, i_c * p_c - w_rc * L_rc))
               / sum_c u_c * (w_rc * L_rc + s * i_c * p_c)
    emphasis = (1 - mean over kinds k of corr_k(i * p, w_r * L_r)) / 2

*amount* is how much must change: deficits counted fully, the profile's unused
strength (its importance-weighted level beyond the importance-weighted level the
role puts on ``c``: importance on both sides) counted partly (``s = surplus_weight``,
0.5), as a share of the two sides' combined weighted competence, so a big role is
not far merely for being big; ``u_c`` (``RoleShapes.specificity``) discounts
competencies that every role asks for. *emphasis* is whether the two are about the
same things: Pearson's correlation of importance x level over every competency of
the framework, taken separately for the skills and for the knowledge areas
(``Category.KNOWLEDGE``) and averaged. Each side is compared with its own average,
so what counts is which competencies stand out, not how demanding either side is:
a role one level up that asks for more of the same is close, a role of the same
size that asks for other things is far. Knowledge (which field) and skills (how the
work is done) are compared apart so that the many skills every role rates do not
drown the few knowledge areas that say what the work is about. ``i_c`` is the
profile's own weight for ``c`` (its role's requirement weight, or 1); ``e =
emphasis_weight`` (0.75); a role that requires nothing has emphasis 1. The level
term (0.02 per rank) prefers nearby levels. On O*NET this ranks 33.7% of an
occupation's top 10 in its own SOC minor group (cosine similarity of importance x
level 31.8%, pure gap 4%; ``bench/quality.md``).

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
[('peer', 1.0, 0.05007), ('junior', 1.0, 0.979342)]
"""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass
from enum import Enum

import numpy as np

from .errors import BadInput, NotFound
from .gaps import Verdict, deficits, essential_blockers, gaps_to_roles, readiness, verdicts
from .model import Category, Organisation
from .profiles import Profile
from .projection import Projection, RolesKey
from .thresholds import Thresholds

__all__ = ["Direction", "RoleMatch", "RoleShapes", "role_shapes", "with_shapes", "distances", "closest_roles", "kind_correlation",
           "competency_specificity", "competency_kind", "role_kind_sums"]

KINDS = 2


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


def competency_specificity(columns: np.ndarray, n_roles: int, n_comps: int) -> np.ndarray:
    """``log(1 + roles / roles requiring c)`` per competency: what asking for ``c`` says about a role.

    A competency every role asks for (communication) tells little about which roles are
    alike; one that three roles ask for tells a lot. The smooth inverse document frequency
    of text retrieval; a competency no role asks for counts as asked for by one.

    >>> competency_specificity(np.asarray([0, 0, 1]), n_roles=2, n_comps=3).round(3).tolist()
    [0.693, 1.099, 1.099]
    """
    asked = np.bincount(columns, minlength=n_comps)
    out: np.ndarray = np.log1p(n_roles / np.maximum(asked, 1))
    return out


def competency_kind(org: Organisation, comp_ids: tuple[str, ...]) -> np.ndarray:
    """1 for knowledge, 0 for a skill of any category, per competency."""
    return np.asarray([org.competencies[c].category is Category.KNOWLEDGE for c in comp_ids], dtype=np.int64)


def role_kind_sums(values: np.ndarray, kind: np.ndarray, nnz_role: np.ndarray, n_roles: int) -> np.ndarray:
    """Per role and kind, the sum of ``values`` (one per requirement entry; ``kind`` per entry).

    >>> role_kind_sums(np.asarray([1.0, 2.0, 4.0]), np.asarray([0, 1, 0]), np.asarray([0, 0, 1]), 2).tolist()
    [[1.0, 2.0], [4.0, 0.0]]
    """
    flat = np.bincount(nnz_role * KINDS + kind, weights=values, minlength=n_roles * KINDS)
    return flat.reshape(n_roles, KINDS)


@dataclass(frozen=True)
class RoleShapes:
    """What closeness needs of the roles, whatever the profile: computed once per projection."""

    specificity: np.ndarray   # per competency: log(1 + roles / roles requiring it)
    kind: np.ndarray          # per competency: 0 a skill, 1 knowledge (closeness compares each kind apart)
    nnz_kind: np.ndarray      # aligned with required.data: the kind of each entry's competency
    kind_size: np.ndarray     # competencies of each kind
    kind_sums: np.ndarray     # roles x kinds: sum of weight * level over the role's requirements of that kind
    kind_squares: np.ndarray  # roles x kinds: sum of (weight * level)^2 (with kind_sums: Pearson's r per query)


_SHAPES: weakref.WeakKeyDictionary[RolesKey, RoleShapes] = weakref.WeakKeyDictionary()


def role_shapes(proj: Projection) -> RoleShapes:
    """The projection's :class:`RoleShapes`, built on first use and kept as long as its role side
    (``proj.roles_key``: a refresh after a write to people keeps them)."""
    shapes = _SHAPES.get(proj.roles_key)
    if shapes is None:
        n = len(proj.role_ids)
        kind = competency_kind(proj.org, proj.comp_ids)
        asked = proj.weight.data * proj.required.data
        nnz_kind = kind[proj.required.indices]
        shapes = _SHAPES[proj.roles_key] = RoleShapes(
            competency_specificity(proj.required.indices, n, len(proj.comp_ids)), kind, nnz_kind,
            np.bincount(kind, minlength=KINDS), role_kind_sums(asked, nnz_kind, proj.nnz_role, n),
            role_kind_sums(asked ** 2, nnz_kind, proj.nnz_role, n))
    return shapes


def with_shapes(proj: Projection, **changes: np.ndarray) -> Projection:
    """A copy of ``proj`` whose :class:`RoleShapes` differ by ``changes``: for ablations (``bench/quality.py``)."""
    copy = dataclasses.replace(proj, roles_key=RolesKey())
    _SHAPES[copy.roles_key] = dataclasses.replace(role_shapes(proj), **changes)
    return copy


def kind_correlation(proj: Projection, own: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Per role, Pearson's correlation of ``own`` (i * p per competency) with the role's w * L
    (``asked``, per requirement entry), within the skills and within the knowledge areas, averaged
    over the kinds the framework has.

    Each side is compared with its own average, so a demanding role is not near a demanding
    profile merely for both being demanding; 0 where either side is flat (nothing to compare).
    """
    sh = role_shapes(proj)
    cross = role_kind_sums(own[proj.required.indices] * asked, sh.nnz_kind, proj.nnz_role, len(proj.role_ids))
    n = np.maximum(sh.kind_size, 1).astype(float)
    own_sum = np.bincount(sh.kind, weights=own, minlength=KINDS)
    cov = cross / n - own_sum * sh.kind_sums / n ** 2
    spread = np.sqrt(_variance(np.bincount(sh.kind, weights=own ** 2, minlength=KINDS) / n, own_sum / n)
                     * _variance(sh.kind_squares / n, sh.kind_sums / n))
    r = np.clip(np.divide(cov, spread, out=np.zeros_like(cov), where=spread > 0), -1.0, 1.0)
    counted = sh.kind_size >= 2
    return r[:, counted].mean(axis=1) if counted.any() else np.zeros(len(proj.role_ids))


def _variance(second_moment: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """E[x^2] - E[x]^2, with rounding noise on a flat vector read as 0."""
    var = second_moment - mean ** 2
    return np.where(var > 1e-9 * second_moment, var, 0.0)


def distances(proj: Projection, profile: Profile, t: Thresholds = Thresholds()) -> tuple[np.ndarray, np.ndarray]:
    """(distance, gap) from the profile to every role, vectorised over the requirement entries."""
    p, imp = profile.levels, profile.importance
    gaps = gaps_to_roles(proj, p)
    n, s, u = len(proj.role_ids), t.surplus_weight, role_shapes(proj).specificity
    cols, level, weight = proj.required.indices, proj.required.data, proj.weight.data
    uc = u[cols]

    def per_role(values: np.ndarray) -> np.ndarray:
        return np.bincount(proj.nnz_role, weights=values, minlength=n)

    own = imp * p
    asked = weight * level
    own_mass = float(u @ own)
    deficit = per_role(uc * weight * deficits(level, p[cols]))
    unused = own_mass - per_role(uc * np.minimum(own[cols], asked))
    mass = per_role(uc * asked) + s * own_mass
    amount = np.divide(deficit + s * unused, mass, out=np.zeros(n), where=mass > 0)

    emphasis = np.where(proj.max_gap > 0, (1.0 - kind_correlation(proj, own, asked)) / 2, 1.0)
    dist = (1.0 - t.emphasis_weight) * amount + t.emphasis_weight * emphasis
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
