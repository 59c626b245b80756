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
import weakref
from dataclasses import dataclass
from enum import Enum

import numpy as np
from scipy import sparse

from .errors import NotFound
from .gaps import as_reported, deficits, readiness
from .projection import PeopleChange, Projection, on_refresh
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


@dataclass(frozen=True, eq=False)
class Columns:
    """A projection's people matrix by column (a role reads only its own columns), and the rows it is
    out of date for: a refresh after a write hands the same columns on with the written rows added to
    ``stale`` (read from the projection's own rows instead), so a write never copies the matrix."""

    matrix: sparse.csc_matrix
    stale: np.ndarray          # sorted rows whose levels differ from ``matrix``


STALE_LIMIT = 1 << 14
"""Rows out of date past which the columns are rebuilt (once) instead of patched on every query."""

_COLUMNS: weakref.WeakKeyDictionary[Projection, Columns] = weakref.WeakKeyDictionary()


@on_refresh
def _carry(old: Projection, new: Projection, change: PeopleChange) -> None:
    got = _COLUMNS.get(old)
    if got is not None and not change.shifted:
        stale = np.union1d(got.stale, change.rows)
        if len(stale) <= STALE_LIMIT:
            _COLUMNS[new] = Columns(got.matrix, stale)


def _columns(proj: Projection) -> Columns:
    """The projection's own profiles by column (kept per projection, carried over refreshes)."""
    out = _COLUMNS.get(proj)
    if out is None:
        out = _COLUMNS[proj] = Columns(proj.profiles.tocsc(), np.zeros(0, dtype=np.int64))
    return out


def _credit(levels: np.ndarray, weights: np.ndarray, held_levels: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.minimum(levels[None, :], held_levels) @ weights
    return out


def pool_gaps(proj: Projection, r: int, pool: np.ndarray, profiles: sparse.csr_matrix | None = None) -> np.ndarray:
    """The gap of each person of ``pool`` to role ``r``, as reported (9 decimals); ``profiles`` None: the
    projection's own levels.

    ``gap = max_gap - sum_c w_c * min(L_c, p_c)``: what is held counts up to the level asked, so only the
    people's stored levels in the role's own columns are read. A large pool takes one sparse
    matrix-vector product over those columns (all people at once); a small one reads its rows.
    """
    if profiles is not None and profiles is proj.people.built():
        profiles = None                                   # today's levels after all: use the cached columns
    cols, levels, weights, _ = proj.role_requirements(r)
    if not len(cols) or not len(pool):
        return np.zeros(len(pool))
    n_people = len(proj.person_ids)
    if len(pool) * 8 < n_people:
        rows = proj.profile_rows(pool) if profiles is None else profiles[pool]
        credit = _credit(levels, weights, np.asarray(rows[:, cols].toarray()))
    else:
        if profiles is None:
            by_column = _columns(proj)
            matrix, stale = by_column.matrix, by_column.stale
        else:
            matrix, stale = profiles.tocsc(), np.zeros(0, dtype=np.int64)
        sub = matrix[:, cols]
        which = np.repeat(np.arange(len(cols)), np.diff(sub.indptr))
        sub = sparse.csc_matrix((weights[which] * np.minimum(levels[which], sub.data), sub.indices, sub.indptr),
                                shape=sub.shape)
        everyone = sub @ np.ones(len(cols))
        if len(stale):
            everyone[stale] = _credit(levels, weights, np.asarray(proj.profile_rows(stale)[:, cols].toarray()))
        credit = everyone[pool]
    gaps: np.ndarray = as_reported(proj.max_gap[r] - credit) + 0.0      # + 0.0: no -0.0
    return gaps


def successors(proj: Projection, role_id: str, limit: int = 10, manager: str | None = None,
               t: Thresholds = Thresholds(), profiles: sparse.csr_matrix | None = None) -> SuccessionReport:
    """Rank the pool (everyone, or everyone under ``manager``) for ``role_id``.

    ``profiles`` (people × competencies) replaces today's levels (e.g. the levels as of a past day).
    Vectorised over the pool: gaps by :func:`pool_gaps`, buckets counted on arrays, and only the ``limit``
    best are sorted (ties by person index, i.e. person id).
    """
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
    gaps = pool_gaps(proj, r, pool, profiles)
    ready = readiness(gaps, np.full(len(pool), proj.max_gap[r]))
    bench = int(np.count_nonzero((ready >= t.ready_now) | (ready >= t.ready_soon)))    # as bucket_of counts
    best = np.arange(len(pool))
    if 0 < limit < len(pool):                           # the limit best and everyone tied with the last of them
        best = np.flatnonzero(gaps <= np.partition(gaps, limit - 1)[limit - 1])
    order = best[np.lexsort((pool[best], gaps[best]))][:limit]
    cands = tuple(Candidate(proj.person_ids[pool[i]], float(gaps[i]), float(ready[i]), bucket_of(float(ready[i]), t))
                  for i in order)
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
        gap = as_reported(float(deficits(levels, proj.person_levels(row)[cols]) @ weights)) \
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
