"""The embedded store's journal: one JSON line per edit, holding only what the edit changed.

A write appends a line and fsyncs it (milliseconds, whatever the size of the organisation) instead of
rewriting the whole store file; the file is rewritten now and then (compaction). Reading the store
is the snapshot with the journal's lines applied in order, each line naming the version it was made
on (``base``), so a line left over from before a compaction, or a torn last line from a crash, is
never applied twice or half.

>>> from graph.seeds import sample_organisation
>>> from graph.edits import create_family
>>> from graph.document import to_document
>>> org = sample_organisation()
>>> line = entry(org, create_family(org, "legal", "Legal").org)
>>> line["put"], line["drop"]
({'families': [{'id': 'legal', 'name': 'Legal'}]}, {})
>>> doc = to_document(org)
>>> apply(doc, [line])
>>> [f["id"] for f in doc["families"]][-1]
'legal'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..changes import changed_parts
from ..chunks import spliced
from ..document import from_document, to_document
from ..edits import assessment_at
from ..model import Assessment, Organisation
from ..projection import Hint

__all__ = ["entry", "apply", "follow", "combine"]

_KEYED = {"competencies": ("id",), "families": ("id",), "tracks": ("id",), "levels": ("id",), "roles": ("id",),
          "resources": ("id",), "people": ("id",), "assessments": ("id",), "plans": ("person",),
          "nominations": ("role", "person"), "interests": ("person", "role")}
_MOVES = ("progresses_to", "can_move_to")


def _key(row: dict[str, Any], fields: tuple[str, ...]) -> Any:
    return row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields)


def entry(old: Organisation, new: Organisation) -> dict[str, Any]:
    """What turns ``old`` into ``new``, in document rows: ``put`` (added or changed), ``drop`` (keys removed),
    ``moves`` and, when it changed, the framework and scale."""
    before, after = changed_parts(old, new)
    touched = {i.competency_id for i in (*before.indicators, *after.indicators)}
    if touched:      # indicators live in their competency's row: rewrite those rows whole
        comps = {**after.competencies, **{c: new.competencies[c] for c in touched if c in new.competencies}}
        after = dataclasses.replace(after, competencies=comps,
                                    indicators=tuple(i for i in new.indicators if i.competency_id in comps))
    doc_before, doc_after = to_document(before), to_document(after)
    put = {k: doc_after[k] for k in _KEYED if doc_after[k]}
    drop: dict[str, list[Any]] = {}
    for k, fields in _KEYED.items():
        gone = {_key(r, fields) for r in doc_before[k]} - {_key(r, fields) for r in doc_after[k]}
        if gone:
            drop[k] = sorted(list(g) if isinstance(g, tuple) else g for g in gone)
    moves_before = {(k, a, b) for k in _MOVES for a, b in doc_before["moves"][k]}
    moves_after = {(k, a, b) for k in _MOVES for a, b in doc_after["moves"][k]}
    line: dict[str, Any] = {"put": put, "drop": drop}
    if moves_before != moves_after:
        line["moves"] = {"put": sorted(moves_after - moves_before), "drop": sorted(moves_before - moves_after)}
    if old.framework != new.framework:
        line["framework"], line["scale"] = doc_after["framework"], doc_after["scale"]
    return line


def apply(doc: dict[str, Any], lines: Iterable[dict[str, Any]]) -> None:
    """Apply journal ``lines`` to the document ``doc`` in place, in one pass over each collection."""
    keyed = {k: {_key(r, f): r for r in doc.get(k) or []} for k, f in _KEYED.items()}
    moves = {(k, a, b): None for k in _MOVES for a, b in (doc.get("moves") or {}).get(k, [])}
    for line in lines:
        for k, gone in line.get("drop", {}).items():
            for key in gone:
                keyed[k].pop(tuple(key) if isinstance(key, list) else key, None)
        for k, rows in line.get("put", {}).items():
            for row in rows:
                keyed[k][_key(row, _KEYED[k])] = row
        if "moves" in line:
            for kind, a, b in line["moves"]["drop"]:
                moves.pop((kind, a, b), None)
            for kind, a, b in line["moves"]["put"]:
                moves[(kind, a, b)] = None
        if "framework" in line:
            doc["framework"], doc["scale"] = line["framework"], line["scale"]
    for k, rows in keyed.items():
        doc[k] = list(rows.values())
    doc["moves"] = {k: [[a, b] for kind, a, b in moves if kind == k] for k in _MOVES}


_PEOPLE_SIDE = frozenset({"people", "assessments", "plans", "nominations", "interests"})
_DROPPABLE = frozenset({"plans", "nominations", "interests"})


def follow(org: Organisation, line: Mapping[str, Any]) -> tuple[Organisation, Hint] | None:
    """``org`` with one journal ``line`` applied, and the :class:`~graph.projection.Hint` of what it touched; None
    when the line changed the role side, the framework or the moves, or removed people or assessments.

    Why: another process's write (a second worker) then costs this process the line, not a reading of the whole
    store; every part the line did not touch is the same object as in ``org``, so
    :func:`graph.projection.refresh_projection` can derive the projection instead of building it again, and
    forked workers keep sharing the pages of what did not change. The rows are checked as the document reader
    checks them; a line that does not check raises :class:`~graph.errors.BadInput` (then read the store again).

    >>> from graph.seeds import sample_organisation
    >>> from graph.edits import nominate
    >>> import datetime as dt
    >>> org = sample_organisation()
    >>> done = nominate(org, "staff-software-engineer", "priya-raman", None, dt.date(2026, 12, 4)).org
    >>> new, hint = follow(org, entry(org, done))
    >>> new == done, new.roles is org.roles, hint.people
    (True, True, frozenset())
    """
    put, drop = line.get("put", {}), line.get("drop", {})
    if "moves" in line or "framework" in line or set(put) - _PEOPLE_SIDE or set(drop) - _DROPPABLE:
        return None
    known = to_document(Organisation(org.framework, competencies=org.competencies, resources=org.resources))
    rows = from_document({k: known[k] for k in ("framework", "scale", "competencies", "resources")} | dict(put),
                         {"roles": org.roles, "people": org.people})
    changes: dict[str, Any] = {}
    if rows.people:
        changes["people"] = {**org.people, **rows.people}
    inserted: list[Assessment] = []
    replaced: set[str] = set()
    if rows.assessments:
        merged = org.assessments
        for a in rows.assessments:
            i, there = assessment_at(merged, a.id)
            merged = spliced(merged, i, i + (there is not None), (a,))
            if there is not None:
                replaced.add(a.id)
            else:
                inserted.append(a)
        changes["assessments"] = merged
    if "plans" in put or "plans" in drop:
        plans = {k: v for k, v in org.plans.items() if k not in set(drop.get("plans", ()))}
        changes["plans"] = plans | dict(rows.plans)
    pools: tuple[tuple[str, Callable[[Any], tuple[str, str]]], ...] = (
        ("nominations", lambda n: (n.role_id, n.person_id)), ("interests", lambda i: (i.person_id, i.role_id)))
    for name, key in pools:
        if name in put or name in drop:
            gone = {tuple(k) for k in drop.get(name, ())}
            kept = {key(x): x for x in getattr(org, name) if key(x) not in gone}
            kept.update((key(x), x) for x in getattr(rows, name))
            changes[name] = tuple(kept[k] for k in sorted(kept))
    people = frozenset(rows.people)
    if inserted and replaced:
        hint = Hint(people=people)                     # both kinds: let the refresh diff the assessments
    elif replaced:
        hint = Hint(people=people, replaced=frozenset(replaced))
    else:
        hint = Hint(people=people, inserted=bool(inserted))
    return dataclasses.replace(org, **changes), hint


def combine(first: Hint, then: Hint) -> Hint:
    """The hint of two edits one after the other (what either touched).

    >>> combine(Hint(people=frozenset({"a"}), inserted=True), Hint(people=frozenset(), inserted=True))
    Hint(people=frozenset({'a'}), inserted=True, replaced=None)
    """
    people = None if first.people is None or then.people is None else first.people | then.people
    inserted = first.inserted or then.inserted
    replaced = None if first.replaced is None and then.replaced is None else \
        (first.replaced or frozenset()) | (then.replaced or frozenset())
    if inserted and replaced is not None:
        return Hint(people=people)
    return Hint(people=people, inserted=inserted, replaced=replaced)
