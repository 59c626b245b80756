"""The GraphQL schema: catalogue browsing and the path questions of DESIGN.md.

Resolvers are thin: they check and cap arguments, call :class:`graph.engine.Engine`
and wrap the answers in the types of :mod:`server.types` / :mod:`server.results`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.config import StrawberryConfig

from graph.closeness import Direction
from graph.profiles import ProfileRef
from graph.projection import Projection
from graph.search import search
from graph.errors import BadInput, NotFound

from .context import Info
from .execution import TrellisSchema
from .auth import Access
from .limits import shape_rule
from .growth import Period, PersonTrend, PoolMember, ReadinessChange, RoleBench, TeamTrend, parse_date
from .policy import (
    CanReadOrganisation, CanReadPerson, CanReadPersonId, CanReadProfile, HROnly, SignedIn, check_person, sees_person,
)
from .results import (
    CareerPath, CompetencyCoverage, DevelopmentPlan, GapReport, Heatmap, RoleMatch, SkillStep,
    SuccessionReport,
)
from .types import (
    Category, Competency, Connection, Framework, JobFamily, LearningResource, Level, MoveDirection, Person,
    Role, ScaleLevel, Track, AuditEntry, role_order, competency_of, offset_of, page, paginate, person_of, role_of,
)

SDL_PATH = Path(__file__).with_name("schema.graphql")
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2000
MAX_FIELDS = 2000
"""Fields of one operation once its fragments are spread (``QUERY_TOO_COMPLEX``, as depth and aliases)."""
MAX_DIRECTIVES_PER_NODE = 3
MAX_DIRECTIVES = 30
MAX_NODES = 50_000
"""GitHub-style cost: the nodes an operation's pages could return (``QUERY_TOO_COSTLY``)."""


@strawberry.input(description="A competency and a level on the framework's scale (0 = none).")
class ProficiencyInput:
    competency_id: strawberry.ID
    level: int


@strawberry.input(description="Exactly one of: a person, a role's requirements, or levels typed in "
                               "(optionally with the role they are held in: currentRoleId).")
class ProfileInput:
    person_id: strawberry.ID | None = None
    role_id: strawberry.ID | None = None
    proficiencies: list[ProficiencyInput] | None = None
    current_role_id: strawberry.ID | None = strawberry.field(
        default=None, description="With proficiencies: the role the person holds now (levels, moves and "
                                  "exclusion are measured from it).")
    as_of: str | None = strawberry.field(
        default=None, description="With personId: the profile as it was on this day (YYYY-MM-DD): only the "
                                  "assessments made up to it count.")

    def spec(self) -> ProfileRef:
        levels = None
        if self.proficiencies is not None:
            levels = {}
            for p in self.proficiencies:
                if str(p.competency_id) in levels:
                    raise BadInput(f"Competency '{p.competency_id}' appears twice in proficiencies.")
                levels[str(p.competency_id)] = p.level
        return ProfileRef(str(self.person_id) if self.person_id is not None else None,
                          str(self.role_id) if self.role_id is not None else None, levels,
                          str(self.current_role_id) if self.current_role_id is not None else None,
                          parse_date("asOf", self.as_of))


AccessLevel = strawberry.enum(Access, name="Access", description="What a viewer may see and do.")

From = Annotated[ProfileInput, strawberry.argument(name="from")]


def _found(proj: Projection, kind: str, text: str | None, ordered: list[Any]) -> list[Any]:
    """``ordered`` as it is without a search text; with one, the matches best first (:mod:`graph.search`)."""
    if text is None or not text.strip():
        return ordered
    rank = {id_: n for n, id_ in enumerate(search(proj, kind, text))}
    return sorted((x for x in ordered if x.id in rank), key=lambda x: rank[x.id])


@strawberry.type
class FrameworkIssue:
    severity: str = strawberry.field(description="ERROR or WARNING.")
    code: str
    message: str
    subjects: list[str]


