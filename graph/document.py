"""The organisation document: one plain dict that seeds, JSON import/export and the
embedded store file all share.

``from_document`` checks the whole document and reports *every* problem with its
path before anything is built, so a bad file imports nothing.

>>> doc = {"framework": {"id": "f", "name": "F"},
...        "competencies": [{"id": "sql", "name": "SQL", "category": "TECHNICAL"}],
...        "roles": [{"id": "analyst", "title": "Analyst",
...                   "requires": [{"competency": "sql", "level": 3}]}]}
>>> org = from_document(doc)
>>> org.roles["analyst"].requirements[0].level
3
>>> to_document(org)["roles"][0]["requires"]
[{'competency': 'sql', 'level': 3, 'weight': 1.0, 'essential': False}]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Container, Mapping
from enum import Enum
from typing import Any

import networkx as nx

from . import rules
from .errors import BadInput
from .model import (
    Assessment, Category, Competency, Development, Evidence, Framework, Indicator,
    Interest, JobFamily, LearningResource, Level, Move, MoveKind, Nomination, Organisation, Person, SavedPlanItem,
    Requirement, ResourceKind, Role, SavedPlan, ScaleLevel, Source, Track, default_scale,
)

__all__ = ["from_document", "to_document", "indicator_order", "move_order"]

_MOVE_KEYS = {"progresses_to": MoveKind.PROGRESSES_TO, "can_move_to": MoveKind.CAN_MOVE_TO}


class _Checker:
    """Collects problems with their paths instead of failing on the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def rule(self, obj: Mapping[str, Any], key: str, path: str, check: Any, default: Any = None) -> Any:
        """``check`` (a :mod:`graph.rules` rule) on ``obj[key]``; a breach is a problem at ``path.key``."""
        value = obj.get(key, default)
        try:
            return check(value)
        except rules.FieldError as exc:
            self.fail(f"{path}.{key}", exc.message)
            return default

    def ident(self, obj: Mapping[str, Any], key: str, path: str) -> str:
        if obj.get(key) in (None, ""):
            self.fail(f"{path}.{key}", "is required")
            return ""
        return str(self.rule(obj, key, path, rules.identifier, str(obj.get(key))))

    def text(self, obj: Mapping[str, Any], key: str, path: str, required: bool = True, limit: int | None = None) -> str:
        """A name (``required``) or optional free text, within the field rules' length limits."""
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{path}.{key}", "is required")
            return ""
        if required:
            return str(self.rule(obj, key, path, lambda v: rules.name(v, limit or rules.NAME_MAX), ""))
        return str(self.rule(obj, key, path, lambda v: rules.text(v, limit or rules.TEXT_MAX), ""))

    def number(self, obj: Mapping[str, Any], key: str, path: str, default: float,
               low: float, high: float | None = None, integer: bool = False) -> float:
        value = obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(f"{path}.{key}", f"must be a number, not {value!r}")
            return default
        if integer and int(value) != value:
            self.fail(f"{path}.{key}", f"must be a whole number, not {value!r}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            self.fail(f"{path}.{key}", f"must be {bounds}, not {value!r}")
        return float(value)

    def enum(self, obj: Mapping[str, Any], key: str, path: str, kind: type[Enum], default: Any = None) -> Any:
        value = obj.get(key, default)
        try:
            return kind(value)
        except ValueError:
            names = ", ".join(str(m.value) for m in kind)
            self.fail(f"{path}.{key}", f"must be one of {names}, not {value!r}")
            return next(iter(kind))

    def date(self, obj: Mapping[str, Any], key: str, path: str, required: bool = True) -> dt.date | None:
        if obj.get(key) is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        out: dt.date | None = self.rule(obj, key, path, rules.date)
        return out

    def keys(self, obj: Mapping[str, Any], path: str, known: str) -> None:
        """A misspelt key would otherwise be dropped without a word (``titel``, ``requirements``)."""
        allowed = known.split()
        for key in obj:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), f"unknown field (expected one of {', '.join(allowed)})")

    def objects(self, value: Any, path: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The objects of a nested list (``requires``, ``develops``, ``evidence``), each with its path."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                out.append((f"{path}[{i}]", item))
            else:
                self.fail(f"{path}[{i}]", "must be an object")
        return out

    def ref(self, value: Any, known: Container[str], kind: str, path: str) -> str | None:
        if value is None:
            return None
        if str(value) not in known:
            self.fail(path, f"unknown {kind} '{value}'")
        return str(value)

    def unique(self, seen: Mapping[str, Any] | set[str], value: str, path: str) -> None:
        if value in seen:
            self.fail(path, f"duplicate id '{value}'")
        if isinstance(seen, set):
            seen.add(value)


def _items(check: _Checker, doc: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
    value = doc.get(key) or []
    if not isinstance(value, list):
        check.fail(key, "must be a list")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            out.append((f"{key}[{i}]", item))
        else:
            check.fail(f"{key}[{i}]", "must be an object")
    return out


class _Either:
    """The ids of a collection: those in the document, or (``outside``) those kept elsewhere."""

    def __init__(self, inside: Container[str], outside: Container[str] | None) -> None:
        self.inside, self.outside = inside, outside

    def __contains__(self, key: object) -> bool:
        return key in self.inside or (self.outside is not None and key in self.outside)


def from_document(doc: Mapping[str, Any], outside: Mapping[str, Container[str]] | None = None) -> Organisation:
    """Build an :class:`Organisation`, or raise :class:`BadInput` listing every problem.

    ``outside`` (``{"roles": ids, "people": ids}``) names roles and people that references may point to
    although the document does not hold them: the embedded store checks its big collections itself and
    hands only the rest (and its journal's rows) to this function.
    """
    check = _Checker()
    outside = outside or {}
    if not isinstance(doc, Mapping):
        raise BadInput("The document must be an object.", ["$: must be an object"])
    check.keys(doc, "", "framework scale competencies families tracks levels roles moves resources people assessments plans nominations interests")
    fw = doc.get("framework") or {}
    if not isinstance(fw, Mapping):
        check.fail("framework", "must be an object")
        fw = {}
    check.keys(fw, "framework", "id name version validity_days")
    scale_items = _items(check, doc, "scale")
    for p, s in scale_items:
        check.keys(s, p, "level name description")
    scale = tuple(
        ScaleLevel(int(check.number(s, "level", p, i + 1, 1, integer=True)), check.text(s, "name", p),
                   check.text(s, "description", p, required=False))
        for i, (p, s) in enumerate(scale_items)
    ) or default_scale()
    if [s.level for s in scale] != list(range(1, len(scale) + 1)):
        check.fail("scale", "levels must be numbered 1, 2, 3, ... in order")
    top = len(scale)
    framework = Framework(
        id=check.ident(fw, "id", "framework"), name=check.text(fw, "name", "framework"),
        version=str(fw.get("version", "1")),
        validity_days=int(check.rule(fw, "validity_days", "framework", rules.validity_days, 365)),
        scale=scale,
    )

    competencies: dict[str, Competency] = {}
    indicators: list[Indicator] = []
    for path, c in _items(check, doc, "competencies"):
        check.keys(c, path, "id name category description indicators")
        cid = check.ident(c, "id", path)
        if cid in competencies:
            check.fail(f"{path}.id", f"duplicate id '{cid}'")
        competencies[cid] = Competency(cid, check.text(c, "name", path),
                                       check.enum(c, "category", path, Category),
                                       check.text(c, "description", path, required=False))
        raw = c.get("indicators") or {}
        if not isinstance(raw, Mapping):
            check.fail(f"{path}.indicators", "must map levels to lists of behaviours")
            continue
        for level, texts in raw.items():
            try:
                lvl = int(level)
            except (TypeError, ValueError):
                lvl = -1
            if not 1 <= lvl <= top:
                check.fail(f"{path}.indicators.{level}", f"level must be between 1 and {top}")
                continue
            for n, text in enumerate([texts] if isinstance(texts, str) else list(texts or [])):
                clean = check.rule({"text": text}, "text", f"{path}.indicators.{level}[{n}]", rules.behaviour, "")
                indicators.append(Indicator(f"{cid}-{lvl}-{n + 1}", cid, lvl, str(clean or text)))

    def simple(key: str, fields: str, build: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path, item in _items(check, doc, key):
            check.keys(item, path, fields)
            obj = build(path, item)
            check.unique(out, obj.id, f"{path}.id")
            out[obj.id] = obj
        return out

    families = simple("families", "id name", lambda p, f: JobFamily(check.ident(f, "id", p), check.text(f, "name", p)))
    tracks = simple("tracks", "id name", lambda p, t: Track(check.ident(t, "id", p), check.text(t, "name", p)))
    levels = simple("levels", "id rank name", lambda p, lv: Level(check.ident(lv, "id", p),
                                                  int(check.rule(lv, "rank", p, rules.rank, 0)),
                                                  check.text(lv, "name", p)))

    roles: dict[str, Role] = {}
    for path, r in _items(check, doc, "roles"):
        check.keys(r, path, "id title description family track level requires")
        rid = check.ident(r, "id", path)
        check.unique(roles, rid, f"{path}.id")
        reqs: list[Requirement] = []
        seen: set[str] = set()
        for qp, q in check.objects(r.get("requires"), f"{path}.requires"):
            check.keys(q, qp, "competency level weight essential")
            comp = check.ref(q.get("competency"), competencies, "competency", f"{qp}.competency") or ""
            if comp in seen:
                check.fail(f"{qp}.competency", f"'{comp}' is required twice")
            seen.add(comp)
            reqs.append(Requirement(
                comp, int(check.number(q, "level", qp, 1, 1, top, integer=True)),
                check.rule(q, "weight", qp, rules.weight, 1.0),
                bool(q.get("essential", False)),
            ))
            if q.get("weight", 1.0) == 0:
                check.fail(f"{qp}.weight", "must be positive")
        roles[rid] = Role(
            id=rid, title=check.text(r, "title", path),
            family_id=check.ref(r.get("family"), families, "job family", f"{path}.family"),
            track_id=check.ref(r.get("track"), tracks, "track", f"{path}.track"),
            level_id=check.ref(r.get("level"), levels, "level", f"{path}.level"),
            description=check.text(r, "description", path, required=False),
            requirements=tuple(sorted(reqs, key=lambda q: q.competency_id)),
        )

    known_roles = _Either(roles, outside.get("roles"))
    moves: list[Move] = []
    raw_moves = doc.get("moves") or {}
    if isinstance(raw_moves, Mapping):
        check.keys(raw_moves, "moves", " ".join(_MOVE_KEYS))
    else:
        check.fail("moves", "must be an object with progresses_to and can_move_to")
    for key, kind in _MOVE_KEYS.items():
        for j, pair in enumerate(raw_moves.get(key) or [] if isinstance(raw_moves, Mapping) else []):
            mp = f"moves.{key}[{j}]"
            if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
                check.fail(mp, "must be a pair [from, to]")
                continue
            a = check.ref(pair[0], known_roles, "role", f"{mp}[0]")
            b = check.ref(pair[1], known_roles, "role", f"{mp}[1]")
            if a == b:
                check.fail(mp, f"a move from role '{a}' to itself")
            moves.append(Move(str(a), str(b), kind))

    resources: dict[str, LearningResource] = {}
    for path, lr in _items(check, doc, "resources"):
        check.keys(lr, path, "id title kind hours url develops")
        devs = []
        for dp, d in check.objects(lr.get("develops"), f"{path}.develops"):
            check.keys(d, dp, "competency from to")
            lo = int(check.number(d, "from", dp, 0, 0, top, integer=True))
            hi = int(check.number(d, "to", dp, 1, 1, top, integer=True))
            if hi <= lo:
                check.fail(dp, f"'to' ({hi}) must be above 'from' ({lo})")
            devs.append(Development(check.ref(d.get("competency"), competencies, "competency",
                                              f"{dp}.competency") or "", lo, hi))
        res = LearningResource(check.ident(lr, "id", path), check.text(lr, "title", path),
                               check.enum(lr, "kind", path, ResourceKind, "COURSE"),
                               check.rule(lr, "hours", path, rules.hours, 1.0),
                               check.text(lr, "url", path, required=False, limit=rules.URL_MAX), tuple(devs))
        check.unique(resources, res.id, f"{path}.id")
        resources[res.id] = res

    people: dict[str, Person] = {}
    items = _items(check, doc, "people")
    for path, pd in items:
        check.keys(pd, path, "id name email role since manager")
        person = Person(check.ident(pd, "id", path), check.text(pd, "name", path),
                        check.text(pd, "email", path, required=False),
                        check.ref(pd.get("role"), known_roles, "role", f"{path}.role"),
                        check.date(pd, "since", path, required=False), None)
        check.unique(people, person.id, f"{path}.id")
        people[person.id] = person
    known_people = _Either(people, outside.get("people"))
    chain: nx.DiGraph[str] = nx.DiGraph()
    for path, pd in items:
        manager = check.ref(pd.get("manager"), known_people, "person", f"{path}.manager")
        pid = str(pd.get("id"))
        if manager is not None and pid in people:
            people[pid] = Person(**{**people[pid].__dict__, "manager_id": manager})
            chain.add_edge(pid, manager)
    for cycle in nx.simple_cycles(chain):
        check.fail("people", "reporting cycle: " + " -> ".join([*cycle, cycle[0]]))

    assessments: list[Assessment] = []
    ids: set[str] = set()
    for path, ad in _items(check, doc, "assessments"):
        check.keys(ad, path, "id person competency level source at note evidence")
        evidence = check.objects(ad.get("evidence"), f"{path}.evidence")
        for ep, e in evidence:
            check.keys(e, ep, "kind note at")
        aid = check.ident(ad, "id", path)
        check.unique(ids, aid, f"{path}.id")
        assessments.append(Assessment(
            aid, check.ref(ad.get("person"), known_people, "person", f"{path}.person") or "",
            check.ref(ad.get("competency"), competencies, "competency", f"{path}.competency") or "",
            int(check.number(ad, "level", path, 0, 0, top, integer=True)),
            check.enum(ad, "source", path, Source),
            check.date(ad, "at", path) or dt.date.min,
            check.text(ad, "note", path, required=False),
            tuple(Evidence(check.text(e, "kind", ep), check.text(e, "note", ep, required=False),
                           check.date(e, "at", ep, required=False)) for ep, e in evidence),
        ))

    def need(obj: Mapping[str, Any], key: str, known: Container[str], kind: str, path: str) -> str:
        value = check.text(obj, key, path)
        return (check.ref(value, known, kind, f"{path}.{key}") or "") if value else ""

    plans: dict[str, SavedPlan] = {}
    for path, sp in _items(check, doc, "plans"):
        check.keys(sp, path, "person role saved items")
        steps = check.objects(sp.get("items"), f"{path}.items")
        for ip, it in steps:
            check.keys(it, ip, "resource competency from to done")
        owner = need(sp, "person", known_people, "person", path)
        check.unique(plans, owner, f"{path}.person")
        plans[owner] = SavedPlan(
            owner, need(sp, "role", known_roles, "role", path), check.date(sp, "saved", path) or dt.date.min,
            tuple(SavedPlanItem(need(it, "resource", resources, "learning resource", ip),
                           need(it, "competency", competencies, "competency", ip),
                           int(check.number(it, "from", ip, 0, 0, top, integer=True)),
                           int(check.number(it, "to", ip, 1, 1, top, integer=True)),
                           check.date(it, "done", ip, required=False)) for ip, it in steps))

    nominations: dict[tuple[str, str], Nomination] = {}
    for path, nd in _items(check, doc, "nominations"):
        check.keys(nd, path, "role person by at note")
        nom = Nomination(need(nd, "role", known_roles, "role", path), need(nd, "person", known_people, "person", path),
                         check.ref(nd.get("by"), known_people, "person", f"{path}.by"),
                         check.date(nd, "at", path) or dt.date.min, check.text(nd, "note", path, required=False))
        if (nom.role_id, nom.person_id) in nominations:
            check.fail(path, f"'{nom.person_id}' is already nominated for '{nom.role_id}'")
        nominations[(nom.role_id, nom.person_id)] = nom
    interests: dict[tuple[str, str], Interest] = {}
    for path, idoc in _items(check, doc, "interests"):
        check.keys(idoc, path, "person role at")
        one = Interest(need(idoc, "person", known_people, "person", path), need(idoc, "role", known_roles, "role", path),
                       check.date(idoc, "at", path) or dt.date.min)
        if (one.person_id, one.role_id) in interests:
            check.fail(path, f"'{one.person_id}' is already interested in '{one.role_id}'")
        interests[(one.person_id, one.role_id)] = one

    seen_moves: set[tuple[str, str, MoveKind]] = set()
    for j, m in enumerate(moves):
        if (m.source, m.target, m.kind) in seen_moves:
            check.fail("moves", f"duplicate move {m.kind.value} {m.source} -> {m.target}")
        seen_moves.add((m.source, m.target, m.kind))

    if check.problems:
        n = len(check.problems)
        raise BadInput(f"The document has {n} problem{'s' if n > 1 else ''}; nothing was changed. "
                       f"First: {check.problems[0]}", check.problems)
    return Organisation(framework, competencies, tuple(sorted(indicators, key=indicator_order)), families, tracks,
                        levels, roles, tuple(sorted(moves, key=move_order)), people,
                        tuple(sorted(assessments, key=lambda a: a.id)), resources,
                        {k: plans[k] for k in sorted(plans)}, tuple(nominations[k] for k in sorted(nominations)),
                        tuple(interests[k] for k in sorted(interests)))


def indicator_order(i: Indicator) -> tuple[str, int, int]:
    """The canonical order of indicators: by competency, level, then position."""
    return (i.competency_id, i.level, int(i.id.rsplit("-", 1)[1]))


def move_order(m: Move) -> tuple[str, str, str]:
    return (m.kind.value, m.source, m.target)


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def to_document(org: Organisation) -> dict[str, Any]:
    """The inverse of :func:`from_document`: ``from_document(to_document(o)) == o``."""
    fw = org.framework
    by_comp: dict[str, dict[int, list[str]]] = {}
    for ind in sorted(org.indicators, key=lambda i: (i.competency_id, i.level, i.id)):
        by_comp.setdefault(ind.competency_id, {}).setdefault(ind.level, []).append(ind.text)
    return {
        "framework": {"id": fw.id, "name": fw.name, "version": fw.version, "validity_days": fw.validity_days},
        "scale": [{"level": s.level, "name": s.name, "description": s.description} for s in fw.scale],
        "competencies": [
            {"id": c.id, "name": c.name, "category": c.category.value, "description": c.description,
             "indicators": by_comp.get(c.id, {})}
            for c in org.competencies.values()
        ],
        "families": [{"id": f.id, "name": f.name} for f in org.families.values()],
        "tracks": [{"id": t.id, "name": t.name} for t in org.tracks.values()],
        "levels": [{"id": lv.id, "rank": lv.rank, "name": lv.name} for lv in org.levels.values()],
        "roles": [
            {"id": r.id, "title": r.title, "description": r.description, "family": r.family_id,
             "track": r.track_id, "level": r.level_id,
             "requires": [{"competency": q.competency_id, "level": q.level, "weight": q.weight,
                           "essential": q.essential} for q in r.requirements]}
            for r in org.roles.values()
        ] if org.roles else [],
        "moves": {key: [[m.source, m.target] for m in org.moves if m.kind == kind]
                  for key, kind in _MOVE_KEYS.items()},
        "resources": [
            {"id": r.id, "title": r.title, "kind": r.kind.value, "hours": r.hours, "url": r.url,
             "develops": [{"competency": d.competency_id, "from": d.from_level, "to": d.to_level}
                          for d in r.develops]}
            for r in org.resources.values()
        ],
        "people": [
            {"id": p.id, "name": p.name, "email": p.email, "role": p.role_id,
             "since": _date(p.since), "manager": p.manager_id}
            for p in org.people.values()
        ],
        "assessments": [
            {"id": a.id, "person": a.person_id, "competency": a.competency_id, "level": a.level,
             "source": a.source.value, "at": _date(a.at), "note": a.note,
             "evidence": [{"kind": e.kind, "note": e.note, "at": _date(e.at)} for e in a.evidence]}
            for a in org.assessments
        ],
        "plans": [
            {"person": sp.person_id, "role": sp.role_id, "saved": _date(sp.saved),
             "items": [{"resource": i.resource_id, "competency": i.competency_id, "from": i.from_level,
                        "to": i.to_level, "done": _date(i.done)} for i in sp.items]}
            for sp in org.plans.values()
        ],
        "nominations": [{"role": n.role_id, "person": n.person_id, "by": n.by, "at": _date(n.at), "note": n.note}
                        for n in org.nominations],
        "interests": [{"person": i.person_id, "role": i.role_id, "at": _date(i.at)} for i in org.interests],
    }
