"""Edits: every change HR and managers make, as pure functions from one organisation
to the next. Each checks its input and raises ``BadInput`` / ``NotFound`` /
``Conflict`` with a message that names the field; nothing is half-applied because
nothing is mutated — the store commits the new snapshot in one transaction.

>>> from graph.seeds import sample_organisation
>>> org = sample_organisation()
>>> e = create_family(org, "legal", "Legal")
>>> e.org.families["legal"].name, e.subject, e.before
('Legal', 'JobFamily:legal', None)
>>> delete_competency(org, "sql-analytics")
Traceback (most recent call last):
...
graph.errors.Conflict: Competency 'sql-analytics' is used by ...
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import rules
from .chunks import spliced
from .errors import BadInput, Conflict, NotFound
from .model import (
    Assessment, Category, Competency, Development, Evidence, Indicator, Interest, JobFamily, LearningResource, Level,
    Move, MoveKind, Nomination, Organisation, Person, Requirement, ResourceKind, Role, SavedPlan, SavedPlanItem,
    ScaleLevel, Source, Track,
)

__all__ = [
    "Edit", "update_framework", "create_competency", "update_competency", "delete_competency", "set_indicators",
    "create_family", "update_family", "delete_family", "create_track", "update_track", "delete_track",
    "create_level", "update_level", "delete_level", "create_role", "update_role", "delete_role",
    "set_requirement", "remove_requirement", "add_move", "remove_move", "create_person", "update_person",
    "delete_person", "create_resource", "update_resource", "delete_resource", "record_assessment", "add_evidence",
    "record_assessments", "save_plan", "complete_plan_item", "clear_plan", "COURSE_COMPLETION",
    "nominate", "withdraw_nomination", "set_interest",
]


@dataclass(frozen=True)
class Edit:
    """The organisation after an edit, and what changed (for the audit trail)."""

    org: Organisation
    action: str
    subject: str
    before: Any
    after: Any
    base: Organisation | None = dataclasses.field(default=None, repr=False, compare=False)
    """The organisation the edit was made on (stores diff against it)."""


def _plain(value: Any) -> Any:
    """A JSON-able view of a domain value (for before/after in the audit trail)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):
        return value.value
    return value


def _edit(org: Organisation, action: str, kind: str, id: str, before: Any, after: Any, **changes: Any) -> Edit:
    return Edit(dataclasses.replace(org, **changes), action, f"{kind}:{id}", _plain(before), _plain(after), org)


def _rule(field: str, check: Callable[..., Any], value: Any, *args: Any) -> Any:
    """A field rule (:mod:`graph.rules`) on one input; a breach is BAD_INPUT naming the field."""
    try:
        return check(value, *args)
    except rules.FieldError as exc:
        raise BadInput(f"{field}: {exc.message}.") from None


def _text(field: str, value: str | None, required: bool = True, limit: int | None = None) -> str:
    """A name (``required``) or optional free text."""
    if required:
        return str(_rule(field, rules.name, value, limit or rules.NAME_MAX))
    return str(_rule(field, rules.text, value, limit or rules.TEXT_MAX))


def _id(field: str, value: str) -> str:
    return str(_rule(field, rules.identifier, value))


def _level(org: Organisation, field: str, value: int, low: int = 1) -> int:
    return int(_rule(field, rules.level, value, org.framework.max_level, low))


def _must(mapping: Mapping[str, Any], kind: str, id: str) -> Any:
    if id not in mapping:
        raise NotFound(kind, id)
    return mapping[id]


def _new(mapping: Mapping[str, Any], kind: str, id: str) -> None:
    if id in mapping:
        raise Conflict(f"id: a {kind} with id '{id}' already exists.")


def _refuse(kind: str, id: str, dependants: list[str]) -> None:
    if dependants:
        shown = ", ".join(dependants[:20]) + (f" and {len(dependants) - 20} more" if len(dependants) > 20 else "")
        raise Conflict(f"{kind} '{id}' is used by {shown}; remove those first or ask to cascade.", dependants)


