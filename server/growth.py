"""GraphQL types of the living model: saved plans, growth over time, what-if and bench strength."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph import bench, history, rules, succession, whatif
from graph.errors import BadInput
from graph.model import SavedPlan as _SavedPlan
from graph.projection import Projection

from .types import Bucket, Competency, LearningResource, Person, Role, Verdict, competency_of, person_of, role_of

__all__ = ["parse_date", "Period", "SavedPlan", "PersonTrend", "TeamTrend", "ReadinessChange", "RoleBench"]

Period = strawberry.enum(history.Period, description="How often a trend takes a point: at each month's or quarter's end.")


def parse_date(field: str, value: str | None) -> dt.date | None:
    """An ISO date argument, or a BAD_INPUT that names the field."""
    if value is None:
        return None
    try:
        return rules.date(value)
    except rules.FieldError as exc:
        raise BadInput(f"{field}: {exc.message}.") from None


def _day(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# --- saved plans ----------------------------------------------------------------------------


@strawberry.type
class SavedPlanItem:
    resource: LearningResource
    competency: Competency
    from_level: int
    to_level: int
    done: bool
    done_at: str | None


@strawberry.type(description="A person's saved target role and the plan they keep for it.")
class SavedPlan:
    target: Role
    saved_at: str
    items: list[SavedPlanItem]
    total_hours: float
    done_hours: float = strawberry.field(description="Hours of the resources whose items are all marked done "
                                                     "(a resource counts once, as in developmentPlan).")
    progress: float = strawberry.field(description="doneHours / totalHours (0 when the plan has no hours).")

    @staticmethod
    def of(proj: Projection, sp: _SavedPlan) -> SavedPlan:
        from .types import LearningResource as LR

        res = proj.org.resources
        items = [SavedPlanItem(resource=LR.of(res[i.resource_id]), competency=competency_of(proj, i.competency_id),
                               from_level=i.from_level, to_level=i.to_level, done=i.done is not None,
                               done_at=_day(i.done)) for i in sp.items]
        used = {i.resource_id for i in sp.items}
        finished = used - {i.resource_id for i in sp.items if i.done is None}
        total, done = sum(res[r].hours for r in used), sum(res[r].hours for r in finished)
        return SavedPlan(target=role_of(proj, sp.role_id), saved_at=sp.saved.isoformat(), items=items,
                         total_hours=round(total, 9), done_hours=round(done, 9),
                         progress=round(done / total, 6) if total > 0 else 0.0)


# --- trends ----------------------------------------------------------------------------------


@strawberry.type
class TrendPoint:
    at: str
    gap: float
    readiness: float
    verdict: Verdict


@strawberry.type
class LevelPoint:
    at: str
    level: int


@strawberry.type
class CompetencySeries:
    competency: Competency
    required: int | None = strawberry.field(description="What the target requires (null when it does not).")
    points: list[LevelPoint]


@strawberry.type
class PersonTrend:
    person: Person
    target: Role | None
    points: list[TrendPoint] = strawberry.field(
        description="Gap and readiness for the target on each day the person was assessed, and today (last).")
    competencies: list[CompetencySeries] = strawberry.field(
        description="The effective level per competency on the same days (assessed ones and the target's).")

    @staticmethod
    def of(proj: Projection, t: history.PersonTrend) -> PersonTrend:
        days = [d.isoformat() for d in t.days]
        return PersonTrend(
            person=person_of(proj, t.person_id), target=role_of(proj, t.target_id) if t.target_id else None,
            points=[TrendPoint(at=p.at.isoformat(), gap=p.gap, readiness=p.readiness, verdict=p.verdict)
                    for p in t.points],
            competencies=[CompetencySeries(competency=competency_of(proj, s.competency_id), required=s.required,
                                           points=[LevelPoint(at=d, level=lv) for d, lv in zip(days, s.levels)])
                          for s in t.competencies])


@strawberry.type
class CompetencyDeficit:
    competency: Competency
    total_deficit: float = strawberry.field(description="Sum over the people of weight × levels short.")
    people_below: list[Person]


@strawberry.type
class TeamTrendPoint:
    at: str
    total_deficit: float
    mean_readiness: float = strawberry.field(description="Mean readiness of the people for their own roles.")
    top_gaps: list[CompetencyDeficit]
    deficits: list[CompetencyDeficit] = strawberry.field(
        description="Every competency the people's roles require, by id.")


@strawberry.type
class TeamTrend:
    manager: Person
    people: list[Person] = strawberry.field(description="The team as it is today.")
    points: list[TeamTrendPoint]

    @staticmethod
    def of(proj: Projection, t: history.TeamTrend) -> TeamTrend:
        def deficit(d: history.CompetencyDeficit) -> CompetencyDeficit:
            return CompetencyDeficit(competency=competency_of(proj, d.competency_id), total_deficit=d.total_deficit,
                                     people_below=[person_of(proj, p) for p in d.people_below])

        return TeamTrend(
            manager=person_of(proj, t.manager_id), people=[person_of(proj, p) for p in t.people],
            points=[TeamTrendPoint(at=p.at.isoformat(), total_deficit=p.total_deficit,
                                   mean_readiness=p.mean_readiness, top_gaps=[deficit(d) for d in p.top_gaps],
                                   deficits=[deficit(d) for d in p.deficits]) for p in t.points])


# --- talent pools and interests ------------------------------------------------------------


@strawberry.type(description="A nominated person beside the computed answer (gap, readiness, bucket).")
class PoolMember:
    person: Person
    nominated_by: Person | None
    at: str
    note: str
    gap: float
    readiness: float
    bucket: Bucket
    interested: bool = strawberry.field(description="Has said they would like this role.")

    @staticmethod
    def of(proj: Projection, m: succession.PoolMember) -> PoolMember:
        return PoolMember(person=person_of(proj, m.person_id),
                          nominated_by=person_of(proj, m.by) if m.by and m.by in proj.person_index else None,
                          at=m.at.isoformat(), note=m.note, gap=m.gap, readiness=m.readiness, bucket=m.bucket,
                          interested=m.interested)


@strawberry.type
class CareerInterest:
    role: Role
    at: str


# --- what-if and bench strength ----------------------------------------------------------


@strawberry.type
class Standing:
    gap: float
    readiness: float
    verdict: Verdict


@strawberry.type
class ReadinessChange:
    role: Role
    before: Standing
    after: Standing

    @staticmethod
    def of(proj: Projection, c: whatif.ReadinessChange) -> ReadinessChange:
        def standing(s: whatif.Standing) -> Standing:
            return Standing(gap=s.gap, readiness=s.readiness, verdict=s.verdict)

        return ReadinessChange(role=role_of(proj, c.role_id), before=standing(c.before), after=standing(c.after))


@strawberry.type
class RoleBench:
    role: Role
    holders: list[Person]
    ready_now: list[Person]
    ready_soon: list[Person]
    cover: int = strawberry.field(description="Holders + READY_NOW + READY_SOON successors.")
    after: int | None = strawberry.field(description="The cover once the person left (ifLeaves only).")
    threshold: int
    at_risk: bool = strawberry.field(description="Cover (or, for ifLeaves, the cover after) below the threshold.")

    @staticmethod
    def of(proj: Projection, b: bench.RoleBench) -> RoleBench:
        return RoleBench(role=role_of(proj, b.role_id), holders=[person_of(proj, p) for p in b.holders],
                         ready_now=[person_of(proj, p) for p in b.ready_now],
                         ready_soon=[person_of(proj, p) for p in b.ready_soon], cover=b.cover, after=b.after,
                         threshold=b.threshold, at_risk=b.at_risk)
