"""Skills inventory: per competency, how many people hold each level, against how
many roles require it.

>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> proj = build_projection(sample_organisation())
>>> inv = skills_inventory(proj)
>>> len(inv) == len(proj.comp_ids)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import NotFound
from .projection import Projection

__all__ = ["CompetencyCoverage", "skills_inventory"]


@dataclass(frozen=True)
class CompetencyCoverage:
    competency_id: str
    holders: tuple[int, ...]
    """People at each level 1..N (index 0 is level 1)."""
    people_assessed: int
    roles_requiring: int
    people_needing: int
    """People whose own role requires this competency."""
    people_below: int
    """Of those, how many are below the level their role requires."""


def skills_inventory(proj: Projection, family: str | None = None) -> list[CompetencyCoverage]:
    """Everyone and every role, or only the roles of ``family`` and the people holding them."""
    if family is not None and family not in proj.org.families:
        raise NotFound("job family", family)
    in_family = np.asarray([family is None or f == family for f in proj.role_family], dtype=bool)
    people = np.flatnonzero((proj.person_role >= 0) & in_family[np.maximum(proj.person_role, 0)]) \
        if family is not None else np.arange(len(proj.person_ids))
    levels = proj.profiles[people].astype(np.int64)
    top = proj.max_level
    req = proj.required[np.flatnonzero(in_family)] if len(proj.role_ids) else proj.required
    roles_requiring = np.bincount(req.indices, minlength=len(proj.comp_ids))
    needing = np.zeros(len(proj.comp_ids), dtype=np.int64)
    short = np.zeros(len(proj.comp_ids), dtype=np.int64)
    for row in people:
        r = int(proj.person_role[row])
        if r < 0:
            continue
        cols, need, _, _ = proj.role_requirements(r)
        needing[cols] += 1
        short[cols] += (proj.profiles[row, cols] < need)
    out = []
    for c, cid in enumerate(proj.comp_ids):
        counts = np.bincount(levels[:, c], minlength=top + 1) if len(people) else np.zeros(top + 1, int)
        out.append(CompetencyCoverage(cid, tuple(int(x) for x in counts[1:top + 1]), int(counts[1:].sum()),
                                      int(roles_requiring[c]), int(needing[c]), int(short[c])))
    return out
