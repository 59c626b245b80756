"""GraphQL object types: thin views over the domain values of ``graph``.

Each type keeps the domain value it shows (``strawberry.Private``) and resolves
its links through the request's projection, so one request sees one snapshot.
"""

from __future__ import annotations

import base64

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry

from graph import model
from graph.closeness import Direction
from graph.errors import BadInput, NotFound
from graph.gaps import Status as _Status
from graph.gaps import Verdict as _Verdict
from graph.profiles import EvidenceStatus as _EvidenceStatus
from graph.projection import Projection
from graph.succession import Bucket as _Bucket

from .context import Info
from .policy import CanReadThisPerson, sees_manager_of, sees_person

if TYPE_CHECKING:
    from .growth import CareerInterest, SavedPlan
    from .mutations import AssessmentRecord

Category = strawberry.enum(model.Category, description="The kind of competency.")
Source = strawberry.enum(model.Source, description="Who assessed a proficiency (most trusted last).")
ResourceKind = strawberry.enum(model.ResourceKind)
MoveKind = strawberry.enum(model.MoveKind)
Verdict = strawberry.enum(_Verdict, description="READY: gap 0; UPSKILL: close, no essential deficit above one level; RESKILL: otherwise.")
Status = strawberry.enum(_Status, description="How the current level compares with the required one.")
EvidenceStatus = strawberry.enum(_EvidenceStatus, description="How well the current level is proven.")
Bucket = strawberry.enum(_Bucket, description="Succession readiness bucket.")
MoveDirection = strawberry.enum(Direction, name="MoveDirection", description="UP: higher level; LATERAL: same level; ANY.")


@strawberry.type
class ScaleLevel:
    level: int
    name: str
    description: str


@strawberry.type
class Framework:
    id: strawberry.ID
    name: str
    version: str
    validity_days: int
    scale: list[ScaleLevel]


@strawberry.type
class Indicator:
    id: strawberry.ID
    level: int
    text: str


def indicators(items: tuple[model.Indicator, ...] | list[model.Indicator]) -> list[Indicator]:
    return [Indicator(id=strawberry.ID(i.id), level=i.level, text=i.text) for i in items]


@strawberry.type
class Competency:
    id: strawberry.ID
    name: str
    category: Category
    description: str

    @strawberry.field(description="Observable behaviours, per level (all levels when none is given).")
    def indicators(self, info: Info, level: int | None = None) -> list[Indicator]:
        proj = info.context.proj
        if level is not None and not 1 <= level <= proj.max_level:
            raise BadInput(f"level {level} is outside the framework's scale 1..{proj.max_level}.")
        levels = [level] if level is not None else range(1, proj.max_level + 1)
        return indicators([i for lv in levels for i in proj.indicators.get((str(self.id), lv), ())])

    @strawberry.field(description="The roles that require this competency, by level then id.")
    def required_by(self, info: Info) -> list[Role]:
        proj = info.context.proj
        col = proj.comp_index[str(self.id)]
        rows = proj.nnz_role[proj.required.indices == col]
        return sorted((Role.of(proj.org.roles[proj.role_ids[r]]) for r in rows), key=lambda r: role_order(proj)(r._role))

    @staticmethod
    def of(c: model.Competency) -> Competency:
        return Competency(id=strawberry.ID(c.id), name=c.name, category=c.category, description=c.description)


@strawberry.type
class JobFamily:
    id: strawberry.ID
    name: str

    @strawberry.field
    def roles(self, info: Info) -> list[Role]:
        proj = info.context.proj
        return [Role.of(r) for r in sorted(proj.org.roles.values(), key=role_order(proj))
                if r.family_id == self.id]


@strawberry.type
class Track:
    id: strawberry.ID
    name: str


@strawberry.type
class Level:
    id: strawberry.ID
    rank: int
    name: str


@strawberry.type
class Requirement:
    level: int
    weight: float
    essential: bool
    competency_id: strawberry.Private[str]

    @strawberry.field
    def competency(self, info: Info) -> Competency:
        return Competency.of(info.context.proj.org.competencies[self.competency_id])

    @strawberry.field(description="What good looks like: the indicators of the required level.")
    def indicators(self, info: Info) -> list[Indicator]:
        return indicators(info.context.proj.indicators.get((self.competency_id, self.level), ()))


