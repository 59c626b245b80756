"""GraphQL types of the answers to path questions (gap, paths, succession, ...)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from graph import gaps, learn, paths, plans, succession, teams
from graph import closeness as cl
from graph import inventory as inv
from graph.errors import BadInput
from graph.projection import Projection

from .types import (
    Bucket, Competency, EvidenceStatus, Indicator, LearningResource, Person, Role, Status, Verdict,
    competency_of, indicators, person_of, role_of,
)


@strawberry.type
class RoleMatch:
    role: Role
    distance: float = strawberry.field(description="Distance, 0 to 1 plus 0.02 per level of difference: a quarter how much must change (deficits, half the unused strengths), three quarters how differently the two weigh their competencies (the correlation of importance × level within skills and within knowledge).")
    gap: float
    readiness: float
    verdict: Verdict

    @staticmethod
    def of(proj: Projection, m: cl.RoleMatch) -> RoleMatch:
        return RoleMatch(role=role_of(proj, m.role_id), distance=m.distance, gap=m.gap,
                         readiness=m.readiness, verdict=m.verdict)


@strawberry.type
class GapItem:
    competency: Competency
    required: int
    current: int
    deficit: int
    weight: float
    essential: bool
    status: Status
    evidence: EvidenceStatus
    proof_gap: bool = strawberry.field(description="Met on paper but not verified: a proof gap, not a capability gap.")
    indicators: list[Indicator] = strawberry.field(description="What to demonstrate: indicators of levels current+1..required.")


@strawberry.type
class GapReport:
    role: Role
    total_gap: float
    readiness: float
    verdict: Verdict
    items: list[GapItem]

    @strawberry.field(description="How many requirements are met only on paper.")
    def proof_gaps(self) -> int:
        return sum(i.proof_gap for i in self.items)

    @staticmethod
    def of(proj: Projection, g: gaps.GapReport) -> GapReport:
        return GapReport(
            role=role_of(proj, g.role_id), total_gap=g.total_gap, readiness=g.readiness, verdict=g.verdict,
            items=[GapItem(competency=competency_of(proj, i.competency_id), required=i.required,
                           current=i.current, deficit=i.deficit, weight=i.weight, essential=i.essential,
                           status=i.status, evidence=i.evidence, proof_gap=i.proof_gap,
                           indicators=indicators(i.indicators)) for i in g.items])


@strawberry.type
class SkillStep:
    competency: Competency
    from_level: int
    to_level: int
    ready_roles: list[Role] = strawberry.field(description="Roles that become READY with this gain.")
    improved_roles: list[Role]
    readiness_gain: float
    gap_reduction: float
    reason: str
    indicators: list[Indicator] = strawberry.field(description="What to demonstrate at the new level.")
    resources: list[LearningResource] = strawberry.field(description="Resources that develop this step, fewest hours first.")

    @staticmethod
    def of(proj: Projection, s: learn.SkillStep) -> SkillStep:
        res = sorted((r for r in proj.org.resources.values()
                      if any(d.competency_id == s.competency_id and d.from_level <= s.from_level < d.to_level
                             for d in r.develops)), key=lambda r: (r.hours, r.id))
        return SkillStep(
            competency=competency_of(proj, s.competency_id), from_level=s.from_level, to_level=s.to_level,
            ready_roles=[role_of(proj, r) for r in s.ready_roles],
            improved_roles=[role_of(proj, r) for r in s.improved_roles], readiness_gain=s.readiness_gain,
            gap_reduction=s.gap_reduction, reason=s.reason,
            indicators=indicators(proj.indicators.get((s.competency_id, s.to_level), ())),
            resources=[LearningResource.of(r) for r in res])


@strawberry.type
class PathStep:
    role: Role
    gap: float


@strawberry.type
class CareerPath:
    total_gap: float = strawberry.field(description="Sum of the steps' gaps; with no steps (already in the role) the gap left to close.")
    direct_gap: float = strawberry.field(description="The gap straight from the profile to the target.")
    steps: list[PathStep]

    @staticmethod
    def of(proj: Projection, p: paths.CareerPath) -> CareerPath:
        return CareerPath(total_gap=p.total_gap, direct_gap=p.direct_gap,
                          steps=[PathStep(role=role_of(proj, s.role_id), gap=s.gap) for s in p.steps])


@strawberry.type
class Candidate:
    person: Person
    gap: float
    readiness: float
    bucket: Bucket
    nominated: bool = strawberry.field(description="In the role's stored talent pool.")
    interested: bool = strawberry.field(description="Has said they would like this role.")


@strawberry.type
class SuccessionReport:
    role: Role
    bench_strength: int = strawberry.field(description="READY_NOW + READY_SOON over the whole pool.")
    pool_size: int
    candidates: list[Candidate]

    @staticmethod
    def of(proj: Projection, s: succession.SuccessionReport) -> SuccessionReport:
        keen, slate = succession.interested_in(proj, s.role_id), succession.nominated_for(proj, s.role_id)
        return SuccessionReport(
            role=role_of(proj, s.role_id), bench_strength=s.bench_strength, pool_size=s.pool_size,
            candidates=[Candidate(person=person_of(proj, c.person_id), gap=c.gap, readiness=c.readiness,
                                  bucket=c.bucket, nominated=c.person_id in slate, interested=c.person_id in keen)
                        for c in s.candidates])


@strawberry.type
class PlanItem:
    resource: LearningResource
    competency: Competency
    from_level: int
    to_level: int
    indicators: list[Indicator] = strawberry.field(description="Indicators to practise on the way.")


@strawberry.type
class UncoveredDeficit:
    competency: Competency
    from_level: int
    to_level: int


@strawberry.type
class DevelopmentPlan:
    role: Role
    total_hours: float
    items: list[PlanItem]
    uncovered: list[UncoveredDeficit] = strawberry.field(description="Deficits no resource can close.")

    @staticmethod
    def of(proj: Projection, p: plans.DevelopmentPlan) -> DevelopmentPlan:
        return DevelopmentPlan(
            role=role_of(proj, p.role_id), total_hours=p.total_hours,
            items=[PlanItem(resource=LearningResource.of(proj.org.resources[i.resource_id]),
                            competency=competency_of(proj, i.competency_id), from_level=i.from_level,
                            to_level=i.to_level, indicators=indicators(i.indicators)) for i in p.items],
            uncovered=[UncoveredDeficit(competency=competency_of(proj, u.competency_id), from_level=u.from_level,
                                        to_level=u.to_level) for u in p.uncovered])


@strawberry.type
class HeatCell:
    person: Person
    competency: Competency
    required: int
    current: int
    deficit: int
    weight: float


@strawberry.type
class TeamGap:
    competency: Competency
    total_deficit: float
    proj: strawberry.Private[Projection]
    below: strawberry.Private[Sequence[str]]

    @strawberry.field
    def people_below(self) -> list[Person]:
        return [person_of(self.proj, p) for p in self.below]


@strawberry.type
class Heatmap:
    """Built field by field, as the query asks: a heatmap of a large organisation's top manager has millions of
    cells, and a query that selects only ``topGaps`` (or one page of ``cells``) builds none of the others."""

    proj: strawberry.Private[Projection]
    heat: strawberry.Private[teams.Heatmap]

    @strawberry.field
    def manager(self) -> Person:
        return person_of(self.proj, self.heat.manager_id)

    @strawberry.field
    def people(self) -> list[Person]:
        return [person_of(self.proj, p) for p in self.heat.people]

    @strawberry.field
    def competencies(self) -> list[Competency]:
        return [competency_of(self.proj, c) for c in self.heat.competency_ids]

    @strawberry.field(description="Person by person, each person's role's requirements in competency order; "
                                  "offset and limit page through them (cellCount says how many there are).")
    def cells(self, offset: int = 0, limit: int | None = None) -> list[HeatCell]:
        if offset < 0 or (limit is not None and limit < 0):
            raise BadInput(f"offset and limit must not be negative (offset {offset}, limit {limit}).")
        stop = self.heat.cell_count if limit is None else offset + limit
        return [HeatCell(person=person_of(self.proj, c.person_id), competency=competency_of(self.proj, c.competency_id),
                         required=c.required, current=c.current, deficit=c.deficit, weight=c.weight)
                for c in self.heat.cells_between(offset, stop)]

    @strawberry.field
    def cell_count(self) -> int:
        return self.heat.cell_count

    @strawberry.field
    def top_gaps(self) -> list[TeamGap]:
        return [TeamGap(competency=competency_of(self.proj, g.competency_id), total_deficit=g.total_deficit,
                        proj=self.proj, below=g.people_below) for g in self.heat.top_gaps]

    @staticmethod
    def of(proj: Projection, h: teams.Heatmap) -> Heatmap:
        return Heatmap(proj=proj, heat=h)


@strawberry.type
class LevelCount:
    level: int
    count: int


@strawberry.type
class CompetencyCoverage:
    competency: Competency
    holders: list[LevelCount]
    people_assessed: int
    roles_requiring: int
    people_needing: int = strawberry.field(description="People whose own role requires it.")
    people_below: int = strawberry.field(description="Of those, people below the level their role requires.")

    @staticmethod
    def of(proj: Projection, c: inv.CompetencyCoverage) -> CompetencyCoverage:
        return CompetencyCoverage(
            competency=competency_of(proj, c.competency_id),
            holders=[LevelCount(level=i + 1, count=n) for i, n in enumerate(c.holders)],
            people_assessed=c.people_assessed, roles_requiring=c.roles_requiring,
            people_needing=c.people_needing, people_below=c.people_below)