def _put(mapping: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    out = dict(mapping)
    out[key] = value
    return out


def _drop(mapping: Mapping[str, Any], key: str) -> dict[str, Any]:
    out = dict(mapping)
    del out[key]
    return out


# --- framework and competencies ------------------------------------------------------


def update_framework(org: Organisation, name: str | None = None, version: str | None = None,
                     validity_days: int | None = None, scale: list[tuple[str, str]] | None = None) -> Edit:
    """Rename, re-version, change the validity period or the scale's level names (not their number
    once anything uses a level above the new top)."""
    fw = org.framework
    new_scale = fw.scale
    if scale is not None:
        if not scale:
            raise BadInput("scale: must have at least one level.")
        new_scale = tuple(ScaleLevel(i + 1, _text(f"scale[{i}].name", n), _text(f"scale[{i}].description", d, False))
                          for i, (n, d) in enumerate(scale))
        used = max([q.level for r in org.roles.values() for q in r.requirements]
                   + [a.level for a in org.assessments] + [i.level for i in org.indicators]
                   + [d.to_level for r in org.resources.values() for d in r.develops] + [0])
        if used > len(new_scale):
            raise Conflict(f"scale: level {used} is in use; the scale cannot shrink to {len(new_scale)} levels.")
    days = fw.validity_days if validity_days is None else _rule("validityDays", rules.validity_days, validity_days)
    new = dataclasses.replace(fw, name=_text("name", name) if name is not None else fw.name,
                              version=_text("version", version) if version is not None else fw.version,
                              validity_days=days, scale=new_scale)
    return _edit(org, "updateFramework", "Framework", fw.id, fw, new, framework=new)


def _competency(org: Organisation, id: str, name: str, category: Category, description: str) -> Competency:
    return Competency(_id("id", id), _text("name", name), Category(category),
                      _text("description", description, required=False))


def create_competency(org: Organisation, id: str, name: str, category: Category, description: str = "") -> Edit:
    _new(org.competencies, "competency", id)
    c = _competency(org, id, name, category, description)
    return _edit(org, "createCompetency", "Competency", c.id, None, c, competencies=_put(org.competencies, c.id, c))


def update_competency(org: Organisation, id: str, name: str, category: Category, description: str = "") -> Edit:
    old = _must(org.competencies, "competency", id)
    c = _competency(org, id, name, category, description)
    return _edit(org, "updateCompetency", "Competency", id, old, c, competencies=_put(org.competencies, id, c))


def delete_competency(org: Organisation, id: str, cascade: bool = False) -> Edit:
    old = _must(org.competencies, "competency", id)
    roles = [f"role {r.id}" for r in org.roles.values() if any(q.competency_id == id for q in r.requirements)]
    res = [f"resource {r.id}" for r in org.resources.values() if any(d.competency_id == id for d in r.develops)]
    assessed = sorted({a.person_id for a in org.assessments if a.competency_id == id})
    if not cascade:
        _refuse("Competency", id, roles + res + [f"assessments of {p}" for p in assessed])
    return _edit(
        org, "deleteCompetency", "Competency", id, old, None,
        competencies=_drop(org.competencies, id),
        indicators=tuple(i for i in org.indicators if i.competency_id != id),
        roles={k: dataclasses.replace(r, requirements=tuple(q for q in r.requirements if q.competency_id != id))
               for k, r in org.roles.items()},
        resources={k: dataclasses.replace(r, develops=tuple(d for d in r.develops if d.competency_id != id))
                   for k, r in org.resources.items()},
        assessments=tuple(a for a in org.assessments if a.competency_id != id),
        plans=_plans_without(org, lambda i: i.competency_id == id))


def set_indicators(org: Organisation, competency_id: str, level: int, texts: list[str]) -> Edit:
    """Replace the indicators of one competency at one level (in order)."""
    _must(org.competencies, "competency", competency_id)
    _level(org, "level", level)
    clean = [str(_rule(f"texts[{i}]", rules.behaviour, t)) for i, t in enumerate(texts)]
    old = [i for i in org.indicators if i.competency_id == competency_id and i.level == level]
    new = [Indicator(f"{competency_id}-{level}-{n + 1}", competency_id, level, t) for n, t in enumerate(clean)]
    rest = [i for i in org.indicators if not (i.competency_id == competency_id and i.level == level)]
    from .document import indicator_order

    return _edit(org, "setIndicators", "Competency", f"{competency_id}@{level}", [i.text for i in old], clean,
                 indicators=tuple(sorted(rest + new, key=indicator_order)))


# --- families, tracks, levels --------------------------------------------------------


def create_family(org: Organisation, id: str, name: str) -> Edit:
    _new(org.families, "job family", id)
    f = JobFamily(_id("id", id), _text("name", name))
    return _edit(org, "createJobFamily", "JobFamily", f.id, None, f, families=_put(org.families, f.id, f))


def update_family(org: Organisation, id: str, name: str) -> Edit:
    old = _must(org.families, "job family", id)
    f = JobFamily(id, _text("name", name))
    return _edit(org, "updateJobFamily", "JobFamily", id, old, f, families=_put(org.families, id, f))


def _unlink_roles(org: Organisation, field: str, id: str, kind: str, cascade: bool) -> dict[str, Role]:
    users = [r.id for r in org.roles.values() if getattr(r, field) == id]
    if not cascade:
        _refuse(kind, id, [f"role {r}" for r in users])
    unset: dict[str, Any] = {field: None}
    return {k: (dataclasses.replace(r, **unset) if getattr(r, field) == id else r) for k, r in org.roles.items()}


def delete_family(org: Organisation, id: str, cascade: bool = False) -> Edit:
    old = _must(org.families, "job family", id)
    roles = _unlink_roles(org, "family_id", id, "Job family", cascade)
    return _edit(org, "deleteJobFamily", "JobFamily", id, old, None, families=_drop(org.families, id), roles=roles)


def create_track(org: Organisation, id: str, name: str) -> Edit:
    _new(org.tracks, "track", id)
    t = Track(_id("id", id), _text("name", name))
    return _edit(org, "createTrack", "Track", t.id, None, t, tracks=_put(org.tracks, t.id, t))


def update_track(org: Organisation, id: str, name: str) -> Edit:
    old = _must(org.tracks, "track", id)
    t = Track(id, _text("name", name))
    return _edit(org, "updateTrack", "Track", id, old, t, tracks=_put(org.tracks, id, t))


def delete_track(org: Organisation, id: str, cascade: bool = False) -> Edit:
    old = _must(org.tracks, "track", id)
    roles = _unlink_roles(org, "track_id", id, "Track", cascade)
    return _edit(org, "deleteTrack", "Track", id, old, None, tracks=_drop(org.tracks, id), roles=roles)


def create_level(org: Organisation, id: str, rank: int, name: str) -> Edit:
    _new(org.levels, "level", id)
    lv = Level(_id("id", id), _rule("rank", rules.rank, rank), _text("name", name))
    return _edit(org, "createLevel", "Level", lv.id, None, lv, levels=_put(org.levels, lv.id, lv))


def update_level(org: Organisation, id: str, rank: int, name: str) -> Edit:
    old = _must(org.levels, "level", id)
    lv = Level(id, _rule("rank", rules.rank, rank), _text("name", name))
    return _edit(org, "updateLevel", "Level", id, old, lv, levels=_put(org.levels, id, lv))


def delete_level(org: Organisation, id: str, cascade: bool = False) -> Edit:
    old = _must(org.levels, "level", id)
    roles = _unlink_roles(org, "level_id", id, "Level", cascade)
    return _edit(org, "deleteLevel", "Level", id, old, None, levels=_drop(org.levels, id), roles=roles)


# --- roles, requirements, moves --------------------------------------------------------


def _requirements(org: Organisation, items: Iterable[tuple[str, int, float, bool]]) -> tuple[Requirement, ...]:
    out, seen = [], set()
    for n, (cid, level, weight, essential) in enumerate(items):
        _must(org.competencies, "competency", cid)
        if cid in seen:
            raise BadInput(f"requirements[{n}].competencyId: '{cid}' is required twice.")
        seen.add(cid)
        out.append(Requirement(cid, _level(org, f"requirements[{n}].level", level),
                               _rule(f"requirements[{n}].weight", rules.weight, weight), bool(essential)))
    return tuple(sorted(out, key=lambda q: q.competency_id))


def _role(org: Organisation, id: str, title: str, description: str, family: str | None, track: str | None,
          level: str | None, requirements: tuple[Requirement, ...]) -> Role:
    for field, value, mapping, kind in (("familyId", family, org.families, "job family"),
                                        ("trackId", track, org.tracks, "track"), ("levelId", level, org.levels, "level")):
        if value is not None:
            _must(mapping, kind, value)
    return Role(_id("id", id), _text("title", title), family, track, level,
                _text("description", description, required=False), requirements)


def create_role(org: Organisation, id: str, title: str, description: str = "", family: str | None = None,
                track: str | None = None, level: str | None = None,
                requirements: Iterable[tuple[str, int, float, bool]] = ()) -> Edit:
    _new(org.roles, "role", id)
    r = _role(org, id, title, description, family, track, level, _requirements(org, requirements))
    return _edit(org, "createRole", "Role", r.id, None, r, roles=_put(org.roles, r.id, r))


def update_role(org: Organisation, id: str, title: str, description: str = "", family: str | None = None,
                track: str | None = None, level: str | None = None,
                requirements: Iterable[tuple[str, int, float, bool]] | None = None) -> Edit:
    """Update a role's fields; its requirements too when given (else they are kept)."""
    old: Role = _must(org.roles, "role", id)
    reqs = old.requirements if requirements is None else _requirements(org, requirements)
    r = _role(org, id, title, description, family, track, level, reqs)
    return _edit(org, "updateRole", "Role", id, old, r, roles=_put(org.roles, id, r))


def delete_role(org: Organisation, id: str, cascade: bool = False) -> Edit:
    old = _must(org.roles, "role", id)
    holders = [p.id for p in org.people.values() if p.role_id == id]
    moves = [m for m in org.moves if id in (m.source, m.target)]
    aiming = [p for p, sp in org.plans.items() if sp.role_id == id]
    pool = [n.person_id for n in org.nominations if n.role_id == id]
    if not cascade:
        _refuse("Role", id, [f"person {p}" for p in holders] +
                [f"move {m.source} -> {m.target}" for m in moves] + [f"plan of {p}" for p in aiming] +
                [f"nomination of {p}" for p in pool])
    people = {k: (dataclasses.replace(p, role_id=None) if p.role_id == id else p) for k, p in org.people.items()}
    return _edit(org, "deleteRole", "Role", id, old, None, roles=_drop(org.roles, id), people=people,
                 moves=tuple(m for m in org.moves if id not in (m.source, m.target)),
                 plans={k: sp for k, sp in org.plans.items() if sp.role_id != id},
                 nominations=tuple(n for n in org.nominations if n.role_id != id),
                 interests=tuple(i for i in org.interests if i.role_id != id))


def set_requirement(org: Organisation, role_id: str, competency_id: str, level: int, weight: float = 1.0,
                    essential: bool = False) -> Edit:
    """Add a requirement to a role, or change it when the role already requires the competency."""
    role: Role = _must(org.roles, "role", role_id)
    _must(org.competencies, "competency", competency_id)
    q = Requirement(competency_id, _level(org, "level", level), _rule("weight", rules.weight, weight), bool(essential))
    old = next((x for x in role.requirements if x.competency_id == competency_id), None)
    reqs = tuple(q if x.competency_id == competency_id else x for x in role.requirements) if old \
        else tuple(sorted((*role.requirements, q), key=lambda x: x.competency_id))
    new = dataclasses.replace(role, requirements=reqs)
    return _edit(org, "setRequirement", "Role", f"{role_id}/{competency_id}", old, q,
                 roles=_put(org.roles, role_id, new))


def remove_requirement(org: Organisation, role_id: str, competency_id: str) -> Edit:
    role: Role = _must(org.roles, "role", role_id)
    old = next((x for x in role.requirements if x.competency_id == competency_id), None)
    if old is None:
        raise NotFound("requirement", f"{role_id}/{competency_id}")
    new = dataclasses.replace(role, requirements=tuple(x for x in role.requirements if x is not old))
    return _edit(org, "removeRequirement", "Role", f"{role_id}/{competency_id}", old, None,
                 roles=_put(org.roles, role_id, new))


def add_move(org: Organisation, source: str, target: str, kind: MoveKind) -> Edit:
    _must(org.roles, "role", source)
    _must(org.roles, "role", target)
    if source == target:
        raise BadInput(f"to: a move from role '{source}' to itself is not a move.")
    move = Move(source, target, MoveKind(kind))
    if move in org.moves:
        raise Conflict(f"The move {kind.value} {source} -> {target} already exists.")
    from .document import move_order

    return _edit(org, "addMove", "Move", f"{source}->{target}", None, move,
                 moves=tuple(sorted((*org.moves, move), key=move_order)))


def remove_move(org: Organisation, source: str, target: str, kind: MoveKind) -> Edit:
    move = Move(source, target, MoveKind(kind))
    if move not in org.moves:
        raise NotFound("move", f"{kind.value} {source} -> {target}")
    return _edit(org, "removeMove", "Move", f"{source}->{target}", move, None,
                 moves=tuple(m for m in org.moves if m != move))


# --- people and assessments ------------------------------------------------------------


def _person(org: Organisation, id: str, name: str, email: str, role: str | None, since: dt.date | None,
            manager: str | None) -> Person:
    if role is not None:
        _must(org.roles, "role", role)
    if manager is not None:
        _must(org.people, "person", manager)
        seen: set[str] = {id}
        cur: str | None = manager
        while cur is not None:
            if cur in seen:
                raise BadInput(f"managerId: '{manager}' reports (directly or not) to '{id}': that is a reporting cycle.")
            seen.add(cur)
            cur = org.people[cur].manager_id if cur in org.people else None
    if email and "@" not in email:
        raise BadInput(f"email: '{email}' is not an email address.")
    return Person(_id("id", id), _text("name", name), _text("email", email, required=False, limit=rules.NAME_MAX),
                  role, since, manager)


def create_person(org: Organisation, id: str, name: str, email: str = "", role: str | None = None,
                  since: dt.date | None = None, manager: str | None = None) -> Edit:
    _new(org.people, "person", id)
    p = _person(org, id, name, email, role, since, manager)
    return _edit(org, "createPerson", "Person", p.id, None, p, people=_put(org.people, p.id, p))


def update_person(org: Organisation, id: str, name: str, email: str = "", role: str | None = None,
                  since: dt.date | None = None, manager: str | None = None) -> Edit:
    """Rename, reassign a role or change the reporting line (no cycles)."""
    old = _must(org.people, "person", id)
    p = _person(org, id, name, email, role, since, manager)
    return _edit(org, "updatePerson", "Person", id, old, p, people=_put(org.people, id, p))


def delete_person(org: Organisation, id: str, cascade: bool = False) -> Edit:
    """Refused while people report to them or they have assessments, unless ``cascade``: then their
    reports move up to their manager and their assessments go with them."""
    old: Person = _must(org.people, "person", id)
    reports = [p.id for p in org.people.values() if p.manager_id == id]
    assessed = [a.id for a in org.assessments if a.person_id == id]
    if not cascade:
        _refuse("Person", id, [f"person {p} (reports to them)" for p in reports] +
                ([f"{len(assessed)} assessments"] if assessed else []))
    people = {k: (dataclasses.replace(p, manager_id=old.manager_id) if p.manager_id == id else p)
              for k, p in org.people.items() if k != id}
    return _edit(org, "deletePerson", "Person", id, old, None, people=people,
                 assessments=tuple(a for a in org.assessments if a.person_id != id), plans={k: sp for k, sp in org.plans.items() if k != id},
                 nominations=tuple(dataclasses.replace(n, by=None) if n.by == id else n
                                   for n in org.nominations if n.person_id != id),
                 interests=tuple(i for i in org.interests if i.person_id != id))


def record_assessment(org: Organisation, person_id: str, competency_id: str, level: int, source: Source,
                      at: dt.date, note: str = "", evidence: Iterable[tuple[str, str, dt.date | None]] = (),
                      id: str | None = None) -> Edit:
    """Append an assessment (history is never overwritten); ``id`` defaults to the next free one."""
    _must(org.people, "person", person_id)
    _must(org.competencies, "competency", competency_id)
    _level(org, "level", level, low=0)
    at = _rule("at", rules.date, at)
    if at > dt.date.today() + dt.timedelta(days=1):
        raise BadInput(f"at: {at.isoformat()} is in the future.")
    if id is None:
        n = len(org.assessments) + 1
        while assessment_at(org.assessments, f"a-{n:06d}")[1] is not None:
            n += 1
        id = f"a-{n:06d}"
    at_index, found = assessment_at(org.assessments, id)
    if found is not None:
        raise Conflict(f"id: an assessment with id '{id}' already exists (assessments are never overwritten).")
    ev = tuple(Evidence(_text(f"evidence[{i}].kind", k), _text(f"evidence[{i}].note", n, required=False), d)
               for i, (k, n, d) in enumerate(evidence))
    a = Assessment(id, person_id, competency_id, level, Source(source), at, _text("note", note, required=False), ev)
    return _edit(org, "recordAssessment", "Assessment", id, None, a,
                 assessments=spliced(org.assessments, at_index, at_index, (a,)))


def assessment_at(assessments: Sequence[Assessment], id: str) -> tuple[int, Assessment | None]:
    """Where assessment ``id`` is (or would go) in the id-sorted assessments, and the one there: a bisection, so
    a write at a million people costs microseconds, not a scan of every id.

    >>> a = tuple(Assessment(i, "p", "sql", 1, Source.SELF, dt.date(2026, 1, 1)) for i in ("a-1", "a-3"))
    >>> assessment_at(a, "a-2"), assessment_at(a, "a-3")[1] is a[1]
    ((1, None), True)
    """
    i = bisect.bisect_left(assessments, id, key=lambda x: x.id)
    return i, assessments[i] if i < len(assessments) and assessments[i].id == id else None


def add_evidence(org: Organisation, assessment_id: str, kind: str, note: str = "", at: dt.date | None = None) -> Edit:
    """Attach evidence to an assessment (its level and source stay as recorded)."""
    i, old = assessment_at(org.assessments, assessment_id)
    if old is None:
        raise NotFound("assessment", assessment_id)
    e = Evidence(_text("kind", kind), _text("note", note, required=False), at)
    new = dataclasses.replace(old, evidence=(*old.evidence, e))
    return _edit(org, "addEvidence", "Assessment", assessment_id, old, new,
                 assessments=spliced(org.assessments, i, i + 1, (new,)))


# --- learning resources ------------------------------------------------------------------


def _resource(org: Organisation, id: str, title: str, kind: ResourceKind, hours: float, url: str,
              develops: Iterable[tuple[str, int, int]]) -> LearningResource:
    devs = []
    for n, (cid, lo, hi) in enumerate(develops):
        _must(org.competencies, "competency", cid)
        _level(org, f"develops[{n}].fromLevel", lo, low=0)
        _level(org, f"develops[{n}].toLevel", hi)
        if hi <= lo:
            raise BadInput(f"develops[{n}].toLevel: must be above fromLevel ({lo}), not {hi}.")
        devs.append(Development(cid, lo, hi))
    return LearningResource(_id("id", id), _text("title", title), ResourceKind(kind), _rule("hours", rules.hours, hours),
                            _text("url", url, required=False, limit=rules.URL_MAX), tuple(devs))


def create_resource(org: Organisation, id: str, title: str, kind: ResourceKind, hours: float, url: str = "",
                    develops: Iterable[tuple[str, int, int]] = ()) -> Edit:
    _new(org.resources, "learning resource", id)
    r = _resource(org, id, title, kind, hours, url, develops)
    return _edit(org, "createLearningResource", "LearningResource", r.id, None, r,
                 resources=_put(org.resources, r.id, r))


def update_resource(org: Organisation, id: str, title: str, kind: ResourceKind, hours: float, url: str = "",
                    develops: Iterable[tuple[str, int, int]] = ()) -> Edit:
    old = _must(org.resources, "learning resource", id)
    r = _resource(org, id, title, kind, hours, url, develops)
    return _edit(org, "updateLearningResource", "LearningResource", id, old, r, resources=_put(org.resources, id, r))


def delete_resource(org: Organisation, id: str) -> Edit:
    """Saved plans lose the resource's items (what was done stays recorded as assessments)."""
    old = _must(org.resources, "learning resource", id)
    return _edit(org, "deleteLearningResource", "LearningResource", id, old, None,
                 resources=_drop(org.resources, id), plans=_plans_without(org, lambda i: i.resource_id == id))


def _plans_without(org: Organisation, gone: Any) -> Mapping[str, SavedPlan]:
    """``org.plans`` with the items for which ``gone(item)`` holds left out (untouched plans stay the same objects)."""
    out: dict[str, SavedPlan] = {}
    for k, sp in org.plans.items():
        kept = tuple(i for i in sp.items if not gone(i))
        out[k] = sp if len(kept) == len(sp.items) else dataclasses.replace(sp, items=kept)
    return out


# --- several assessments at once; saved plans ----------------------------------------------


def record_assessments(org: Organisation, items: Iterable[Mapping[str, Any]]) -> Edit:
    """Append several assessments in one edit (a check-in, a self-assessment): all of them or none.

    Each item has the keywords of :func:`record_assessment`; a refusal names the item (``input[2].level``).
    """
    current, recorded = org, []
    for n, item in enumerate(items):
        try:
            done = record_assessment(current, **item)
        except BadInput as exc:
            raise BadInput(f"input[{n}].{exc.message}", exc.problems) from None
        current = done.org
        recorded.append(done.after)
    if not recorded:
        raise BadInput("input: give at least one assessment.")
    ids = ",".join(a["id"] for a in recorded)
    return Edit(current, "recordAssessments", f"Assessment:{ids}", None, recorded, org)


COURSE_COMPLETION = "course completion"
"""The evidence kind recorded when a plan item is marked done."""


def save_plan(org: Organisation, person_id: str, role_id: str, items: Iterable[tuple[str, str, int, int]],
              saved: dt.date) -> Edit:
    """Save (or replace) a person's target role and plan: ``items`` are (resource, competency, from, to)."""
    _must(org.people, "person", person_id)
    _must(org.roles, "role", role_id)
    steps = []
    for n, (res, comp, lo, hi) in enumerate(items):
        _must(org.resources, "learning resource", res)
        _must(org.competencies, "competency", comp)
        _level(org, f"items[{n}].toLevel", hi)
        if not 0 <= lo < hi:
            raise BadInput(f"items[{n}].fromLevel: must be below toLevel ({hi}), not {lo}.")
        steps.append(SavedPlanItem(res, comp, lo, hi))
    old = org.plans.get(person_id)
    sp = SavedPlan(person_id, role_id, saved, tuple(steps))
    return _edit(org, "savePlan", "Plan", person_id, old, sp, plans=_put(org.plans, person_id, sp))


def complete_plan_item(org: Organisation, person_id: str, resource_id: str, competency_id: str, at: dt.date,
                       source: Source, id: str | None = None) -> Edit:
    """Mark a plan item done and record what it shows: an assessment at the item's level, evidenced by the course.

    A course taken is a claim to the level it teaches, not proof of it: marked by the person it is a SELF
    assessment (a proof gap until their manager confirms it); marked by their manager, a MANAGER one.
    """
    sp: SavedPlan | None = org.plans.get(person_id)
    if sp is None:
        raise NotFound("plan of person", person_id)
    hit = next((n for n, i in enumerate(sp.items) if (i.resource_id, i.competency_id) == (resource_id, competency_id)),
               None)
    if hit is None:
        raise NotFound("plan item", f"{resource_id} for {competency_id}")
    item = sp.items[hit]
    if item.done is not None:
        raise Conflict(f"resourceId: '{resource_id}' for '{competency_id}' was marked done on {item.done.isoformat()}.")
    title = org.resources[resource_id].title
    recorded = record_assessment(org, person_id, competency_id, item.to_level, source, at,
                                 f"Completed {title} (plan for {org.roles[sp.role_id].title}).",
                                 [(COURSE_COMPLETION, title, at)], id)
    new = dataclasses.replace(sp, items=tuple(dataclasses.replace(i, done=at) if n == hit else i
                                              for n, i in enumerate(sp.items)))
    return Edit(dataclasses.replace(recorded.org, plans=_put(org.plans, person_id, new)), "completePlanItem",
                f"Plan:{person_id}", _plain(sp), _plain(new), org)


def clear_plan(org: Organisation, person_id: str) -> Edit:
    _must(org.people, "person", person_id)
    old = org.plans.get(person_id)
    if old is None:
        raise NotFound("plan of person", person_id)
    return _edit(org, "clearPlan", "Plan", person_id, old, None, plans=_drop(org.plans, person_id))


# --- talent pools and career interests -----------------------------------------------------------


def nominate(org: Organisation, role_id: str, person_id: str, by: str | None, at: dt.date, note: str = "") -> Edit:
    """Put a person in a role's talent pool (a succession slate)."""
    _must(org.roles, "role", role_id)
    _must(org.people, "person", person_id)
    if org.people[person_id].role_id == role_id:
        raise BadInput(f"personId: '{person_id}' already holds '{role_id}'.")
    if any((n.role_id, n.person_id) == (role_id, person_id) for n in org.nominations):
        raise Conflict(f"personId: '{person_id}' is already in the talent pool of '{role_id}'.")
    n = Nomination(role_id, person_id, by, _rule("at", rules.date, at), _text("note", note, required=False))
    items = tuple(sorted((*org.nominations, n), key=lambda x: (x.role_id, x.person_id)))
    return _edit(org, "nominate", "Nomination", f"{role_id}/{person_id}", None, n, nominations=items)


def withdraw_nomination(org: Organisation, role_id: str, person_id: str) -> Edit:
    old = next((n for n in org.nominations if (n.role_id, n.person_id) == (role_id, person_id)), None)
    if old is None:
        raise NotFound("nomination", f"{person_id} for {role_id}")
    return _edit(org, "withdrawNomination", "Nomination", f"{role_id}/{person_id}", old, None,
                 nominations=tuple(n for n in org.nominations if n is not old))


def set_interest(org: Organisation, person_id: str, role_id: str, interested: bool, at: dt.date) -> Edit:
    """Say (or take back) that a person would like a role; saying it twice changes nothing but the date."""
    _must(org.people, "person", person_id)
    _must(org.roles, "role", role_id)
    old = next((i for i in org.interests if (i.person_id, i.role_id) == (person_id, role_id)), None)
    rest = tuple(i for i in org.interests if i is not old)
    new = Interest(person_id, role_id, _rule("at", rules.date, at)) if interested else None
    items = tuple(sorted((*rest, new), key=lambda x: (x.person_id, x.role_id))) if new else rest
    return _edit(org, "setInterest", "Interest", f"{person_id}/{role_id}", old, new, interests=items)