@strawberry.type
class Role:
    id: strawberry.ID
    title: str
    description: str
    _role: strawberry.Private[model.Role]

    @staticmethod
    def of(r: model.Role) -> Role:
        return Role(id=strawberry.ID(r.id), title=r.title, description=r.description, _role=r)

    @strawberry.field
    def family(self, info: Info) -> JobFamily | None:
        f = info.context.proj.org.families.get(self._role.family_id or "")
        return JobFamily(id=strawberry.ID(f.id), name=f.name) if f else None

    @strawberry.field
    def level(self, info: Info) -> Level | None:
        lv = info.context.proj.org.levels.get(self._role.level_id or "")
        return Level(id=strawberry.ID(lv.id), rank=lv.rank, name=lv.name) if lv else None

    @strawberry.field
    def track(self, info: Info) -> Track | None:
        t = info.context.proj.org.tracks.get(self._role.track_id or "")
        return Track(id=strawberry.ID(t.id), name=t.name) if t else None

    @strawberry.field
    def requirements(self) -> list[Requirement]:
        return [Requirement(level=q.level, weight=q.weight, essential=q.essential, competency_id=q.competency_id)
                for q in self._role.requirements]

    @strawberry.field(description="Curated moves out of this role (promotions and lateral moves).")
    def moves_to(self, info: Info, kind: MoveKind | None = None) -> list[Role]:
        proj = info.context.proj
        return [role_of(proj, v) for v in sorted(proj.moves.successors(self._role.id))
                if kind is None or proj.moves[self._role.id][v]["kind"] == kind]

    @strawberry.field(description="Curated moves into this role.")
    def moves_from(self, info: Info, kind: MoveKind | None = None) -> list[Role]:
        proj = info.context.proj
        return [role_of(proj, u) for u in sorted(proj.moves.predecessors(self._role.id))
                if kind is None or proj.moves[u][self._role.id]["kind"] == kind]

    @strawberry.field(description="Moves out of this role that career paths infer (at most one level up, "
                                  "role-to-role gap under TRELLIS_INFER_MOVES_GAP), smallest gap first; "
                                  "empty when inference is off. Curated moves are not repeated here.")
    def inferred_moves_to(self, info: Info, limit: int = 20) -> list[InferredMove]:
        from graph.paths import step_graph

        ctx = info.context
        if ctx.engine.thresholds.infer_moves_gap is None:
            return []
        graph = step_graph(ctx.proj, ctx.engine.thresholds)
        out = sorted(((float(d["weight"]), v) for v, d in graph[self._role.id].items() if not d["curated"]))
        return [InferredMove(role=role_of(ctx.proj, v), gap=g) for g, v in out[:ctx.limit(limit)]]


@strawberry.type(description="A move inferred from the requirements: the role, and the role-to-role gap.")
class InferredMove:
    role: Role
    gap: float


def role_order(proj: Projection):  # type: ignore[no-untyped-def]
    ranks = {lv.id: lv.rank for lv in proj.org.levels.values()}
    return lambda r: (ranks.get(r.level_id or "", 0), r.id)


def role_of(proj: Projection, role_id: str) -> Role:
    r = proj.org.roles.get(role_id)
    if r is None:
        raise NotFound("role", role_id)
    return Role.of(r)


def competency_of(proj: Projection, competency_id: str) -> Competency:
    c = proj.org.competencies.get(competency_id)
    if c is None:
        raise NotFound("competency", competency_id)
    return Competency.of(c)


@strawberry.type
class Proficiency:
    level: int
    source: Source
    at: str
    evidence: EvidenceStatus
    competency_id: strawberry.Private[str]

    @strawberry.field
    def competency(self, info: Info) -> Competency:
        return competency_of(info.context.proj, self.competency_id)


