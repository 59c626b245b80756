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

from .errors import BadInput, NotFound
from .projection import Projection
from .teams import against_roles, asked, credits, level_counts, required_levels

__all__ = ["CompetencyCoverage", "skills_inventory", "people_behind"]


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
    """Everyone and every role, or only the roles of ``family`` and the people holding them.

    Everyone: the level counts and one sparse product for who meets what their own role asks
    (:func:`graph.teams.credits`, built once per projection and carried over writes). A family:
    one pass over its people's stored levels, each checked against the holder's role (``required_levels``).
    """
    if family is not None and family not in proj.org.families:
        raise NotFound("job family", family)
    in_family = np.asarray([family is None or f == family for f in proj.role_family], dtype=bool)
    people = np.flatnonzero((proj.person_role >= 0) & in_family[np.maximum(proj.person_role, 0)]) \
        if family is not None else np.arange(len(proj.person_ids))
    top, width = proj.max_level, len(proj.comp_ids)
    role = proj.person_role[people]
    per_role = np.bincount(role[role >= 0], minlength=len(proj.role_ids)).astype(np.float64)
    _, asks = asked(proj)
    needing = np.rint(asks @ per_role).astype(np.int64)
    roles_requiring = np.rint(asks @ in_family.astype(np.float64)).astype(np.int64)
    if family is None:
        shared = credits(proj)
        inside, own = shared.inside(people, len(proj.person_ids))
        fresh = proj.profile_rows(own)
        counted = shared.counts - level_counts(proj, shared.levels[own]) + level_counts(proj, fresh)
        at, _, _, met = against_roles(proj, proj.person_role[own], fresh)
        enough = np.rint(shared.met.T @ inside.astype(np.float32)).astype(np.int64)
        enough += np.bincount(fresh.indices[at][met], minlength=width)
    else:
        # One pass over the people's stored levels: each is checked against what the holder's own role asks for
        # that competency (required_levels; row -1 asks nothing); everyone else whose role asks is below.
        mine = proj.profiles[people]
        own_role = np.repeat(role.astype(np.int32), np.diff(mine.indptr))
        cols, levels = mine.indices, mine.data
        need = required_levels(proj)[own_role, cols]
        enough = np.bincount(cols[(need >= 0) & (levels >= need)], minlength=width)
        counted = level_counts(proj, mine)
    counts_by = counted.reshape(width, top + 1)
    short_by = needing - enough
    out = []
    for c, cid in enumerate(proj.comp_ids):
        counts = counts_by[c]
        out.append(CompetencyCoverage(cid, tuple(int(x) for x in counts[1:top + 1]), int(counts[1:].sum()),
                                      int(roles_requiring[c]), int(needing[c]), int(short_by[c])))
    return out


def people_behind(proj: Projection, competency_id: str, family: str | None = None, level: int | None = None,
                  below: bool = False) -> list[str]:
    """The people a :func:`skills_inventory` count stands for, by name: those at ``level`` (1..N), or with
    ``below`` those whose own role requires the competency and who are below what it requires.

    >>> from graph.seeds import sample_organisation
    >>> from graph.projection import build_projection
    >>> proj = build_projection(sample_organisation())
    >>> row = skills_inventory(proj)[0]
    >>> len(people_behind(proj, row.competency_id, below=True)) == row.people_below
    True
    """
    col = proj.comp_index.get(competency_id)
    if col is None:
        raise NotFound("competency", competency_id)
    if family is not None and family not in proj.org.families:
        raise NotFound("job family", family)
    if (level is None) == (not below):
        raise BadInput("Give exactly one of level (people at that level) or below: true (people short of "
                       "what their role requires).")
    if level is not None and not 1 <= level <= proj.max_level:
        raise BadInput(f"level must be between 1 and {proj.max_level}, not {level}.")
    role = proj.person_role
    placed = role >= 0
    in_family = np.asarray([family is None or f == family for f in proj.role_family], dtype=bool)
    pool = np.flatnonzero(placed & in_family[np.maximum(role, 0)]) if family is not None \
        else np.arange(len(proj.person_ids))
    held = np.asarray(proj.profiles[pool][:, [col]].toarray()).ravel()
    if level is not None:
        chosen = pool[held == level]
    else:
        need = np.asarray(proj.required[:, col].todense()).ravel()
        own = np.where(role[pool] >= 0, need[np.maximum(role[pool], 0)], 0)
        chosen = pool[(own > 0) & (held < own)]
    return sorted((proj.person_ids[i] for i in chosen), key=lambda p: (proj.org.people[p].name, p))