@strawberry.type
class Viewer:
    access: AccessLevel
    person_id: strawberry.Private[str | None]

    @strawberry.field
    def person(self, info: Info) -> Person | None:
        proj = info.context.proj
        return person_of(proj, self.person_id) if self.person_id in proj.person_index else None


@strawberry.type
class Query:
    @strawberry.field(description="Who is asking: ANONYMOUS without a token.")
    def viewer(self, info: Info) -> Viewer:
        v = info.context.viewer
        return Viewer(access=v.access, person_id=v.person_id)

    @strawberry.field
    def framework(self, info: Info) -> Framework:
        fw = info.context.proj.org.framework
        return Framework(id=strawberry.ID(fw.id), name=fw.name, version=fw.version, validity_days=fw.validity_days,
                         scale=[ScaleLevel(level=s.level, name=s.name, description=s.description) for s in fw.scale])

    @strawberry.field
    def job_families(self, info: Info) -> list[JobFamily]:
        return [JobFamily(id=strawberry.ID(f.id), name=f.name)
                for f in sorted(info.context.proj.org.families.values(), key=lambda f: f.name)]

    @strawberry.field
    def tracks(self, info: Info) -> list[Track]:
        return [Track(id=strawberry.ID(t.id), name=t.name) for t in info.context.proj.org.tracks.values()]

    @strawberry.field
    def levels(self, info: Info) -> list[Level]:
        return [Level(id=strawberry.ID(lv.id), rank=lv.rank, name=lv.name)
                for lv in sorted(info.context.proj.org.levels.values(), key=lambda lv: (lv.rank, lv.id))]

    @strawberry.field(description="Roles ordered by level then id; filter by family. With a search text: the "
                                  "roles whose title, id or description has its words, best match first.")
    def roles(self, info: Info, first: int = 20, after: str | None = None, family: strawberry.ID | None = None,
              search: str | None = None) -> Connection[Role]:
        proj = info.context.proj
        if family is not None and family not in proj.org.families:
            raise NotFound("job family", family)
        items = _found(proj, "roles", search, [r for r in sorted(proj.org.roles.values(), key=role_order(proj))
                                               if family is None or r.family_id == family])
        return paginate(items, first, after, info, Role.of)

    @strawberry.field
    def role(self, info: Info, id: strawberry.ID) -> Role:
        return role_of(info.context.proj, id)

    @strawberry.field(description="Competencies ordered by name (with a search text: best match first, by words); "
                                  "filter by category, a search text and ids "
                                  "(unknown ids are left out).")
    def competencies(self, info: Info, first: int = 20, after: str | None = None, category: Category | None = None,
                     search: str | None = None, ids: list[strawberry.ID] | None = None) -> Connection[Competency]:
        org = info.context.proj.org
        comps = org.competencies.values() if ids is None else [org.competencies[i] for i in dict.fromkeys(ids)
                                                                if i in org.competencies]
        items = _found(info.context.proj, "competencies", search,
                       [c for c in sorted(comps, key=lambda c: (c.name, c.id))
                        if category is None or c.category == category])
        return paginate(items, first, after, info, Competency.of)

    @strawberry.field
    def competency(self, info: Info, id: strawberry.ID) -> Competency:
        return competency_of(info.context.proj, id)

    @strawberry.field(permission_classes=[SignedIn], description="People ordered by name (with a search text: best "
                      "match first, by words).")
    def people(self, info: Info, first: int = 20, after: str | None = None,
               search: str | None = None) -> Connection[Person]:
        ctx = info.context
        people = ctx.proj.org.people.values()
        items = _found(ctx.proj, "people", search, [p for p in sorted(people, key=lambda p: (p.name, p.id))
                                                   if sees_person(ctx.viewer, ctx.proj, p.id)])
        return paginate(items, first, after, info, Person.of)

    @strawberry.field(permission_classes=[CanReadPerson])
    def person(self, info: Info, id: strawberry.ID) -> Person:
        return person_of(info.context.proj, id)

    @strawberry.field(description="Learning resources ordered by title; filter by the competency they develop.")
    def learning_resources(self, info: Info, first: int = 20, after: str | None = None,
                           competency: strawberry.ID | None = None) -> Connection[LearningResource]:
        proj = info.context.proj
        if competency is not None:
            competency_of(proj, competency)
        items = [r for r in sorted(proj.org.resources.values(), key=lambda r: (r.title, r.id))
                 if competency is None or any(d.competency_id == competency for d in r.develops)]
        return paginate(items, first, after, info, LearningResource.of)

    @strawberry.field(permission_classes=[CanReadProfile], description="Roles nearest to a profile by two-sided distance (ties by role id), "
                                  "leaving out the profile's own role.")
    def closest_roles(self, info: Info, from_: From, limit: int = 10, family: strawberry.ID | None = None,
                      direction: MoveDirection = Direction.ANY, max_level_delta: int | None = None) -> list[RoleMatch]:
        ctx = info.context
        if max_level_delta is not None and max_level_delta < 0:
            raise BadInput(f"maxLevelDelta must not be negative, not {max_level_delta}.")
        spec = from_.spec()
        matches = ctx.engine.closest_roles(spec, ctx.limit(limit), family, direction, max_level_delta)
        if spec.proficiencies is not None and not any(spec.proficiencies.values()):
            ctx.warnings.append("The profile has no proficiency above 0: every role that requires something is "
                                "equally far (distance 1), so the order is by role id.")
        return [RoleMatch.of(ctx.proj, m) for m in matches]

    @strawberry.field(permission_classes=[CanReadProfile], description="One-level gains ranked by what they unlock, each with its reason.")
    def learn_next(self, info: Info, from_: From, target: strawberry.ID | None = None, limit: int = 5) -> list[SkillStep]:
        ctx = info.context
        return [SkillStep.of(ctx.proj, s) for s in ctx.engine.learn_next(from_.spec(), target, ctx.limit(limit))]

    @strawberry.field(permission_classes=[CanReadProfile], description="The gap from a profile to a role, competency by competency.")
    def gap(self, info: Info, from_: From, to: strawberry.ID) -> GapReport:
        return GapReport.of(info.context.proj, info.context.engine.gap(from_.spec(), to))

    @strawberry.field(permission_classes=[CanReadProfile], description="Up to k sequences of moves with the smallest total gap; "
                                  "an empty list when the target cannot be reached.")
    def career_path(self, info: Info, from_: From, to: strawberry.ID, k: int = 1, max_steps: int | None = None,
                    max_step_gap: float | None = None) -> list[CareerPath]:
        ctx = info.context
        found = ctx.engine.career_paths(from_.spec(), to, ctx.limit(k, "k"), max_steps, max_step_gap)
        if not found:
            ctx.warnings.append(no_path_reason(to, ctx.engine.thresholds.infer_moves_gap, max_steps, max_step_gap))
        return [CareerPath.of(ctx.proj, p) for p in found]

    @strawberry.field(permission_classes=[CanReadOrganisation], description="Who could step into a role, bucketed by readiness; optionally only "
                                  "people under a manager.")
    def successors(self, info: Info, role: strawberry.ID, limit: int = 10,
                   manager: strawberry.ID | None = None, as_of: str | None = None) -> SuccessionReport:
        ctx = info.context
        return SuccessionReport.of(ctx.proj, ctx.engine.successors(role, ctx.limit(limit), manager,
                                                                   parse_date("asOf", as_of)))

    @strawberry.field(permission_classes=[CanReadProfile], description="The fewest learning hours that close every deficit, lower levels first.")
    def development_plan(self, info: Info, from_: From, to: strawberry.ID) -> DevelopmentPlan:
        return DevelopmentPlan.of(info.context.proj, info.context.engine.development_plan(from_.spec(), to))

    @strawberry.field(permission_classes=[CanReadOrganisation], description="Deficits of a manager's reports against their own roles (depth 1: direct "
                                  "reports; none: everyone below), with the team's top gaps.")
    def team_heatmap(self, info: Info, manager: strawberry.ID, depth: int | None = None,
                     as_of: str | None = None) -> Heatmap:
        return Heatmap.of(info.context.proj, info.context.engine.team_heatmap(manager, depth,
                                                                              parse_date("asOf", as_of)))

    @strawberry.field(permission_classes=[CanReadPersonId], description="A person's level per competency and "
                      "readiness for a target (default: their saved plan's target, else their role) on each day "
                      "they were assessed, and today.")
    def person_trend(self, info: Info, person_id: strawberry.ID, target: strawberry.ID | None = None) -> PersonTrend:
        ctx = info.context
        return PersonTrend.of(ctx.proj, ctx.engine.person_trend(str(person_id), target))

    @strawberry.field(permission_classes=[CanReadOrganisation], description="A team's deficits against each "
                      "person's own role at the end of every month or quarter from `from` to `to` (today's team).")
    def team_trend(self, info: Info, manager: strawberry.ID, from_: Annotated[str, strawberry.argument(name="from")],
                   to: str, every: Period = Period.QUARTER, depth: int | None = None, top: int = 3) -> TeamTrend:
        ctx = info.context
        start, end = parse_date("from", from_), parse_date("to", to)
        assert start is not None and end is not None
        return TeamTrend.of(ctx.proj, ctx.engine.team_trend(manager, start, end, every, depth, ctx.limit(top, "top")))

    @strawberry.field(permission_classes=[CanReadProfile], description="Which roles' readiness or verdict change "
                      "if the profile reached these levels (never lowered), biggest gain first.")
    def what_if(self, info: Info, from_: From, raise_: Annotated[list[ProficiencyInput], strawberry.argument(name="raise")],
                limit: int = 20) -> list[ReadinessChange]:
        ctx = info.context
        raised: dict[str, int] = {}
        for p in raise_:
            if str(p.competency_id) in raised:
                raise BadInput(f"Competency '{p.competency_id}' appears twice in raise.")
            raised[str(p.competency_id)] = p.level
        return [ReadinessChange.of(ctx.proj, c) for c in ctx.engine.what_if(from_.spec(), raised, ctx.limit(limit))]

    @strawberry.field(permission_classes=[CanReadOrganisation], description="Every role's cover (holders and "
                      "READY_NOW / READY_SOON successors, within a manager's organisation or everyone), weakest first.")
    def bench_strength(self, info: Info, manager: strawberry.ID | None = None, threshold: int = 2) -> list[RoleBench]:
        ctx = info.context
        return [RoleBench.of(ctx.proj, b) for b in ctx.engine.bench_strength(manager, threshold)]

    @strawberry.field(permission_classes=[CanReadOrganisation], description="The roles whose cover drops below "
                      "the threshold if this person leaves.")
    def if_leaves(self, info: Info, person_id: strawberry.ID, manager: strawberry.ID | None = None,
                  threshold: int = 2) -> list[RoleBench]:
        ctx = info.context
        if manager is not None:
            check_person(ctx.viewer, ctx.proj, str(person_id))
        return [RoleBench.of(ctx.proj, b) for b in ctx.engine.if_leaves(str(person_id), manager, threshold)]

    @strawberry.field(permission_classes=[HROnly], description="What makes the framework weak: missing "
                                                               "indicators, roles nobody can reach, ...")
    def framework_issues(self, info: Info) -> list[FrameworkIssue]:
        from graph.checks import framework_issues

        return [FrameworkIssue(severity=i.severity.value, code=i.code, message=i.message, subjects=list(i.subjects))
                for i in framework_issues(info.context.proj.org)]

    @strawberry.field(permission_classes=[HROnly], description="Who changed what and when, newest first; "
                                                               "subject filters by prefix (e.g. 'Role:').")
    def audit_trail(self, info: Info, first: int = 20, after: str | None = None,
                    subject: str | None = None) -> Connection[AuditEntry]:
        n = info.context.limit(first, "first")
        start = offset_of(after)
        total, rows = info.context.engine.store.audit_trail(subject, n, start)
        return page([AuditEntry.of(e) for e in rows], start, total)

    @strawberry.field(permission_classes=[CanReadOrganisation], description="A role's stored talent pool (the "
                      "people nominated for it, within a manager's organisation or everyone), most ready first.")
    def talent_pool(self, info: Info, role: strawberry.ID, manager: strawberry.ID | None = None) -> list[PoolMember]:
        ctx = info.context
        return [PoolMember.of(ctx.proj, m) for m in ctx.engine.talent_pool(str(role), manager)]

    @strawberry.field(permission_classes=[HROnly], description="The people behind a skillsInventory count: those "
                      "at a level, or (below: true) those short of what their own role requires.")
    def inventory_people(self, info: Info, competency: strawberry.ID, family: strawberry.ID | None = None,
                         level: int | None = None, below: bool = False, first: int = 20,
                         after: str | None = None) -> Connection[Person]:
        from graph.inventory import people_behind

        proj = info.context.proj
        ids = people_behind(proj, str(competency), family, level, below)
        return paginate([proj.org.people[p] for p in ids], first, after, info, Person.of)

    @strawberry.field(permission_classes=[HROnly], description="Per competency: people at each level against the roles requiring it.")
    def skills_inventory(self, info: Info, family: strawberry.ID | None = None) -> list[CompetencyCoverage]:
        ctx = info.context
        return [CompetencyCoverage.of(ctx.proj, c) for c in ctx.engine.skills_inventory(family)]


