"""Access control, in one place: who may see and do what.

- anonymous: the public job architecture (roles, competencies, indicators, moves,
  resources) and questions about a typed-in or role profile;
- EMPLOYEE: plus their own profile, assessments, gaps, paths and plans;
- MANAGER: plus those of everyone under them in the reporting tree, and succession
  and heatmaps for their organisation;
- HR: everything, and every mutation of the architecture.

The rules are pure functions of the viewer and the projection; the permission
classes at the bottom attach them to GraphQL fields.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from graph.profiles import ProfileRef
from graph.errors import Forbidden, Unauthenticated
from graph.model import Source
from graph.projection import Projection

from .auth import Access, Viewer

__all__ = [
    "sees_person", "check_person", "check_profile", "check_organisation", "check_hr", "check_signed_in",
    "check_assessment", "SignedIn", "HROnly", "CanReadProfile", "CanReadPerson", "CanReadOrganisation",
    "CanReadThisPerson",
]


def check_signed_in(viewer: Viewer, to: str = "see people's profiles") -> None:
    if not viewer.signed_in:
        raise Unauthenticated(f"Sign in to {to}.")


def sees_person(viewer: Viewer, proj: Projection, person_id: str) -> bool:
    if viewer.access is Access.HR:
        return True
    if viewer.person_id is None:
        return False
    if person_id == viewer.person_id:
        return True
    return viewer.access is Access.MANAGER and person_id in proj.all_reports(viewer.person_id)


def sees_manager_of(viewer: Viewer, proj: Projection, person_id: str) -> bool:
    """Who someone reports to: for the people whose profile one sees, and up one's own reporting line (an employee
    sees their manager, their manager's manager, ... — not colleagues' lines, so nobody walks the whole org chart)."""
    if sees_person(viewer, proj, person_id):
        return True
    up, people = viewer.person_id, proj.org.people
    while up is not None and up in people:
        if up == person_id:
            return True
        up = people[up].manager_id
    return False


def check_person(viewer: Viewer, proj: Projection, person_id: str) -> None:
    """FORBIDDEN for a person one may not see — and, but for HR, for an id nobody has: the two answer alike,
    so that nobody learns which ids exist by asking."""
    check_signed_in(viewer)
    if viewer.access is Access.HR:
        return
    if person_id not in proj.person_index or not sees_person(viewer, proj, person_id):
        raise Forbidden(f"You may not see the profile of '{person_id}'.")


def check_profile(viewer: Viewer, proj: Projection, spec: ProfileRef) -> None:
    if spec.person_id is not None:
        check_person(viewer, proj, spec.person_id)


def check_nomination(viewer: Viewer, proj: Projection, person_id: str) -> None:
    """A talent pool: HR nominates anyone; a manager the people under them (not themselves)."""
    check_signed_in(viewer, "nominate people for a role")
    if viewer.access is Access.HR:
        return
    if viewer.access is Access.MANAGER and person_id != viewer.person_id and sees_person(viewer, proj, person_id):
        return
    raise Forbidden(f"You may not nominate '{person_id}': managers nominate people under them, HR anyone.")


def check_interest(viewer: Viewer, person_id: str) -> None:
    """Career interests are a person's own word: they say it themselves (HR may correct it)."""
    check_signed_in(viewer, "say which roles interest you")
    if viewer.access is not Access.HR and viewer.person_id != person_id:
        raise Forbidden("Only the person themselves (or HR) may say which roles interest them.")


def check_plan(viewer: Viewer, proj: Projection, person_id: str) -> None:
    """A saved target and plan: the person, their managers and HR save, complete and clear it."""
    check_signed_in(viewer, "keep a development plan")
    if person_id in proj.person_index and not sees_person(viewer, proj, person_id):
        raise Forbidden(f"You may not change the plan of '{person_id}'.")


def check_organisation(viewer: Viewer, proj: Projection, manager: str | None) -> None:
    """Succession and heatmaps: HR anywhere; a manager for their own organisation."""
    check_signed_in(viewer, "see succession and team views")
    if viewer.access is Access.HR:
        return
    if viewer.access is not Access.MANAGER:
        raise Forbidden("Only managers and HR may see succession and team views.")
    if manager is None:
        raise Forbidden("Managers see their own organisation: pass manager (yourself or someone under you).")
    if manager in proj.person_index and not sees_person(viewer, proj, manager):
        raise Forbidden(f"'{manager}' is not in your organisation.")


def check_hr(viewer: Viewer) -> None:
    check_signed_in(viewer, "do this (HR only)")
    if viewer.access is not Access.HR:
        raise Forbidden("Only HR may do this.")


def check_assessment(viewer: Viewer, proj: Projection, person_id: str, source: Source) -> None:
    """HR records any assessment; a manager for people under them; anyone a SELF assessment of themselves."""
    check_signed_in(viewer, "record assessments")
    if viewer.access is Access.HR:
        return
    if person_id == viewer.person_id:
        if source is Source.SELF:
            return
        raise Forbidden("You may record only SELF assessments of yourself.")
    if viewer.access is Access.MANAGER and sees_person(viewer, proj, person_id):
        return
    raise Forbidden(f"You may not record assessments of '{person_id}'.")


# --- permission classes -------------------------------------------------------------


class _Rule(BasePermission):
    """A permission whose rule raises its own FORBIDDEN / UNAUTHENTICATED error."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        ctx = info.context
        self.rule(ctx.viewer, ctx, source, kwargs)
        return True

    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        raise NotImplementedError


class SignedIn(_Rule):
    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        check_signed_in(viewer)


class HROnly(_Rule):
    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        check_hr(viewer)


class CanReadProfile(_Rule):
    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        check_profile(viewer, ctx.proj, kwargs["from_"].spec())


class CanReadPerson(_Rule):
    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        check_person(viewer, ctx.proj, str(kwargs["id"]))


class CanReadPersonId(_Rule):
    """For questions about one person given as ``personId``."""

    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        check_person(viewer, ctx.proj, str(kwargs["person_id"]))


class CanReadOrganisation(_Rule):
    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        manager = kwargs.get("manager")
        check_organisation(viewer, ctx.proj, str(manager) if manager is not None else None)


class CanReadThisPerson(_Rule):
    """For fields of a Person (email, proficiencies): the person must be visible to the viewer."""

    def rule(self, viewer: Viewer, ctx: Any, source: Any, kwargs: dict[str, Any]) -> None:
        check_person(viewer, ctx.proj, str(source.id))
