"""Mutations: everything HR models and everything a manager records.

Each mutation is one call of a pure edit (:mod:`graph.edits`) committed by the
store in one transaction with its audit entry; it happens entirely or not at all.
Architecture changes are HR's; assessments follow :func:`server.policy.check_assessment`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from graph import edits, model
from graph.edits import Edit
from graph.errors import NotFound

from .auth import Access
from .context import Info
from .growth import PoolMember, SavedPlan, parse_date
from .policy import HROnly, check_assessment, check_interest, check_nomination, check_plan
from .schema_inputs import (
    AssessmentInput, CompetencyInput, EvidenceInput, FrameworkInput, LearningResourceInput, LevelInput, NamedInput,
    PersonInput, RequirementInput, RoleInput,
)
from .types import (
    Category, Competency, Framework, JobFamily, LearningResource, Level, MoveKind, Person, Role, ScaleLevel, Source,
    Track, competency_of, person_of, role_of,
)


_date = parse_date


def _apply(info: Info, edit: Callable[..., Edit], *args: Any, **kwargs: Any) -> Edit:
    ctx = info.context
    base = ctx.base or ctx.engine
    done = base.apply(edit, *args, actor=ctx.viewer.person_id, access=ctx.viewer.access.value, **kwargs)
    ctx.refresh()
    return done


def _stored(done: Edit) -> str:
    """The id the edit stored (ids are trimmed: ``" new-id "`` is stored, and answered, as ``new-id``)."""
    return done.subject.split(":", 1)[1]


@strawberry.type
class Deleted:
    id: strawberry.ID
    subject: str


@strawberry.type
class EvidenceRecord:
    kind: str
    note: str
    at: str | None


@strawberry.type
class AssessmentRecord:
    id: strawberry.ID
    level: int
    source: Source
    at: str
    note: str
    evidence: list[EvidenceRecord]
    person_id: strawberry.Private[str]
    competency_id: strawberry.Private[str]

    @staticmethod
    def of(a: model.Assessment) -> AssessmentRecord:
        return AssessmentRecord(id=strawberry.ID(a.id), level=a.level, source=a.source, at=a.at.isoformat(),
                                note=a.note, evidence=[EvidenceRecord(kind=e.kind, note=e.note,
                                                                      at=e.at.isoformat() if e.at else None)
                                                       for e in a.evidence],
                                person_id=a.person_id, competency_id=a.competency_id)

    @strawberry.field
    def person(self, info: Info) -> Person:
        return person_of(info.context.proj, self.person_id)

    @strawberry.field
    def competency(self, info: Info) -> Competency:
        return competency_of(info.context.proj, self.competency_id)


def _assessment(info: Info, id: str) -> AssessmentRecord:
    found = edits.assessment_at(info.context.proj.org.assessments, id)[1]
    if found is None:
        raise NotFound("assessment", id)
    return AssessmentRecord.of(found)


def _reqs(items: list[RequirementInput] | None) -> list[tuple[str, int, float, bool]] | None:
    if items is None:
        return None
    return [(str(q.competency_id), q.level, q.weight, q.essential) for q in items]


def _role_args(input: RoleInput) -> dict[str, Any]:
    return {"id": str(input.id), "title": input.title, "description": input.description or "",
            "family": str(input.family_id) if input.family_id else None,
            "track": str(input.track_id) if input.track_id else None,
            "level": str(input.level_id) if input.level_id else None, "requirements": _reqs(input.requirements)}


def _person_args(input: PersonInput) -> dict[str, Any]:
    return {"id": str(input.id), "name": input.name, "email": input.email or "",
            "role": str(input.role_id) if input.role_id else None, "since": _date("since", input.since),
            "manager": str(input.manager_id) if input.manager_id else None}


def _resource_args(input: LearningResourceInput) -> dict[str, Any]:
    return {"id": str(input.id), "title": input.title, "kind": input.kind, "hours": input.hours, "url": input.url or "",
            "develops": [(str(d.competency_id), d.from_level, d.to_level) for d in input.develops]}


def _deleted(done: Edit) -> Deleted:
    return Deleted(id=strawberry.ID(done.subject.split(":", 1)[1]), subject=done.subject)


HR = [HROnly]
FromRole = Annotated[strawberry.ID, strawberry.argument(name="from")]


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=HR)
    def update_framework(self, info: Info, input: FrameworkInput) -> Framework:
        scale = [(s.name, s.description or "") for s in input.scale] if input.scale is not None else None
        _apply(info, edits.update_framework, input.name, input.version, input.validity_days, scale)
        fw = info.context.proj.org.framework
        return Framework(id=strawberry.ID(fw.id), name=fw.name, version=fw.version, validity_days=fw.validity_days,
                         scale=[ScaleLevel(level=s.level, name=s.name, description=s.description) for s in fw.scale])

    @strawberry.mutation(permission_classes=HR)
    def create_competency(self, info: Info, input: CompetencyInput) -> Competency:
        done = _apply(info, edits.create_competency, str(input.id), input.name, input.category, input.description or "")
        return competency_of(info.context.proj, _stored(done))

    @strawberry.mutation(permission_classes=HR)
    def update_competency(self, info: Info, input: CompetencyInput) -> Competency:
        done = _apply(info, edits.update_competency, str(input.id), input.name, input.category, input.description or "")
        return competency_of(info.context.proj, _stored(done))

    @strawberry.mutation(permission_classes=HR, description="Refused while roles, resources or assessments use it, "
                                                            "unless cascade.")
    def delete_competency(self, info: Info, id: strawberry.ID, cascade: bool = False) -> Deleted:
        return _deleted(_apply(info, edits.delete_competency, str(id), cascade))

    @strawberry.mutation(permission_classes=HR, description="Replace the indicators of a competency at one level.")
    def set_indicators(self, info: Info, competency_id: strawberry.ID, level: int, texts: list[str]) -> Competency:
        _apply(info, edits.set_indicators, str(competency_id), level, texts)
        return competency_of(info.context.proj, str(competency_id))

    @strawberry.mutation(permission_classes=HR)
    def create_job_family(self, info: Info, input: NamedInput) -> JobFamily:
        done = _apply(info, edits.create_family, str(input.id), input.name)
        return JobFamily(id=_stored(done), name=input.name.strip())

    @strawberry.mutation(permission_classes=HR)
    def update_job_family(self, info: Info, input: NamedInput) -> JobFamily:
        done = _apply(info, edits.update_family, str(input.id), input.name)
        return JobFamily(id=_stored(done), name=input.name.strip())

    @strawberry.mutation(permission_classes=HR)
    def delete_job_family(self, info: Info, id: strawberry.ID, cascade: bool = False) -> Deleted:
        return _deleted(_apply(info, edits.delete_family, str(id), cascade))

    @strawberry.mutation(permission_classes=HR)
    def create_track(self, info: Info, input: NamedInput) -> Track:
        done = _apply(info, edits.create_track, str(input.id), input.name)
        return Track(id=_stored(done), name=input.name.strip())

    @strawberry.mutation(permission_classes=HR)
    def update_track(self, info: Info, input: NamedInput) -> Track:
        done = _apply(info, edits.update_track, str(input.id), input.name)
        return Track(id=_stored(done), name=input.name.strip())

    @strawberry.mutation(permission_classes=HR)
    def delete_track(self, info: Info, id: strawberry.ID, cascade: bool = False) -> Deleted:
        return _deleted(_apply(info, edits.delete_track, str(id), cascade))

    @strawberry.mutation(permission_classes=HR)
    def create_level(self, info: Info, input: LevelInput) -> Level:
        done = _apply(info, edits.create_level, str(input.id), input.rank, input.name)
        return Level(id=_stored(done), rank=input.rank, name=input.name.strip())

    @strawberry.mutation(permission_classes=HR)
    def update_level(self, info: Info, input: LevelInput) -> Level:
        done = _apply(info, edits.update_level, str(input.id), input.rank, input.name)
        return Level(id=_stored(done), rank=input.rank, name=input.name.strip())

    @strawberry.mutation(permission_classes=HR)
    def delete_level(self, info: Info, id: strawberry.ID, cascade: bool = False) -> Deleted:
        return _deleted(_apply(info, edits.delete_level, str(id), cascade))

    @strawberry.mutation(permission_classes=HR)
    def create_role(self, info: Info, input: RoleInput) -> Role:
        args = _role_args(input)
        args["requirements"] = args["requirements"] or []
        done = _apply(info, edits.create_role, **args)
        return role_of(info.context.proj, _stored(done))

    @strawberry.mutation(permission_classes=HR, description="Requirements are replaced when given, else kept.")
    def update_role(self, info: Info, input: RoleInput) -> Role:
        done = _apply(info, edits.update_role, **_role_args(input))
        return role_of(info.context.proj, _stored(done))

    @strawberry.mutation(permission_classes=HR, description="Refused while people hold it or moves lead to or from "
                                                            "it, unless cascade.")
    def delete_role(self, info: Info, id: strawberry.ID, cascade: bool = False) -> Deleted:
        return _deleted(_apply(info, edits.delete_role, str(id), cascade))

    @strawberry.mutation(permission_classes=HR, description="Add a requirement, or change an existing one.")
    def set_requirement(self, info: Info, role_id: strawberry.ID, input: RequirementInput) -> Role:
        _apply(info, edits.set_requirement, str(role_id), str(input.competency_id), input.level, input.weight,
               input.essential)
        return role_of(info.context.proj, str(role_id))

    @strawberry.mutation(permission_classes=HR)
    def remove_requirement(self, info: Info, role_id: strawberry.ID, competency_id: strawberry.ID) -> Role:
        _apply(info, edits.remove_requirement, str(role_id), str(competency_id))
        return role_of(info.context.proj, str(role_id))

    @strawberry.mutation(permission_classes=HR)
    def add_move(self, info: Info, from_: FromRole, to: strawberry.ID, kind: MoveKind) -> Role:
        _apply(info, edits.add_move, str(from_), str(to), kind)
        return role_of(info.context.proj, str(from_))

    @strawberry.mutation(permission_classes=HR)
    def remove_move(self, info: Info, from_: FromRole, to: strawberry.ID, kind: MoveKind) -> Role:
        _apply(info, edits.remove_move, str(from_), str(to), kind)
        return role_of(info.context.proj, str(from_))

    @strawberry.mutation(permission_classes=HR)
    def create_person(self, info: Info, input: PersonInput) -> Person:
        done = _apply(info, edits.create_person, **_person_args(input))
        return person_of(info.context.proj, _stored(done))

    @strawberry.mutation(permission_classes=HR, description="Rename, assign a role, change the reporting line.")
    def update_person(self, info: Info, input: PersonInput) -> Person:
        done = _apply(info, edits.update_person, **_person_args(input))
        return person_of(info.context.proj, _stored(done))

    @strawberry.mutation(permission_classes=HR, description="Refused while people report to them or they have "
                                                            "assessments, unless cascade.")
    def delete_person(self, info: Info, id: strawberry.ID, cascade: bool = False) -> Deleted:
        return _deleted(_apply(info, edits.delete_person, str(id), cascade))

    @strawberry.mutation(permission_classes=HR)
    def create_learning_resource(self, info: Info, input: LearningResourceInput) -> LearningResource:
        done = _apply(info, edits.create_resource, **_resource_args(input))
        return LearningResource.of(info.context.proj.org.resources[_stored(done)])

    @strawberry.mutation(permission_classes=HR)
    def update_learning_resource(self, info: Info, input: LearningResourceInput) -> LearningResource:
        done = _apply(info, edits.update_resource, **_resource_args(input))
        return LearningResource.of(info.context.proj.org.resources[_stored(done)])

    @strawberry.mutation(permission_classes=HR)
    def delete_learning_resource(self, info: Info, id: strawberry.ID) -> Deleted:
        return _deleted(_apply(info, edits.delete_resource, str(id)))

    @strawberry.mutation(description="Append an assessment (never overwrites): HR for anyone, a manager for people "
                                     "under them, anyone a SELF assessment of themselves.")
    def record_assessment(self, info: Info, input: AssessmentInput) -> AssessmentRecord:
        ctx = info.context
        check_assessment(ctx.viewer, ctx.proj, str(input.person_id), input.source)
        at = _date("at", input.at) or ctx.engine.today()
        evidence = [(e.kind, e.note or "", _date(f"evidence[{i}].at", e.at)) for i, e in enumerate(input.evidence)]
        done = _apply(info, edits.record_assessment, str(input.person_id), str(input.competency_id), input.level,
                      input.source, at, input.note or "", evidence)
        return _assessment(info, done.subject.split(":", 1)[1])

    @strawberry.mutation(description="Append several assessments in one transaction (a check-in, a "
                                     "self-assessment): all of them or none; same rights as recordAssessment.")
    def record_assessments(self, info: Info, input: list[AssessmentInput]) -> list[AssessmentRecord]:
        ctx = info.context
        items = []
        for n, one in enumerate(input):
            check_assessment(ctx.viewer, ctx.proj, str(one.person_id), one.source)
            items.append(dict(
                person_id=str(one.person_id), competency_id=str(one.competency_id), level=one.level,
                source=one.source, at=_date(f"input[{n}].at", one.at) or ctx.engine.today(), note=one.note or "",
                evidence=[(e.kind, e.note or "", _date(f"input[{n}].evidence[{i}].at", e.at))
                          for i, e in enumerate(one.evidence)]))
        done = _apply(info, edits.record_assessments, items)
        return [_assessment(info, a["id"]) for a in done.after]

    @strawberry.mutation(description="Save a person's target role and the developmentPlan for it as of now "
                                     "(replaces an earlier plan): the person, their managers, HR.")
    def save_plan(self, info: Info, person_id: strawberry.ID, target: strawberry.ID) -> SavedPlan:
        ctx = info.context
        check_plan(ctx.viewer, ctx.proj, str(person_id))
        if str(person_id) not in ctx.proj.person_index:
            raise NotFound("person", str(person_id))
        plan = ctx.engine.development_plan((str(person_id), None, None), str(target))
        steps = [(i.resource_id, i.competency_id, i.from_level, i.to_level) for i in plan.items]
        _apply(info, edits.save_plan, str(person_id), str(target), steps, ctx.engine.today())
        return SavedPlan.of(ctx.proj, ctx.proj.org.plans[str(person_id)])

    @strawberry.mutation(description="Mark a plan item done: records an assessment at its level evidenced by a "
                                     "course completion (SELF when the person marks it, MANAGER when their "
                                     "manager or HR does).")
    def complete_plan_item(self, info: Info, person_id: strawberry.ID, resource_id: strawberry.ID,
                           competency_id: strawberry.ID, at: str | None = None) -> SavedPlan:
        ctx = info.context
        check_plan(ctx.viewer, ctx.proj, str(person_id))
        source = Source.SELF if ctx.viewer.person_id == str(person_id) else Source.MANAGER
        _apply(info, edits.complete_plan_item, str(person_id), str(resource_id), str(competency_id),
               _date("at", at) or ctx.engine.today(), source)
        return SavedPlan.of(ctx.proj, ctx.proj.org.plans[str(person_id)])

    @strawberry.mutation(description="Forget a person's saved target and plan (what was done stays recorded).")
    def clear_plan(self, info: Info, person_id: strawberry.ID) -> Deleted:
        ctx = info.context
        check_plan(ctx.viewer, ctx.proj, str(person_id))
        return _deleted(_apply(info, edits.clear_plan, str(person_id)))

    @strawberry.mutation(description="Put a person in a role's talent pool: a manager for people under them, HR "
                                     "for anyone.")
    def nominate(self, info: Info, role_id: strawberry.ID, person_id: strawberry.ID,
                 note: str | None = None) -> list[PoolMember]:
        ctx = info.context
        check_nomination(ctx.viewer, ctx.proj, str(person_id))
        _apply(info, edits.nominate, str(role_id), str(person_id), ctx.viewer.person_id, ctx.engine.today(),
               note or "")
        scope = ctx.viewer.person_id if ctx.viewer.access is Access.MANAGER else None    # their own organisation
        return [PoolMember.of(ctx.proj, m) for m in ctx.engine.talent_pool(str(role_id), scope)]

    @strawberry.mutation(description="Take a person out of a role's talent pool; same rights as nominating.")
    def withdraw_nomination(self, info: Info, role_id: strawberry.ID, person_id: strawberry.ID) -> Deleted:
        ctx = info.context
        check_nomination(ctx.viewer, ctx.proj, str(person_id))
        return _deleted(_apply(info, edits.withdraw_nomination, str(role_id), str(person_id)))

    @strawberry.mutation(description="Say (interested: true) or take back that a role interests you.")
    def set_interest(self, info: Info, person_id: strawberry.ID, role_id: strawberry.ID,
                     interested: bool = True) -> Person:
        ctx = info.context
        check_interest(ctx.viewer, str(person_id))
        _apply(info, edits.set_interest, str(person_id), str(role_id), interested, ctx.engine.today())
        return person_of(ctx.proj, str(person_id))

    @strawberry.mutation(description="Attach evidence to an assessment; same rights as recording it.")
    def add_evidence(self, info: Info, assessment_id: strawberry.ID, input: EvidenceInput) -> AssessmentRecord:
        ctx = info.context
        found = edits.assessment_at(ctx.proj.org.assessments, str(assessment_id))[1]
        if found is None:
            raise NotFound("assessment", str(assessment_id))
        check_assessment(ctx.viewer, ctx.proj, found.person_id, found.source)
        _apply(info, edits.add_evidence, str(assessment_id), input.kind, input.note or "", _date("at", input.at))
        return _assessment(info, str(assessment_id))


__all__ = ["Mutation", "Category"]
