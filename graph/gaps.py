"""Gap, readiness and verdict: how far a profile is from a role.

The gap of profile ``p`` to role ``r`` is ``sum_c w_rc * max(0, L_rc - p_c)`` over
r's requirements; readiness is ``1 - gap / sum_c w_rc * L_rc`` (1.0 when the role
requires nothing). Exceeding one requirement never pays for missing another.

>>> import numpy as np
>>> from graph.document import from_document
>>> from graph.projection import build_projection
>>> org = from_document({"framework": {"id": "f", "name": "F"},
...     "competencies": [{"id": "a", "name": "A", "category": "TECHNICAL"},
...                      {"id": "b", "name": "B", "category": "TECHNICAL"}],
...     "roles": [{"id": "r", "title": "R", "requires": [
...         {"competency": "a", "level": 3, "weight": 2}, {"competency": "b", "level": 2}]}]})
>>> proj = build_projection(org)
>>> gaps_to_roles(proj, np.array([1.0, 4.0]))   # 2*(3-1) + 0, b exceeds but pays nothing
array([4.])
>>> readiness(gaps_to_roles(proj, np.array([1.0, 4.0])), proj.max_gap)
array([0.5])
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from .errors import NotFound
from .model import Indicator
from .profiles import EvidenceStatus, Profile, ProfileKind, evidence_of
from .projection import Projection, RolesKey
from .thresholds import Thresholds

__all__ = [
    "Status", "Verdict", "GapItem", "GapReport", "as_reported", "deficits", "gaps_to_roles", "readiness",
    "essential_blockers", "verdicts", "gap_report",
]


class Status(str, Enum):
    MISSING = "MISSING"
    BELOW = "BELOW"
    MET = "MET"
    EXCEEDS = "EXCEEDS"


class Verdict(str, Enum):
    READY = "READY"
    UPSKILL = "UPSKILL"
    RESKILL = "RESKILL"


@dataclass(frozen=True)
class GapItem:
    competency_id: str
    required: int
    current: int
    deficit: int
    weight: float
    essential: bool
    status: Status
    evidence: EvidenceStatus
    indicators: tuple[Indicator, ...]
    """What to demonstrate: the indicators of levels current+1 .. required."""
    provable: bool = True
    """Whether the levels could carry evidence: a person's assessments, not typed-in levels (self-reported by
    nature) nor another role's requirements."""

    @property
    def proof_gap(self) -> bool:
        """Met on paper, but nobody accountable has verified it (recently); only a person's assessments can be."""
        return self.provable and self.deficit == 0 and self.evidence is not EvidenceStatus.VERIFIED


@dataclass(frozen=True)
class GapReport:
    role_id: str
    total_gap: float
    readiness: float
    verdict: Verdict
    items: tuple[GapItem, ...]


def deficits(required: np.ndarray, held: np.ndarray) -> np.ndarray:
    """``max(0, L - p)`` elementwise: how far short of each required level (exceeding one pays nothing).
    The one place the gap's formula lives; every gap, heatmap cell and trend is a weighted sum of these.

    >>> deficits(np.asarray([3.0, 2.0]), np.asarray([1.0, 4.0])).tolist()
    [2.0, 0.0]
    """
    out: np.ndarray = np.maximum(0.0, required - held)
    return out


def _deficits(proj: Projection, levels: np.ndarray) -> np.ndarray:
    """Per requirement entry (aligned with ``proj.required.data``)."""
    return deficits(proj.required.data, levels[proj.required.indices])


def as_reported(gap: Any) -> Any:
    """A gap (or an array of them) to 9 decimals, as Trellis reports every gap: weights such as 1.88
    would otherwise sum to 11.489999999999998.

    >>> as_reported(0.1 + 0.2)
    0.3
    """
    return np.round(gap, 9) if isinstance(gap, np.ndarray) else round(float(gap), 9)


@dataclass(frozen=True, eq=False)
class ByCompetency:
    """The requirement entries grouped by competency (within one, by role): entries ``indptr[c]:indptr[c+1]``
    are the roles ``role`` that ask for competency ``c``, at ``level`` with ``weight``."""

    indptr: np.ndarray
    role: np.ndarray
    level: np.ndarray
    weight: np.ndarray


