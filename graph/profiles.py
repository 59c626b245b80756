"""Profiles: a level per competency, from a person, a role, or typed in.

>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> proj = build_projection(sample_organisation())
>>> prof = resolve_profile(proj, proficiencies={"sql-analytics": 3})
>>> int(prof.levels[proj.comp_index["sql-analytics"]])
3
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

import numpy as np

from .errors import BadInput, NotFound
from .model import Assessment, Source
from .projection import Projection

__all__ = ["EvidenceStatus", "ProfileKind", "ProfileRef", "Profile", "resolve_profile", "evidence_of"]


class EvidenceStatus(str, Enum):
    VERIFIED = "VERIFIED"
    """The effective level comes from ASSESSED or MANAGER within the validity period."""
    SELF_ONLY = "SELF_ONLY"
    """Only self (or peer) assessments: nobody accountable has confirmed it."""
    STALE = "STALE"
    """Confirmed once, but longer ago than the framework's validity period."""
    NONE = "NONE"
    """No assessment at all."""


class ProfileKind(str, Enum):
    PERSON = "person"
    ROLE = "role"
    INLINE = "inline"


@dataclass(frozen=True)
class ProfileRef:
    """Which profile a question is about: exactly one of a person, a role, or levels typed in.

    ``current_role`` places typed-in levels in the architecture; ``as_of`` reads a person's profile as it
    was on that day (only the assessments made up to it count).

    >>> ProfileRef(person_id="priya-raman").kind
    <ProfileKind.PERSON: 'person'>
    """

    person_id: str | None = None
    role_id: str | None = None
    proficiencies: Mapping[str, int] | None = None
    current_role: str | None = None
    as_of: dt.date | None = None

    @property
    def kind(self) -> ProfileKind:
        if self.person_id is not None:
            return ProfileKind.PERSON
        return ProfileKind.ROLE if self.role_id is not None else ProfileKind.INLINE


@dataclass(frozen=True, eq=False)
class Profile:
    """A level per competency (aligned with ``Projection.comp_ids``).

    ``importance`` weighs the profile's unused strengths in closeness; ``role`` is
    the profile's current role index (-1 when it has none).
    """

    levels: np.ndarray
    importance: np.ndarray
    role: int = -1
    person_id: str | None = None
    kind: ProfileKind = ProfileKind.INLINE
    effective: Mapping[str, Assessment] | None = None
    """With ``asOf``: the assessment each level comes from on that day (else the projection's own)."""


def resolve_profile(proj: Projection, person_id: str | None = None, role_id: str | None = None,
                    proficiencies: Mapping[str, int] | None = None, current_role: str | None = None,
                    as_of: dt.date | None = None) -> Profile:
    """Exactly one of ``person_id``, ``role_id``, ``proficiencies`` must be given.

    ``current_role`` places typed-in ``proficiencies`` in the architecture, as a person's role does:
    closeness measures levels from it and leaves it out, career paths start from it along its moves,
    and its requirement weights say what the profile's strengths are worth.
    """
    given = [k for k, v in (("personId", person_id), ("roleId", role_id),
                            ("proficiencies", proficiencies)) if v is not None]
    if as_of is not None and person_id is None:
        raise BadInput("asOf goes with personId: only a person's profile has a history.")
    if current_role is not None and proficiencies is None:
        raise BadInput("currentRoleId goes with proficiencies (a person or a role has a current role already).")
    if len(given) != 1:
        got = " and ".join(given) if given else "none of them"
        raise BadInput(f"A profile needs exactly one of personId, roleId or proficiencies; got {got}.")
    n = len(proj.comp_ids)
    if person_id is not None:
        row = proj.person_index.get(person_id)
        if row is None:
            raise NotFound("person", person_id)
        role = int(proj.person_role[row])
        importance = np.ones(n)
        if role >= 0:
            cols, _, w, _ = proj.role_requirements(role)
            importance[cols] = w
        if as_of is not None:
            from .history import person_as_of

            levels, effective = person_as_of(proj, person_id, as_of)
            return Profile(levels, importance, role, person_id, ProfileKind.PERSON, effective)
        return Profile(proj.person_levels(row), importance, role, person_id, ProfileKind.PERSON)
    if role_id is not None:
        r = proj.role_index.get(role_id)
        if r is None:
            raise NotFound("role", role_id)
        cols, levels, w, _ = proj.role_requirements(r)
        vec, importance = np.zeros(n), np.zeros(n)
        vec[cols], importance[cols] = levels, w
        return Profile(vec, importance, r, None, ProfileKind.ROLE)
    assert proficiencies is not None
    if current_role is not None and current_role not in proj.role_index:
        raise NotFound("role", current_role)
    vec = np.zeros(n)
    top = proj.max_level
    for cid, level in proficiencies.items():
        col = proj.comp_index.get(cid)
        if col is None:
            raise NotFound("competency", cid)
        if not 0 <= level <= top:
            raise BadInput(f"Level {level} for '{cid}' is outside the scale 0..{top}.")
        vec[col] = level
    importance, role = np.ones(n), -1
    if current_role is not None:
        role = proj.role_index[current_role]
        cols, _, w, _ = proj.role_requirements(role)
        importance[cols] = w
    return Profile(vec, importance, role, None, ProfileKind.INLINE)


def evidence_of(proj: Projection, profile: Profile, competency_id: str, as_of: dt.date) -> EvidenceStatus:
    """How well the profile's level in one competency is proven, on ``as_of``.

    Typed-in levels are SELF_ONLY (NONE at level 0); a role's requirements prove nothing: NONE.
    """
    if profile.kind is ProfileKind.INLINE:
        col = proj.comp_index[competency_id]
        return EvidenceStatus.SELF_ONLY if profile.levels[col] > 0 else EvidenceStatus.NONE
    if profile.kind is not ProfileKind.PERSON or profile.person_id is None:
        return EvidenceStatus.NONE
    known = profile.effective if profile.effective is not None else proj.effective.get(profile.person_id, {})
    chosen = known.get(competency_id)
    if chosen is None:
        return EvidenceStatus.NONE
    if chosen.source not in (Source.ASSESSED, Source.MANAGER):
        return EvidenceStatus.SELF_ONLY
    if (as_of - chosen.at).days > proj.org.framework.validity_days:
        return EvidenceStatus.STALE
    return EvidenceStatus.VERIFIED
