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
from collections.abc import Iterable
from typing import Any

from ..changes import changed_parts
from ..document import to_document
from ..model import Organisation

__all__ = ["entry", "apply"]

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