def no_path_reason(target: str, infer_gap: float | None, max_steps: int | None, max_step_gap: float | None) -> str:
    """Why ``careerPath`` is empty, in words: which moves it may take.

    >>> no_path_reason("chef", 25.0, None, 40.0)
    "No career path reaches 'chef': steps follow the curated moves and inferred moves (at most one level up, role-to-role gap under 25; TRELLIS_INFER_MOVES_GAP), each step's gap at most 40 (maxStepGap). gap(to: ...) still gives the direct gap."
    """
    moves = (f"the curated moves and inferred moves (at most one level up, role-to-role gap under {infer_gap:g}; "
             "TRELLIS_INFER_MOVES_GAP)" if infer_gap is not None else
             "the curated moves only (TRELLIS_INFER_MOVES_GAP also allows inferred ones)")
    caps = "".join([f", each step's gap at most {max_step_gap:g} (maxStepGap)" if max_step_gap is not None else "",
                    f", at most {max_steps} steps (maxSteps)" if max_steps is not None else ""])
    return f"No career path reaches '{target}': steps follow {moves}{caps}. gap(to: ...) still gives the direct gap."


def build_schema(introspection: bool = True) -> strawberry.Schema:
    """The schema; with ``introspection=False`` (production, ``TRELLIS_INTROSPECTION=0``) introspection queries are
    refused and errors suggest no field names ("Did you mean ...?" would describe the schema all the same)."""
    from .mutations import Mutation

    # One rule class for every request (validation caches key on it); it measures depth and aliases with
    # each fragment measured once, in place of Strawberry's QueryDepthLimiter and MaxAliasesLimiter, which
    # spread a fragment anew at every use (5^12 spreads for a 0.7 KB query).
    shape = shape_rule(MAX_FIELDS, MAX_DEPTH, MAX_ALIASES, MAX_DIRECTIVES_PER_NODE, MAX_DIRECTIVES)
    rules = (shape,) if introspection else (shape, NoSchemaIntrospectionCustomRule)
    return TrellisSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True, disable_field_suggestions=not introspection),
        rules=rules, max_tokens=MAX_TOKENS, max_nodes=MAX_NODES,
    )


schema = build_schema()
closed_schema = build_schema(introspection=False)


def write_sdl(path: Path = SDL_PATH) -> None:
    """Write the schema's SDL; ``make sdl`` runs it and the result is checked in."""
    path.write_text(schema.as_str() + "\n", encoding="utf-8")
