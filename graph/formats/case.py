"""Competency frameworks as 1EdTech CASE 1.0 packages (CFPackage JSON), both ways.

What goes where (:func:`to_case`):

- the framework is the ``CFDocument``: ``title`` = name, ``version`` = version,
  and ``notes`` carries the Trellis framework id and validity period on lines
  ``trellis:framework-id=...`` and ``trellis:validity-days=...``;
- each competency is a ``CFItem``: ``humanCodingScheme`` = Trellis id,
  ``abbreviatedStatement`` = name, ``fullStatement`` = description (the name when
  there is none), ``CFItemType`` = category (TECHNICAL, BEHAVIOURAL, LEADERSHIP, KNOWLEDGE,
  also listed in ``CFDefinitions.CFItemTypes``), in catalogue order;
- each competency ``isChildOf`` the document (a ``CFAssociation``, ``sequenceNumber``
  = its position);
- one ``CFRubric`` holds the proficiency levels. Its first ``CFRubricCriterion``
  has no ``CFItemURI``: it is the scale itself, one ``CFRubricCriterionLevel`` per
  level with ``score`` = ``position`` = the level number, ``quality`` = the level's
  name and ``description`` = the level's description. Then one criterion per
  competency (``CFItemURI`` → its item, ``category`` = its name), whose levels
  carry the same score, position and quality and, as ``description``, the
  competency's indicators at that level, one per line, in order.

Identifiers are uuid5 of :data:`NAMESPACE` and the Trellis ids, and every
``lastChangeDateTime`` is ``changed`` (a fixed date unless given), so exporting
twice gives the same JSON. ``uri`` is ``urn:uuid:<identifier>`` unless a
``base_uri`` is given (then ``<base_uri>/<CFType>/<identifier>``).

:func:`from_case` reads such a package back, and also packages from elsewhere:
every CFItem becomes a competency (id = ``humanCodingScheme``, else its
identifier; a ``CFItemType`` that is not a Trellis category becomes
``default_category``); without a scale criterion the scale is made from the
levels the competency criteria use. Roles, people and the rest stay empty.
A bad package raises :class:`graph.errors.BadInput` listing every problem by
JSON path (``$.CFItems[3].fullStatement: is required``).

Known losses: an indicator's line breaks become spaces, and a competency whose
description equals its name reads back with an empty description.

>>> from graph.document import from_document
>>> from graph.seeds import sample_organisation
>>> org = sample_organisation()
>>> pkg = to_case(org)
>>> pkg["CFDocument"]["title"], len(pkg["CFItems"]) == len(org.competencies)
('Northwind Labs Competency Framework', True)
>>> back = from_document(from_case(pkg))
>>> (back.framework, back.competencies, back.indicators) == (org.framework, org.competencies, org.indicators)
True
>>> to_case(org) == pkg
True
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ..document import from_document
from ..errors import BadInput
from ..model import Category, Organisation

__all__ = ["NAMESPACE", "to_case", "from_case", "read_case"]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:trellis:case:1.0")
"""The uuid5 namespace of every identifier Trellis writes into a CASE package."""

_DEFAULT_CHANGED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_SCALE_CATEGORY = "Proficiency scale"
_NOTE_ID = re.compile(r"^trellis:framework-id=(.*)$", re.M)
_NOTE_DAYS = re.compile(r"^trellis:validity-days=(.*)$", re.M)
_CATEGORY_TEXT = {
    Category.TECHNICAL: "Technical competency: knowledge and skill of a discipline.",
    Category.BEHAVIOURAL: "Behavioural competency: how someone works with others and on their own.",
    Category.LEADERSHIP: "Leadership competency: setting direction and growing people and teams.",
    Category.KNOWLEDGE: "Knowledge: a body of knowledge of a field (what someone knows, rather than can do).",
}


# ------------------------------------------------------------------------ export

def to_case(org: Organisation, *, base_uri: str | None = None, changed: dt.datetime | None = None,
            creator: str = "Trellis") -> dict[str, Any]:
    """The framework part of ``org`` (framework, scale, competencies, indicators) as a CASE 1.0 package."""
    fw = org.framework
    when = (changed or _DEFAULT_CHANGED)
    when = when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def node(kind: str, *parts: str) -> dict[str, Any]:
        identifier = str(uuid.uuid5(NAMESPACE, json.dumps([fw.id, kind, *parts])))
        uri = f"{base_uri.rstrip('/')}/{kind}/{identifier}" if base_uri else f"urn:uuid:{identifier}"
        return {"identifier": identifier, "uri": uri}

    def link(obj: Mapping[str, Any], title: str) -> dict[str, str]:
        return {"title": title, "identifier": obj["identifier"], "uri": obj["uri"]}

    document = {**node("CFDocuments"), "creator": creator, "title": fw.name, "lastChangeDateTime": stamp,
                "version": fw.version,
                "description": f"The {fw.name} competency framework and its proficiency levels, exported from Trellis.",
                "notes": f"trellis:framework-id={fw.id}\ntrellis:validity-days={fw.validity_days}"}
    doc_link = link(document, fw.name)
    types = {c: {**node("CFItemTypes", c.value), "title": c.value, "description": _CATEGORY_TEXT[c],
                 "hierarchyCode": c.value, "typeCode": c.value, "lastChangeDateTime": stamp} for c in Category}

    by_level: dict[tuple[str, int], list[str]] = {}
    for ind in org.indicators:
        by_level.setdefault((ind.competency_id, ind.level), []).append(" ".join(ind.text.splitlines()))

    items, associations = [], []
    rubric = {**node("CFRubrics"), "title": f"{fw.name}: proficiency levels",
              "description": "What each proficiency level means, in general and for each competency.",
              "lastChangeDateTime": stamp}
    scale_criterion = {**node("CFRubricCriteria", "scale"), "category": _SCALE_CATEGORY,
                       "description": "The proficiency scale: what each level means, whatever the competency.",
                       "position": 1, "rubricId": rubric["identifier"], "lastChangeDateTime": stamp}
    scale_criterion["CFRubricCriterionLevels"] = [
        {**node("CFRubricCriterionLevels", "scale", str(s.level)), "description": s.description,
         "quality": s.name, "score": s.level, "position": s.level,
         "rubricCriterionId": scale_criterion["identifier"], "lastChangeDateTime": stamp}
        for s in fw.scale]
    criteria = [scale_criterion]
    for n, comp in enumerate(org.competencies.values(), start=1):
        item = {**node("CFItems", comp.id), "fullStatement": comp.description or comp.name,
                "abbreviatedStatement": comp.name, "humanCodingScheme": comp.id, "listEnumeration": str(n),
                "CFItemType": comp.category.value, "CFItemTypeURI": link(types[comp.category], comp.category.value),
                "lastChangeDateTime": stamp, "CFDocumentURI": doc_link}
        items.append(item)
        associations.append({**node("CFAssociations", comp.id, "isChildOf"), "associationType": "isChildOf",
                             "sequenceNumber": n, "originNodeURI": link(item, comp.name),
                             "destinationNodeURI": doc_link, "CFDocumentURI": doc_link,
                             "lastChangeDateTime": stamp})
        criterion = {**node("CFRubricCriteria", comp.id), "category": comp.name, "description": comp.description,
                     "CFItemURI": link(item, comp.name), "position": n + 1, "rubricId": rubric["identifier"],
                     "lastChangeDateTime": stamp}
        criterion["CFRubricCriterionLevels"] = [
            {**node("CFRubricCriterionLevels", comp.id, str(s.level)),
             "description": "\n".join(by_level.get((comp.id, s.level), [])), "quality": s.name,
             "score": s.level, "position": s.level, "rubricCriterionId": criterion["identifier"],
             "lastChangeDateTime": stamp}
            for s in fw.scale]
        criteria.append(criterion)
    rubric["CFRubricCriteria"] = criteria
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFConcepts": [], "CFSubjects": [], "CFLicenses": [],
                          "CFItemTypes": list(types.values()), "CFAssociationGroupings": []},
        "CFRubrics": [rubric],
    }


# ------------------------------------------------------------------------ import

class _Check:
    """Collects problems with their JSON paths."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def obj(self, value: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(path, "must be an object")
            return None
        return value

    def objects(self, parent: Mapping[str, Any], key: str, path: str) -> list[tuple[str, Mapping[str, Any]]]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            if self.obj(item, f"{path}.{key}[{i}]") is not None:
                out.append((f"{path}.{key}[{i}]", item))
        return out

    def text(self, obj: Mapping[str, Any], key: str, path: str, required: bool = False) -> str:
        value = obj.get(key)
        if value is None or (required and value == ""):
            if required:
                self.fail(f"{path}.{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, not {json.dumps(value)}")
            return ""
        return value

    def required(self, obj: Mapping[str, Any], path: str, *keys: str) -> None:
        for key in keys:
            self.text(obj, key, path, required=True)
        stamp = obj.get("lastChangeDateTime")
        if isinstance(stamp, str) and stamp and not _is_datetime(stamp):
            self.fail(f"{path}.lastChangeDateTime", f"'{stamp}' is not a date-time like 2026-03-31T12:00:00+00:00")

    def link(self, obj: Mapping[str, Any], key: str, path: str, required: bool = False) -> str | None:
        """The identifier a LinkURI (title, identifier, uri) points to."""
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        if self.obj(value, f"{path}.{key}") is None:
            return None
        self.text(value, "title", f"{path}.{key}")  # required by CASE, but often empty: never needed here
        for field in ("identifier", "uri"):
            self.text(value, field, f"{path}.{key}", required=True)
        return value.get("identifier") if isinstance(value.get("identifier"), str) else None

    def whole(self, obj: Mapping[str, Any], key: str, path: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
            self.fail(f"{path}.{key}", f"must be a whole number, not {json.dumps(value)}")
            return None
        return int(value)


def _is_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def read_case(pkg: Mapping[str, Any], *, default_category: Category = Category.TECHNICAL) -> Organisation:
    """The framework of a CASE package as an organisation (built once; checked as a Trellis document too)."""
    doc = from_case(pkg, default_category=default_category)
    try:
        return from_document(doc)
    except BadInput as exc:  # a safety net: from_case's own checks should have found these
        problems = [f"$ (as a Trellis document) {p}" for p in exc.problems]
        raise BadInput(f"The CASE package has {len(problems)} problem(s); nothing was changed. First: {problems[0]}",
                       problems) from None


def from_case(pkg: Mapping[str, Any], *, default_category: Category = Category.TECHNICAL) -> dict[str, Any]:
    """An organisation document (framework, scale, competencies with indicators; no roles) from a CASE package.

    Raises :class:`BadInput` listing every problem by JSON path.
    """
    check = _Check()
    if not isinstance(pkg, Mapping):
        raise BadInput("A CASE package must be a JSON object.", ["$: must be an object"])
    doc_path = "$.CFDocument"
    document = check.obj(pkg.get("CFDocument"), doc_path) or {}
    if isinstance(pkg.get("CFDocument"), Mapping):
        check.required(document, doc_path, "identifier", "uri", "creator", "title", "lastChangeDateTime")
    doc_id = check.text(document, "identifier", doc_path)
    seen: dict[str, str] = {doc_id: doc_path} if doc_id else {}

    def unique(obj: Mapping[str, Any], path: str) -> None:
        ident = obj.get("identifier")
        if isinstance(ident, str) and ident:
            if ident in seen:
                check.fail(f"{path}.identifier", f"'{ident}' is also the identifier of {seen[ident]}")
            seen.setdefault(ident, path)

    def in_document(obj: Mapping[str, Any], path: str) -> None:
        target = check.link(obj, "CFDocumentURI", path)
        if target is not None and doc_id and target != doc_id:
            check.fail(f"{path}.CFDocumentURI.identifier", f"unknown document '{target}' (this one is '{doc_id}')")

    competencies: dict[str, dict[str, Any]] = {}  # CFItem identifier -> competency
    ids: dict[str, str] = {}
    for path, item in check.objects(pkg, "CFItems", "$"):
        check.required(item, path, "identifier", "uri", "fullStatement", "lastChangeDateTime")
        unique(item, path)
        in_document(item, path)
        full = check.text(item, "fullStatement", path)
        short = check.text(item, "abbreviatedStatement", path)
        code = check.text(item, "humanCodingScheme", path) or check.text(item, "identifier", path)
        kind = check.text(item, "CFItemType", path).strip().upper()
        if code in ids:
            check.fail(f"{path}.humanCodingScheme", f"competency id '{code}' is also used by {ids[code]}")
        ids.setdefault(code, path)
        competencies[check.text(item, "identifier", path)] = {
            "id": code, "name": short or full,
            "category": kind if kind in Category.__members__ else default_category.value,
            "description": full if short and full != short else "", "indicators": {}}
    nodes = set(competencies) | ({doc_id} if doc_id else set())

    for path, assoc in check.objects(pkg, "CFAssociations", "$"):
        check.required(assoc, path, "identifier", "associationType", "uri", "lastChangeDateTime")
        unique(assoc, path)
        in_document(assoc, path)
        origin = check.link(assoc, "originNodeURI", path, required=True)
        target = check.link(assoc, "destinationNodeURI", path, required=True)
        if origin is not None and origin not in nodes:
            check.fail(f"{path}.originNodeURI.identifier", f"unknown item '{origin}'")
        if assoc.get("associationType") == "isChildOf" and target is not None and target not in nodes:
            check.fail(f"{path}.destinationNodeURI.identifier", f"unknown item or document '{target}'")

    if pkg.get("CFDefinitions") is not None:
        check.obj(pkg.get("CFDefinitions"), "$.CFDefinitions")

    criteria = _rubrics(check, pkg, unique)
    scale, top = _scale(check, criteria)
    for path, criterion, item_id, levels in criteria:
        if "CFItemURI" not in criterion or item_id is None:
            continue
        if item_id not in competencies:
            check.fail(f"{path}.CFItemURI.identifier", f"unknown item '{item_id}'")
            continue
        indicators = competencies[item_id]["indicators"]
        for lpath, number, level in levels:
            if not 1 <= number <= top:
                check.fail(f"{lpath}.score", f"{number} is not a level 1..{top}")
                continue
            lines = [t.removesuffix("\r") for t in check.text(level, "description", lpath).split("\n")]
            indicators.setdefault(number, []).extend(t for t in lines if t.strip())

    notes = check.text(document, "notes", doc_path)
    fid = _NOTE_ID.search(notes)
    framework: dict[str, Any] = {"id": fid.group(1).strip() if fid else doc_id,
                                 "name": check.text(document, "title", doc_path),
                                 "version": check.text(document, "version", doc_path) or "1"}
    days = _NOTE_DAYS.search(notes)
    if days:
        try:
            framework["validity_days"] = int(days.group(1))
            if framework["validity_days"] < 1:
                raise ValueError
        except ValueError:
            check.fail(f"{doc_path}.notes", f"trellis:validity-days must be a whole number of days, "
                                            f"not '{days.group(1)}'")
    out = {"framework": framework, "scale": scale,
           "competencies": [{**c, "indicators": {k: v for k, v in sorted(c["indicators"].items()) if v}}
                            for c in competencies.values()],
           "families": [], "tracks": [], "levels": [], "roles": [],
           "moves": {"progresses_to": [], "can_move_to": []},
           "resources": [], "people": [], "assessments": []}
    if check.problems:
        problems = list(dict.fromkeys(check.problems))  # a field read twice is reported once
        n = len(problems)
        raise BadInput(f"The CASE package has {n} problem{'s' if n > 1 else ''}; nothing was changed. "
                       f"First: {problems[0]}", problems)
    return out


_Levels = list[tuple[str, int, Mapping[str, Any]]]
_Criterion = tuple[str, Mapping[str, Any], str | None, _Levels]


def _levels(check: _Check, criterion: Mapping[str, Any], path: str,
            unique: Callable[[Mapping[str, Any], str], None]) -> _Levels:
    out = []
    for lpath, level in check.objects(criterion, "CFRubricCriterionLevels", path):
        check.required(level, lpath, "identifier", "uri", "lastChangeDateTime")
        unique(level, lpath)
        check.text(level, "quality", lpath)
        score, position = check.whole(level, "score", lpath), check.whole(level, "position", lpath)
        number = score if score is not None else position
        if number is None:
            check.fail(lpath, "needs a score (the level number)")
            continue
        out.append((lpath, number, level))
    return out


def _rubrics(check: _Check, pkg: Mapping[str, Any], unique: Callable[[Mapping[str, Any], str], None]
             ) -> list[_Criterion]:
    """Every criterion of every rubric: its path, itself, the item it is about (if any) and its levels."""
    out = []
    for rpath, rubric in check.objects(pkg, "CFRubrics", "$"):
        check.required(rubric, rpath, "identifier", "uri", "lastChangeDateTime")
        unique(rubric, rpath)
        for cpath, criterion in check.objects(rubric, "CFRubricCriteria", rpath):
            check.required(criterion, cpath, "identifier", "uri", "lastChangeDateTime")
            unique(criterion, cpath)
            item = check.link(criterion, "CFItemURI", cpath)
            out.append((cpath, criterion, item, _levels(check, criterion, cpath, unique)))
    return out


def _scale(check: _Check, criteria: list[_Criterion]) -> tuple[list[dict[str, Any]], int]:
    """The scale (from the criterion without CFItemURI, else from the levels used) and its top level."""
    scales = [(path, levels) for path, c, _, levels in criteria if "CFItemURI" not in c]
    for path, _ in scales[1:]:
        check.fail(path, f"a second criterion without CFItemURI: only one may define the scale ({scales[0][0]})")
    if scales:
        path, levels = scales[0]
        numbers = sorted(n for _, n, _ in levels)
        if numbers != list(range(1, len(numbers) + 1)):
            check.fail(path, f"the scale's levels must have scores 1, 2, 3, ... once each, not {numbers}")
        scale = [{"level": number, "name": check.text(level, "quality", lpath, required=True),
                  "description": check.text(level, "description", lpath)}
                 for lpath, number, level in sorted(levels, key=lambda x: x[1])]
        return scale, len(numbers)
    names: dict[int, str] = {}
    for _, _, _, levels in criteria:
        for _, number, level in levels:
            quality = level.get("quality")
            if isinstance(quality, str) and quality:
                names.setdefault(number, quality)
    top = max((n for _, _, _, levels in criteria for _, n, _ in levels), default=0)
    if top < 1:
        return [], 5
    return [{"level": n, "name": names.get(n, f"Level {n}"), "description": ""} for n in range(1, top + 1)], top
