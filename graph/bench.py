"""Succession risk from the graph: how well each role is covered, and what one departure does to it.

A role's *cover* is the people who could do it: its holders plus its ready successors
(READY_NOW and READY_SOON, as :mod:`graph.succession` buckets them). A role is at risk when
its cover is below a threshold. If someone leaves, every role they hold or are a ready
successor for loses one; :func:`if_leaves` lists the roles that fall below the threshold
because of it. Scoped to a manager's organisation (everyone under them) or to everyone.

>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> proj = build_projection(sample_organisation())
>>> rows = bench_strength(proj)
>>> all(b.cover == len(b.holders) + len(b.ready_now) + len(b.ready_soon) for b in rows)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import BadInput, NotFound
from .succession import Bucket, successors
from .projection import Projection
from .thresholds import Thresholds

__all__ = ["RoleBench", "bench_strength", "if_leaves"]


@dataclass(frozen=True)
class RoleBench:
    role_id: str
    holders: tuple[str, ...]
    ready_now: tuple[str, ...]
    ready_soon: tuple[str, ...]
    threshold: int
    after: int | None = None
    """The cover once the person left (:func:`if_leaves` only)."""

    @property
    def cover(self) -> int:
        return len(self.holders) + len(self.ready_now) + len(self.ready_soon)

    @property
    def at_risk(self) -> bool:
        return (self.after if self.after is not None else self.cover) < self.threshold


def _scope(proj: Projection, manager: str | None) -> set[str] | None:
    if manager is None:
        return None
    if manager not in proj.person_index:
        raise NotFound("person", manager)
    return set(proj.all_reports(manager))


def bench_strength(proj: Projection, manager: str | None = None, threshold: int = 2,
                   t: Thresholds = Thresholds()) -> list[RoleBench]:
    """Every role with its holders and ready successors (within ``manager``'s organisation), weakest first."""
    if threshold < 0:
        raise BadInput(f"threshold must be 0 or more, not {threshold}.")
    scope = _scope(proj, manager)
    holders: dict[int, list[str]] = {}
    for row in np.nonzero(proj.person_role >= 0)[0]:
        pid = proj.person_ids[row]
        if scope is None or pid in scope:
            holders.setdefault(int(proj.person_role[row]), []).append(pid)
    out = []
    for r, rid in enumerate(proj.role_ids):
        rep = successors(proj, rid, len(proj.person_ids), manager, t)
        now = tuple(c.person_id for c in rep.candidates if c.bucket is Bucket.READY_NOW)
        soon = tuple(c.person_id for c in rep.candidates if c.bucket is Bucket.READY_SOON)
        out.append(RoleBench(rid, tuple(holders.get(r, ())), now, soon, threshold))
    out.sort(key=lambda b: (b.cover, b.role_id))
    return out


def if_leaves(proj: Projection, person_id: str, manager: str | None = None, threshold: int = 2,
              t: Thresholds = Thresholds()) -> list[RoleBench]:
    """The roles whose cover drops below ``threshold`` if ``person_id`` leaves (they were at or above it)."""
    if person_id not in proj.person_index:
        raise NotFound("person", person_id)
    out = []
    for b in bench_strength(proj, manager, threshold, t):
        counted = person_id in b.holders or person_id in b.ready_now or person_id in b.ready_soon
        if counted and b.cover - 1 < threshold <= b.cover:
            out.append(RoleBench(b.role_id, b.holders, b.ready_now, b.ready_soon, threshold, b.cover - 1))
    return out