_BY_COMPETENCY: weakref.WeakKeyDictionary[RolesKey, ByCompetency] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def by_competency(proj: Projection) -> ByCompetency:
    """``proj``'s requirement entries by competency (built once per role side: ``proj.roles_key``)."""
    got = _BY_COMPETENCY.get(proj.roles_key)
    if got is None:
        order = np.argsort(proj.required.indices, kind="stable")
        counts = np.bincount(proj.required.indices, minlength=len(proj.comp_ids))
        got = ByCompetency(np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
                           proj.nnz_role[order].astype(np.int32), proj.required.data[order].astype(np.float64),
                           proj.weight.data[order].astype(np.float64))
        with _lock:
            got = _BY_COMPETENCY.setdefault(proj.roles_key, got)
    return got


def gaps_to_roles(proj: Projection, levels: np.ndarray) -> np.ndarray:
    """The gap from one profile vector to every role at once.

    ``gap = max_gap - sum_c w_c * min(L_c, p_c)`` (the same sum: ``L - min(L, p) = max(0, L - p)``), so only
    the requirement entries of the competencies the profile holds are read, not every role's: a person who
    holds 8 of 200 competencies costs 4% of a pass over the requirements (issue 15).
    """
    b = by_competency(proj)
    held = np.flatnonzero(levels > 0)
    lo, hi = b.indptr[held], b.indptr[held + 1]
    count = hi - lo
    total = int(count.sum())
    entry = np.repeat(lo - np.concatenate([[0], np.cumsum(count)[:-1]]), count) + np.arange(total)
    credit = b.weight[entry] * np.minimum(b.level[entry], np.repeat(levels[held], count))
    summed = np.bincount(b.role[entry], weights=credit, minlength=len(proj.role_ids))
    out: np.ndarray = as_reported(np.maximum(proj.max_gap - summed, 0.0)) + 0.0      # + 0.0: no -0.0
    return out


def readiness(gaps: np.ndarray, max_gap: np.ndarray) -> np.ndarray:
    """``1 - gap / max_gap`` (1 where the role requires nothing), to 6 decimals as Trellis reports it."""
    safe = np.where(max_gap > 0, max_gap, 1.0)
    out: np.ndarray = np.round(np.where(max_gap > 0, 1.0 - gaps / safe, 1.0), 6)
    return out


def essential_blockers(proj: Projection, levels: np.ndarray) -> np.ndarray:
    """Per role: whether some essential requirement is short by more than one level."""
    bad = (proj.essential & (_deficits(proj, levels) > 1)).astype(np.float64)
    return np.bincount(proj.nnz_role, weights=bad, minlength=len(proj.role_ids)) > 0


def verdicts(gaps: np.ndarray, ready: np.ndarray, blocked: np.ndarray, t: Thresholds) -> list[Verdict]:
    out = []
    for g, r, b in zip(gaps, ready, blocked):
        if g <= 1e-9:
            out.append(Verdict.READY)
        elif r >= t.upskill and not b:
            out.append(Verdict.UPSKILL)
        else:
            out.append(Verdict.RESKILL)
    return out


def _status(required: int, current: int) -> Status:
    if current <= 0:
        return Status.MISSING
    if current < required:
        return Status.BELOW
    return Status.MET if current == required else Status.EXCEEDS


def gap_report(proj: Projection, profile: Profile, role_id: str, as_of: dt.date,
               t: Thresholds = Thresholds()) -> GapReport:
    """Competency by competency: what the role asks, what the profile has, what to show."""
    r = proj.role_index.get(role_id)
    if r is None:
        raise NotFound("role", role_id)
    cols, levels, weights, essential = proj.role_requirements(r)
    short = deficits(levels, profile.levels[cols])
    items = []
    for col, req, d, w, ess in zip(cols, levels, short, weights, essential):
        cid = proj.comp_ids[col]
        cur = int(profile.levels[col])
        need = int(req)
        shown = tuple(ind for lvl in range(cur + 1, need + 1) for ind in proj.indicators.get((cid, lvl), ()))
        items.append(GapItem(cid, need, cur, int(d), float(w), bool(ess), _status(need, cur),
                             evidence_of(proj, profile, cid, as_of), shown, profile.kind is ProfileKind.PERSON))
    items.sort(key=lambda i: (-i.deficit * i.weight, i.competency_id))
    total = as_reported(sum(i.deficit * i.weight for i in items))
    ready = float(readiness(np.array([total]), proj.max_gap[r:r + 1])[0])
    blocked = any(i.essential and i.deficit > 1 for i in items)
    verdict = verdicts(np.array([total]), np.array([ready]), np.array([blocked]), t)[0]
    return GapReport(role_id, total, ready, verdict, tuple(items))