@strawberry.type
class Person:
    id: strawberry.ID
    name: str
    _person: strawberry.Private[model.Person]

    @staticmethod
    def of(p: model.Person) -> Person:
        return Person(id=strawberry.ID(p.id), name=p.name, _person=p)

    @strawberry.field(permission_classes=[CanReadThisPerson])
    def email(self) -> str:
        return self._person.email

    @strawberry.field
    def since(self) -> str | None:
        return self._person.since.isoformat() if self._person.since else None

    @strawberry.field
    def role(self, info: Info) -> Role | None:
        return role_of(info.context.proj, self._person.role_id) if self._person.role_id else None

    @strawberry.field(description="Who they report to: shown for the people whose profile you may see and up your own "
                                  "reporting line; else null.")
    def manager(self, info: Info) -> Person | None:
        m, ctx = self._person.manager_id, info.context
        return person_of(ctx.proj, m) if m and sees_manager_of(ctx.viewer, ctx.proj, self._person.id) else None

    @strawberry.field(description="Their direct reports, for the people whose profile you may see; else empty.")
    def reports(self, info: Info) -> list[Person]:
        proj, viewer = info.context.proj, info.context.viewer
        if not sees_person(viewer, proj, self._person.id):
            return []
        return [person_of(proj, p) for p in proj.reports.get(self._person.id, ())]

    @strawberry.field(description="Effective proficiency per assessed competency, with its source and proof.",
                      permission_classes=[CanReadThisPerson])
    def proficiencies(self, info: Info) -> list[Proficiency]:
        from graph.profiles import evidence_of, resolve_profile

        proj = info.context.proj
        prof = resolve_profile(proj, person_id=self._person.id)
        today = info.context.engine.today()
        eff = proj.effective.get(self._person.id, {})
        return [Proficiency(level=a.level, source=a.source, at=a.at.isoformat(),
                            evidence=evidence_of(proj, prof, cid, today), competency_id=cid)
                for cid, a in sorted(eff.items())]

    @strawberry.field(description="Every assessment of the person (the history: never overwritten), newest "
                                  "first; optionally of one competency.", permission_classes=[CanReadThisPerson])
    def assessments(self, info: Info, competency: strawberry.ID | None = None, first: int = 100
                    ) -> list[Annotated[AssessmentRecord, strawberry.lazy("server.mutations")]]:
        from graph.history import assessment_table

        from .mutations import AssessmentRecord

        proj = info.context.proj
        table = assessment_table(proj)
        row = proj.person_index[self._person.id]
        found = [a for a in table.rows[table.start[row]:table.start[row + 1]]
                 if competency is None or a.competency_id == competency]
        found.sort(key=lambda a: (a.at, a.id), reverse=True)
        return [AssessmentRecord.of(a) for a in found[:info.context.limit(first, "first")]]

    @strawberry.field(description="Roles the person has said they would like (their manager and HR see it).",
                      permission_classes=[CanReadThisPerson])
    def interests(self, info: Info) -> list[Annotated[CareerInterest, strawberry.lazy("server.growth")]]:
        from .growth import CareerInterest

        proj = info.context.proj
        return [CareerInterest(role=role_of(proj, i.role_id), at=i.at.isoformat())
                for i in proj.org.interests if i.person_id == self._person.id]

    @strawberry.field(description="The saved target role and development plan (null when none is saved).",
                      permission_classes=[CanReadThisPerson])
    def plan(self, info: Info) -> Annotated[SavedPlan, strawberry.lazy("server.growth")] | None:
        from .growth import SavedPlan

        proj = info.context.proj
        sp = proj.org.plans.get(self._person.id)
        return SavedPlan.of(proj, sp) if sp else None


def person_of(proj: Projection, person_id: str) -> Person:
    p = proj.org.people.get(person_id)
    if p is None:
        raise NotFound("person", person_id)
    return Person.of(p)


@strawberry.type
class Development:
    from_level: int
    to_level: int
    competency_id: strawberry.Private[str]

    @strawberry.field
    def competency(self, info: Info) -> Competency:
        return competency_of(info.context.proj, self.competency_id)


@strawberry.type
class LearningResource:
    id: strawberry.ID
    title: str
    kind: ResourceKind
    hours: float
    url: str
    _res: strawberry.Private[model.LearningResource]

    @staticmethod
    def of(r: model.LearningResource) -> LearningResource:
        return LearningResource(id=strawberry.ID(r.id), title=r.title, kind=r.kind, hours=r.hours, url=r.url,
                                _res=r)

    @strawberry.field
    def develops(self) -> list[Development]:
        return [Development(from_level=d.from_level, to_level=d.to_level, competency_id=d.competency_id)
                for d in self._res.develops]


# --- connections -------------------------------------------------------------

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    total_count: int
    nodes: list[T]
    edges: list[Edge[T]]
    page_info: PageInfo


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def offset_of(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        kind, _, num = text.partition(":")
        if kind != "offset" or not num.isdigit():
            raise ValueError
        return int(num) + 1
    except (ValueError, UnicodeDecodeError):
        raise BadInput(f"'{cursor}' is not a cursor this API gave out.") from None


def page(nodes: list[T], start: int, total: int) -> Connection[T]:
    edges = [Edge(cursor=_cursor(start + i), node=node) for i, node in enumerate(nodes)]
    return Connection(total_count=total, nodes=nodes, edges=edges,
                      page_info=PageInfo(has_next_page=start + len(nodes) < total,
                                         end_cursor=edges[-1].cursor if edges else None))


def paginate(items: list[Any], first: int, after: str | None, info: Info,
             convert: Callable[[Any], T] | None = None) -> Connection[T]:
    """Offset-based cursors: opaque, stable while the catalogue does not change. ``convert`` turns the
    model values of the page (only those: ESCO has 13,939 competencies) into API types."""
    n = info.context.limit(first, "first")
    start = offset_of(after)
    chosen = items[start:start + n]
    return page([convert(x) for x in chosen] if convert else chosen, start, len(items))


@strawberry.type(description="One change: who (person id and access), what (action, subject), when, before/after as JSON.")
class AuditEntry:
    id: strawberry.ID
    at: str
    actor: str | None
    access: str
    action: str
    subject: str
    before: str
    after: str

    @staticmethod
    def of(e: Any) -> AuditEntry:
        return AuditEntry(id=strawberry.ID(e.id), at=e.at, actor=e.actor, access=e.access, action=e.action,
                          subject=e.subject, before=e.before, after=e.after)


