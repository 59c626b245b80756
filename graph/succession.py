"""Succession: who could step into a role now, soon or later.

People are ranked by gap (ties by person id) and bucketed by readiness; the
bench strength is READY_NOW + READY_SOON. Current holders of the role are left out,
and so are people whose own role is at a higher level than it: succeeding into a
role is a move up or across, not a step down.

>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> proj = build_projection(sample_organisation())
>>> rep = successors(proj, proj.role_ids[0], limit=3)
>>> len(rep.candidates) <= 3
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

import numpy as np
from scipy import sparse

from .errors import NotFound
from .gaps import as_reported, deficits, readiness
from .projection import Projection, held
from .thresholds import Thresholds

__all__ = ["Bucket", "Candidate", "SuccessionReport", "successors", "PoolMember", "talent_pool", "interested_in",
           "nominated_for"]


class Bucket(str, Enum):
    READY_NOW = "READY_NOW"
    READY_SOON = "READY_SOON"
    READY_LATER = "READY_LATER"


@dataclass(frozen=True)
class Candidate:
    person_id: str
    gap: float
    readiness: float
    bucket: Bucket


@dataclass(frozen=True)
class SuccessionReport:
    role_id: str
    bench_strength: int
    candidates: tuple[Candidate, ...]
    pool_size: int


def bucket_of(ready: float, t: Thresholds) -> Bucket:
    if ready >= t.ready_now:
        return Bucket.READY_NOW
    return Bucket.READY_SOON if ready >= t.ready_soon else Bucket.READY_LATER


def successors(proj: Projection, role_id: str, limit: int = 10, manager: str | None = None,
               t: Thresholds = Thresholds(), profiles: sparse.csr_matrix | None = None) -> SuccessionReport:
    """Rank the pool (everyone, or everyone under ``manager``) for ``role_id``.

    ``profiles`` (people × competencies) replaces today's levels (e.g. the levels as of a past day).
    """
    profiles = proj.profiles if profiles is None else profiles
    r = proj.role_index.get(role_id)
    if r is None:
        raise NotFound("role", role_id)
    if manager is not None:
        if manager not in proj.person_index:
            raise NotFound("person", manager)
        pool = np.asarray(sorted(proj.person_index[p] for p in proj.all_reports(manager)), dtype=np.int64)
    else:
        pool = np.arange(len(proj.person_ids))
    pool = pool[proj.person_role[pool] != r]
    if proj.role_rank[r] >= 0:
        own = proj.person_role[pool]
        own_rank = np.where(own >= 0, proj.role_rank[np.maximum(own, 0)], -1)
        pool = pool[own_rank <= proj.role_rank[r]]
    cols, levels, weights, _ = proj.role_requirements(r)
    short = deficits(levels[None, :], held(profiles, pool, cols))
    gaps = as_reported(short @ weights) if len(cols) else np.zeros(len(pool))
    ready = readiness(gaps, np.full(len(pool), proj.max_gap[r]))
    order = np.lexsort((pool, np.round(gaps, 9)))
    buckets = [bucket_of(float(x), t) for x in ready]
    bench = sum(b is not Bucket.READY_LATER for b in buckets)
    cands = tuple(Candidate(proj.person_ids[pool[i]], float(gaps[i]), float(ready[i]), buckets[i])
                  for i in order[:limit])
    return SuccessionReport(role_id, bench, cands, len(pool))


@dataclass(frozen=True)
class PoolMember:
    """A nominated person beside the computed answer: their gap, readiness and bucket for the role."""

    person_id: str
    by: str | None
    at: dt.date
    note: str
    gap: float
    readiness: float
    bucket: Bucket
    interested: bool


def talent_pool(proj: Projection, role_id: str, manager: str | None = None,
                t: Thresholds = Thresholds()) -> list[PoolMember]:
    """The role's stored slate (everyone nominated, or those under ``manager``), most ready first."""
    r = proj.role_index.get(role_id)
    if r is None:
        raise NotFound("role", role_id)
    scope = None if manager is None else set(proj.all_reports(manager))
    if manager is not None and manager not in proj.person_index:
        raise NotFound("person", manager)
    cols, levels, weights, _ = proj.role_requirements(r)
    keen = {i.person_id for i in proj.org.interests if i.role_id == role_id}
    out = []
    for n in proj.org.nominations:
        if n.role_id != role_id or (scope is not None and n.person_id not in scope):
            continue
        row = proj.person_index[n.person_id]
        gap = as_reported(float(deficits(levels, held(proj.profiles, np.asarray([row]), cols)[0]) @ weights)) \
            if len(cols) else 0.0
        ready = float(readiness(np.asarray([gap]), proj.max_gap[r:r + 1])[0])
        out.append(PoolMember(n.person_id, n.by, n.at, n.note, gap, ready, bucket_of(ready, t), n.person_id in keen))
    out.sort(key=lambda m: (-m.readiness, m.person_id))
    return out


def interested_in(proj: Projection, role_id: str) -> frozenset[str]:
    """Who has said they would like ``role_id``."""
    return frozenset(i.person_id for i in proj.org.interests if i.role_id == role_id)


def nominated_for(proj: Projection, role_id: str) -> frozenset[str]:
    return frozenset(n.person_id for n in proj.org.nominations if n.role_id == role_id)
