"""The embedded store's big collections as columns: roles with their requirements, people, assessments.

At a million people and eight million assessments a JSON document is too slow to read (minutes of
parsing and row-by-row checks) and too big to write (the whole document as dicts in memory). So the
store file keeps the small collections as document rows and names a side file holding the big ones as
arrays: integer codes into string tables for references (a requirement's competency, an assessment's
person), levels and weights as numbers, dates as ordinals, and the strings themselves (ids, names,
notes) as JSON lists. Reading is array reads, checks done on whole columns at once (codes in range,
levels on the scale, ids unique and sorted, text trimmed and within the field rules' limits), then the
model's objects built straight from the columns.

The side file: ``MAGIC``, the tag of the write that made it (32 bytes), then the arrays one after another (each at an
offset that is a multiple of 8). The store file's ``columns`` entry describes them: for each array its
dtype, length, offset and CRC-32, so a truncated or damaged side file is refused, naming it.

>>> import tempfile, pathlib
>>> from graph.seeds import sample_organisation
>>> org = sample_organisation()
>>> side = pathlib.Path(tempfile.mkdtemp()) / "store.json.v1.columns"
>>> desc = write(side, org, "v1")
>>> back = read(side, desc, small_document(org), [])
>>> back == org
True
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import json
import operator
import os
import re
import zlib
from collections.abc import Container, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from .. import rules
from ..document import from_document, to_document
from ..errors import BadInput
from ..model import Assessment, Evidence, Organisation, Person, Requirement, Role, Source, no_gc, unchecked
from . import journal

__all__ = ["MAGIC", "BIG", "write", "read", "small_document"]

MAGIC = b"TRELLIS-COLUMNS-1\n"
BIG = ("roles", "people", "assessments")
"""The collections kept as columns; the rest stay document rows in the store file."""
_SOURCES = [s.value for s in Source]
_NO_DATE = 0
_EARLIEST, _LATEST = rules.EARLIEST.toordinal(), rules.LATEST.toordinal()
_SPACE = re.compile(r"\s")
_CHUNK = 1 << 20

# name: (dtype, what it holds); strings are "json" (a UTF-8 JSON list of strings)
_ARRAYS: dict[str, str] = {
    "role_id": "json", "role_title": "json", "role_description": "json",
    "role_family": "<i4", "role_track": "<i4", "role_level": "<i4",
    "req_ptr": "<i8", "req_competency": "<i4", "req_level": "<i1", "req_weight": "<f8", "req_essential": "|u1",
    "person_id": "json", "person_name": "json", "person_email": "json",
    "person_role": "<i4", "person_since": "<i4", "person_manager": "<i4",
    "a_id": "json", "a_person": "<i4", "a_competency": "<i4", "a_level": "<i1", "a_source": "<i1", "a_at": "<i4",
    "note_at": "<i8", "note_text": "json",
    "ev_owner": "<i8", "ev_kind": "json", "ev_note": "json", "ev_at": "<i4",
}


def small_document(org: Organisation) -> dict[str, Any]:
    """The organisation document without the big collections (those go to the side file)."""
    doc = to_document(dataclasses.replace(org, roles={}, people={}, assessments=()))
    for key in BIG:
        del doc[key]
    return doc


# --- writing ---------------------------------------------------------------------------------------------

def _ordinal(d: dt.date | None) -> int:
    return d.toordinal() if d is not None else _NO_DATE


def _codes(values: Iterable[str | None], table: dict[str, int], dtype: str = "<i4") -> np.ndarray:
    """Positions in ``table`` (-1 for None)."""
    get = table.__getitem__
    return np.fromiter((-1 if v is None else get(v) for v in values), dtype=dtype)


def _table(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v is not None})


def write(path: Path, org: Organisation, tag: str) -> dict[str, Any]:
    """Write the big collections of ``org`` to ``path`` (fsynced), marked with ``tag`` (ASCII, at most 32
    characters, new for every write); answers the description for the store file.

    Nothing is built as a document: each column goes from the model's objects to an array."""
    roles = list(org.roles.values())
    people = list(org.people.values())
    assessments: Sequence[Assessment] = org.assessments
    ids = [a.id for a in assessments]
    if not all(map(operator.lt, ids, iter(ids[1:]))):           # the order the document reader gives
        assessments = sorted(assessments, key=operator.attrgetter("id"))
        ids = [a.id for a in assessments]
    reqs = [q for r in roles for q in r.requirements]
    evidence = [(n, e) for n, a in enumerate(assessments) if a.evidence for e in a.evidence]
    tables = {
        "competency": sorted({*org.competencies, *(q.competency_id for q in reqs),
                              *(a.competency_id for a in assessments)}),
        "family": _table(r.family_id for r in roles), "track": _table(r.track_id for r in roles),
        "level": _table(r.level_id for r in roles), "source": _SOURCES,
    }
    comp = {c: i for i, c in enumerate(tables["competency"])}
    role_at = {r.id: i for i, r in enumerate(roles)}
    person_at = {p.id: i for i, p in enumerate(people)}
    source = {Source(s): i for i, s in enumerate(_SOURCES)}
    notes = [(n, a.note) for n, a in enumerate(assessments) if a.note]
    columns: dict[str, Any] = {
        "role_id": [r.id for r in roles], "role_title": [r.title for r in roles],
        "role_description": [r.description for r in roles],
        "role_family": _codes((r.family_id for r in roles), {v: i for i, v in enumerate(tables["family"])}),
        "role_track": _codes((r.track_id for r in roles), {v: i for i, v in enumerate(tables["track"])}),
        "role_level": _codes((r.level_id for r in roles), {v: i for i, v in enumerate(tables["level"])}),
        "req_ptr": np.concatenate([[0], np.cumsum([len(r.requirements) for r in roles], dtype=np.int64)]),
        "req_competency": _codes((q.competency_id for q in reqs), comp),
        "req_level": np.fromiter((q.level for q in reqs), dtype="<i1", count=len(reqs)),
        "req_weight": np.fromiter((q.weight for q in reqs), dtype="<f8", count=len(reqs)),
        "req_essential": np.fromiter((q.essential for q in reqs), dtype="|u1", count=len(reqs)),
        "person_id": [p.id for p in people], "person_name": [p.name for p in people],
        "person_email": [p.email for p in people],
        "person_role": _codes((p.role_id for p in people), role_at),
        "person_since": np.fromiter((_ordinal(p.since) for p in people), dtype="<i4", count=len(people)),
        "person_manager": _codes((p.manager_id for p in people), person_at),
        "a_id": ids,
        "a_person": _codes(map(operator.attrgetter("person_id"), assessments), person_at),
        "a_competency": _codes(map(operator.attrgetter("competency_id"), assessments), comp),
        "a_level": np.fromiter(map(operator.attrgetter("level"), assessments), dtype="<i1", count=len(ids)),
        "a_source": np.fromiter(map(source.__getitem__, map(operator.attrgetter("source"), assessments)),
                                dtype="<i1", count=len(ids)),
        "a_at": _ordinals(map(operator.attrgetter("at"), assessments), len(ids)),
        "note_at": np.asarray([n for n, _ in notes], dtype="<i8"), "note_text": [t for _, t in notes],
        "ev_owner": np.asarray([n for n, _ in evidence], dtype="<i8"),
        "ev_kind": [e.kind for _, e in evidence], "ev_note": [e.note for _, e in evidence],
        "ev_at": np.asarray([_ordinal(e.at) for _, e in evidence], dtype="<i4"),
    }
    arrays: dict[str, dict[str, Any]] = {}
    with open(path, "wb") as fh:
        fh.write(_head(tag))
        for name, dtype in _ARRAYS.items():
            value = columns.pop(name)
            data = (json.dumps(value, ensure_ascii=False).encode("utf-8") if dtype == "json"
                    else np.ascontiguousarray(value, dtype=dtype).tobytes())
            fh.write(b"\0" * (-fh.tell() % 8))
            arrays[name] = {"dtype": dtype, "offset": fh.tell(), "bytes": len(data),
                            "count": len(value), "crc32": zlib.crc32(data)}
            fh.write(data)
            del value, data
        size = fh.tell()
        fh.flush()
        os.fsync(fh.fileno())
    return {"file": path.name, "tag": tag, "bytes": size, "tables": tables, "arrays": arrays}


def _head(tag: str) -> bytes:
    return MAGIC + tag.encode("ascii").ljust(32)[:32]


def _ordinals(dates: Iterable[dt.date], count: int) -> np.ndarray:
    return np.fromiter(map(dt.date.toordinal, dates), dtype="<i4", count=count)


# --- reading ---------------------------------------------------------------------------------------------

class _Damaged(Exception):
    """A side file that does not hold what the store file says; the message says what."""


def _fail(message: str) -> NoReturn:
    raise _Damaged(message)


def _load_arrays(path: Path, desc: dict[str, Any]) -> dict[str, Any]:
    """Each described array read and checked against its length and CRC-32."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) != desc["bytes"]:
        _fail(f"it is {len(data):,} bytes long, the store file says {desc['bytes']:,} (truncated or replaced?)")
    head = _head(str(desc["tag"]))
    if not data.startswith(head):
        _fail("it does not start with the columns header the store file names (another write's?)")
    view = memoryview(data)
    out: dict[str, Any] = {}
    for name, dtype in _ARRAYS.items():
        spec = desc["arrays"][name]
        if spec["dtype"] != dtype:
            _fail(f"{name}: dtype {spec['dtype']!r}, expected {dtype!r}")
        lo, n = int(spec["offset"]), int(spec["bytes"])
        if not len(head) <= lo <= lo + n <= len(data):
            _fail(f"{name}: bytes {lo}..{lo + n} are outside the file")
        chunk = view[lo:lo + n]
        if zlib.crc32(chunk) != spec["crc32"]:
            _fail(f"{name}: checksum mismatch (damaged)")
        if dtype == "json":
            value = json.loads(bytes(chunk).decode("utf-8"))
            if not isinstance(value, list) or not set(map(type, value)) <= {str}:
                _fail(f"{name}: not a list of strings")
        else:
            value = np.frombuffer(data, dtype=dtype, count=n // np.dtype(dtype).itemsize, offset=lo)
        if len(value) != spec["count"]:
            _fail(f"{name}: {len(value)} values, the store file says {spec['count']}")
        out[name] = value
    return out


def _lengths(*names: tuple[str, int], of: dict[str, Any]) -> None:
    for name, n in names:
        if len(of[name]) != n:
            _fail(f"{name}: {len(of[name])} values for {n} rows")


def _idents(name: str, values: list[str], unique: bool = True) -> None:
    """rules.identifier on a whole column: not empty, no whitespace, at most ID_MAX characters; unique."""
    if not values:
        return
    if not all(values) or max(map(len, values)) > rules.ID_MAX or _SPACE.search("".join(values)):
        bad = next(v for v in values if not v or len(v) > rules.ID_MAX or _SPACE.search(v))
        _fail(f"{name}: {bad[:60]!r} is not a usable id")
    if unique and len(set(values)) != len(values):
        _fail(f"{name}: duplicate ids")


def _texts(name: str, values: list[str], limit: int, required: bool) -> None:
    """rules.name / rules.text on a whole column: trimmed, within ``limit``, not empty if ``required``."""
    if not values:
        return
    if (required and not all(values)) or max(map(len, values)) > limit or list(map(str.strip, values)) != values:
        _fail(f"{name}: a value is empty, untrimmed or longer than {limit:,} characters")


def _codes_ok(name: str, codes: np.ndarray, size: int, optional: bool, valid: np.ndarray | None = None,
              rows: np.ndarray | None = None) -> None:
    """Codes index a table of ``size`` (-1 for none when ``optional``); ``valid`` marks the entries still there."""
    if rows is not None:
        codes = codes[rows]
    if len(codes) == 0:
        return
    if codes.min() < (-1 if optional else 0) or codes.max() >= size:
        _fail(f"{name}: a code out of range")
    if valid is not None:
        ok = np.append(valid, True)           # -1 (none) indexes the last entry
        if not ok[codes].all():
            raise BadInput(f"The store's journal leaves a reference without its target ({name}); nothing was changed.")


def _range(name: str, values: np.ndarray, low: float, high: float, rows: np.ndarray | None = None) -> None:
    if rows is not None:
        values = values[rows]
    if len(values) and not (np.isfinite(values).all() and values.min() >= low and values.max() <= high):
        _fail(f"{name}: a value outside {low:g}..{high:g}")


def _dates(name: str, ords: np.ndarray, required: bool) -> list[dt.date | None]:
    """The dates of a column of ordinals (0: none), each day one shared object."""
    if len(ords) == 0:
        return []
    given = ords[ords != _NO_DATE]
    if (required and len(given) != len(ords)) or (len(given) and (given.min() < _EARLIEST or given.max() > _LATEST)):
        _fail(f"{name}: a date missing or outside {rules.EARLIEST}..{rules.LATEST}")
    if not len(given):
        return [None] * len(ords)
    lo = int(given.min())
    table: list[dt.date | None] = [dt.date.fromordinal(o) for o in range(lo, int(given.max()) + 1)]
    table.append(None)                      # index -1
    index = np.where(ords == _NO_DATE, -1, ords.astype(np.int64) - lo)
    return list(map(table.__getitem__, index.tolist()))


_ASSESSMENT, _PERSON, _REQUIREMENT = unchecked(Assessment), unchecked(Person), unchecked(Requirement)


class _Kept:
    """Ids of a big collection after the journal: the file's, less those dropped, plus those put."""

    def __init__(self, base: Container[str], dropped: set[str], put: Container[str]) -> None:
        self.base, self.dropped, self.put = base, dropped, put

    def __contains__(self, key: object) -> bool:
        return key in self.put or (key in self.base and key not in self.dropped)


_GONE = object()


def _changes(lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, dict[Any, Any]],
                                                    dict[str, list[tuple[list[Any], list[Any]]]]]:
    """The journal lines without the big collections, the big collections' final rows (``_GONE`` when
    dropped last) and, per line, what was dropped and put in them (in order)."""
    small: list[dict[str, Any]] = []
    final: dict[str, dict[Any, Any]] = {k: {} for k in BIG}
    steps: dict[str, list[tuple[list[Any], list[Any]]]] = {k: [] for k in BIG}
    for line in lines:
        put, drop = dict(line.get("put", {})), dict(line.get("drop", {}))
        for k in BIG:
            gone, rows = drop.pop(k, []), put.pop(k, [])
            for key in gone:
                final[k][key] = _GONE
            for row in rows:
                final[k][row["id"]] = row
            if gone or rows:
                steps[k].append((list(gone), [row["id"] for row in rows]))
        small.append({**line, "put": put, "drop": drop})
    return small, final, steps


def read(path: Path, desc: dict[str, Any], small: dict[str, Any], lines: list[dict[str, Any]]) -> Organisation:
    """The organisation of a store file: its ``small`` document, the side file at ``path`` (described by
    ``desc``) and the journal ``lines`` since, checked as the document reader would check it.

    A side file that does not match its description is refused (:class:`BadInput` naming it)."""
    try:
        with no_gc():
            return _read(path, desc, small, lines)
    except _Damaged as exc:
        raise BadInput(f"The store's columns file {path} is damaged: {exc}; nothing was changed.") from None
    except FileNotFoundError:
        raise
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise BadInput(f"The store's columns file {path} cannot be read: {exc}; nothing was changed.") from None


def _read(path: Path, desc: dict[str, Any], small: dict[str, Any], lines: list[dict[str, Any]]) -> Organisation:
    c = _load_arrays(path, desc)
    tables = desc["tables"]
    comp_table, source_table = list(tables["competency"]), list(tables["source"])
    if source_table != _SOURCES:
        _fail(f"unknown assessment sources {source_table}")
    n_roles, n_people, n_a = len(c["role_id"]), len(c["person_id"]), len(c["a_id"])
    n_req = int(c["req_ptr"][-1]) if len(c["req_ptr"]) else -1
    _lengths(("role_title", n_roles), ("role_description", n_roles), ("role_family", n_roles),
             ("role_track", n_roles), ("role_level", n_roles), ("req_ptr", n_roles + 1),
             ("req_competency", n_req), ("req_level", n_req), ("req_weight", n_req), ("req_essential", n_req),
             ("person_name", n_people), ("person_email", n_people), ("person_role", n_people),
             ("person_since", n_people), ("person_manager", n_people),
             ("a_person", n_a), ("a_competency", n_a), ("a_level", n_a), ("a_source", n_a), ("a_at", n_a),
             ("note_text", len(c["note_at"])), ("ev_kind", len(c["ev_owner"])), ("ev_note", len(c["ev_owner"])),
             ("ev_at", len(c["ev_owner"])), of=c)
    role_ids, person_ids, a_ids = c["role_id"], c["person_id"], c["a_id"]
    _idents("role_id", role_ids)
    _idents("person_id", person_ids)
    _idents("a_id", a_ids, unique=False)
    if not all(map(operator.lt, a_ids, iter(a_ids[1:]))):
        _fail("a_id: assessment ids are not unique and in order")
    for t in ("competency", "family", "track", "level"):
        _idents(f"tables.{t}", list(tables[t]))
    if comp_table != sorted(comp_table):
        _fail("tables.competency: not in order")
    _texts("role_title", c["role_title"], rules.NAME_MAX, True)
    _texts("role_description", c["role_description"], rules.TEXT_MAX, False)
    _texts("person_name", c["person_name"], rules.NAME_MAX, True)
    _texts("person_email", c["person_email"], rules.TEXT_MAX, False)
    _texts("note_text", c["note_text"], rules.TEXT_MAX, True)
    _texts("ev_kind", c["ev_kind"], rules.NAME_MAX, True)
    _texts("ev_note", c["ev_note"], rules.TEXT_MAX, False)
    ptr = c["req_ptr"]
    if len(ptr) and (ptr[0] != 0 or (np.diff(ptr) < 0).any()):
        _fail("req_ptr: not a running count")
    for name, owners, size in (("note_at", c["note_at"], n_a), ("ev_owner", c["ev_owner"], n_a)):
        if len(owners) and (owners.min() < 0 or owners.max() >= size or (np.diff(owners) < 0).any()):
            _fail(f"{name}: not assessments in order")
    if len(c["note_at"]) and (np.diff(c["note_at"]) == 0).any():
        _fail("note_at: two notes for one assessment")
    # requirements within a role: competency codes strictly increasing (sorted by id, none twice)
    step = np.diff(c["req_competency"].astype(np.int64))
    first = np.zeros(max(n_req, 0), dtype=bool)
    first[ptr[:-1][np.diff(ptr) > 0]] = True
    if len(step) and (step[~first[1:]] <= 0).any():
        _fail("req_competency: a role's requirements are not sorted by competency or repeat one")

    # the small document with the journal's rows, checked by the document reader
    role_at = {rid: i for i, rid in enumerate(role_ids)}
    person_at = {pid: i for i, pid in enumerate(person_ids)}
    small_lines, final, steps = _changes(lines)
    mini = json.loads(json.dumps(small))           # journal.apply works in place
    journal.apply(mini, small_lines)
    for k in BIG:
        mini[k] = [row for row in final[k].values() if row is not _GONE]
    dropped = {k: {key for key, row in final[k].items() if row is _GONE} for k in BIG}
    kept_roles = _Kept(role_at, dropped["roles"], {r["id"] for r in mini["roles"]})
    kept_people = _Kept(person_at, dropped["people"], {p["id"] for p in mini["people"]})
    part = from_document(mini, outside={"roles": kept_roles, "people": kept_people})
    top = part.framework.max_level

    # the file's rows that the journal left alone, checked against what is there now
    touched = {k: set(final[k]) for k in BIG}
    role_rows = (np.asarray([rid not in touched["roles"] for rid in role_ids], dtype=bool)
                 if touched["roles"] else None)
    person_rows = (np.asarray([pid not in touched["people"] for pid in person_ids], dtype=bool)
                   if touched["people"] else None)
    a_rows: np.ndarray | None = None
    if touched["assessments"]:
        a_rows = np.ones(n_a, dtype=bool)
        for key in touched["assessments"]:
            pos = bisect.bisect_left(a_ids, key)
            if pos < n_a and a_ids[pos] == key:
                a_rows[pos] = False
    req_rows = None if role_rows is None else np.repeat(role_rows, np.diff(ptr))

    def present(table: list[str], known: Container[str]) -> np.ndarray:
        return np.asarray([t in known for t in table], dtype=bool)

    _codes_ok("role_family", c["role_family"], len(tables["family"]), True,
              present(tables["family"], part.families), role_rows)
    _codes_ok("role_track", c["role_track"], len(tables["track"]), True, present(tables["track"], part.tracks), role_rows)
    _codes_ok("role_level", c["role_level"], len(tables["level"]), True, present(tables["level"], part.levels), role_rows)
    comp_ok = present(comp_table, part.competencies)
    _codes_ok("req_competency", c["req_competency"], len(comp_table), False, comp_ok, req_rows)
    _range("req_level", c["req_level"], 1, top, req_rows)
    _range("req_weight", c["req_weight"], np.nextafter(0, 1), rules.WEIGHT_MAX, req_rows)
    _range("req_essential", c["req_essential"], 0, 1, req_rows)
    role_ok = present(role_ids, kept_roles) if lines else None
    person_ok = present(person_ids, kept_people) if lines else None
    _codes_ok("person_role", c["person_role"], n_roles, True, role_ok, person_rows)
    _codes_ok("person_manager", c["person_manager"], n_people, True, person_ok, person_rows)
    _codes_ok("a_person", c["a_person"], n_people, False, person_ok, a_rows)
    _codes_ok("a_competency", c["a_competency"], len(comp_table), False, comp_ok, a_rows)
    _range("a_level", c["a_level"], 0, top, a_rows)
    _codes_ok("a_source", c["a_source"], len(_SOURCES), False)
    since, days, ev_at = _dates("person_since", c["person_since"], False), _dates("a_at", c["a_at"], True), \
        _dates("ev_at", c["ev_at"], False)

    # the model's objects, straight from the columns
    comp_of = comp_table.__getitem__
    reqs = list(map(_REQUIREMENT, map(comp_of, c["req_competency"].tolist()), c["req_level"].tolist(),
                    c["req_weight"].tolist(), (c["req_essential"] != 0).tolist()))
    bounds = ptr.tolist()
    fam, trk, lvl = ([*tables[t], None] for t in ("family", "track", "level"))
    roles = {rid: Role(rid, title, fam[f], trk[t], lvl[lv], desc, tuple(reqs[bounds[i]:bounds[i + 1]]))
             for i, (rid, title, desc, f, t, lv) in enumerate(zip(
                 role_ids, c["role_title"], c["role_description"], c["role_family"].tolist(),
                 c["role_track"].tolist(), c["role_level"].tolist()))}
    del reqs
    role_or_none, person_or_none = [*role_ids, None], [*person_ids, None]
    people = dict(zip(person_ids, map(_PERSON, person_ids, c["person_name"], c["person_email"],
                                      map(role_or_none.__getitem__, c["person_role"].tolist()), since,
                                      map(person_or_none.__getitem__, c["person_manager"].tolist()))))
    notes: list[str] = [""] * n_a
    for n, text in zip(c["note_at"].tolist(), c["note_text"]):
        notes[n] = text
    evidence: list[tuple[Evidence, ...]] = [()] * n_a
    owners = c["ev_owner"].tolist()
    for n, kind, note, day in zip(owners, c["ev_kind"], c["ev_note"], ev_at):
        evidence[n] = (*evidence[n], Evidence(kind, note, day))
    sources = [Source(s) for s in _SOURCES]
    build = _ASSESSMENT
    assessments: list[Assessment] = []
    for lo in range(0, n_a, _CHUNK):       # a chunk at a time: the columns' Python lists stay small
        hi = lo + _CHUNK
        assessments.extend(map(
            build, a_ids[lo:hi], map(person_ids.__getitem__, c["a_person"][lo:hi].tolist()),
            map(comp_of, c["a_competency"][lo:hi].tolist()), c["a_level"][lo:hi].tolist(),
            map(sources.__getitem__, c["a_source"][lo:hi].tolist()), days[lo:hi], notes[lo:hi], evidence[lo:hi]))
    del notes, evidence, days

    # the journal's rows of the big collections, in the order the document reader would give them
    up = c["person_manager"]
    if lines:
        pairs: list[tuple[dict[str, Any], Any, list[tuple[list[Any], list[Any]]]]] = [
            (roles, part.roles, steps["roles"]), (people, part.people, steps["people"])]
        for objects, built, changes in pairs:
            for gone, put in changes:            # as journal.apply: drops, then puts (a new key goes last)
                for key in gone:
                    objects.pop(key, None)
                for key in put:
                    objects[key] = built[key] if key in built else _GONE
        if touched["assessments"]:
            assert a_rows is not None
            assessments = _merge(assessments, a_ids, a_rows, part.assessments)
        if touched["people"]:
            person_ids = list(people)
            where = {pid: i for i, pid in enumerate(person_ids)}.get
            up = np.fromiter((-1 if p.manager_id is None else where(p.manager_id, -1) for p in people.values()),
                             dtype=np.int64, count=len(people))
    del c
    _no_cycles(person_ids, up)
    return Organisation(part.framework, part.competencies, part.indicators, part.families, part.tracks,
                        part.levels, roles, part.moves, people, tuple(assessments), part.resources, part.plans,
                        part.nominations, part.interests)


def _merge(base: list[Assessment], ids: list[str], keep: np.ndarray,
           added: Sequence[Assessment]) -> list[Assessment]:
    """``base`` (sorted by id) without the rows not kept, with ``added`` (sorted by id) in their places."""
    events = sorted([(bisect.bisect_left(ids, a.id), 0, a) for a in added]
                    + [(int(p), 1, None) for p in np.flatnonzero(~keep)], key=lambda e: (e[0], e[1]))
    out: list[Assessment] = []
    prev = 0
    for pos, kind, a in events:
        out.extend(base[prev:pos])
        if kind == 0:
            assert a is not None
            out.append(a)
            prev = pos
        else:
            prev = pos + 1
    out.extend(base[prev:])
    return out


def _no_cycles(ids: list[str], up: np.ndarray) -> None:
    """Nobody manages themselves, directly or through others: ``up`` holds each person's manager (a position
    in ``ids``, -1 for none). Pointer doubling: after k rounds ``jump`` is the 2**k-th manager up the chain;
    a chain still going after more steps than there are people has gone round a cycle."""
    jump = up.astype(np.int64)
    for _ in range(len(ids).bit_length() + 1):
        if (jump < 0).all():
            return
        jump = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
    if (jump < 0).all():
        return
    node = int(jump[np.flatnonzero(jump >= 0)[0]])      # that far up, the chain is on the cycle
    cycle = [ids[node]]
    nxt = int(up[node])
    while nxt != node:
        cycle.append(ids[nxt])
        nxt = int(up[nxt])
    raise BadInput("The store has a reporting cycle; nothing was changed.",
                   ["people: reporting cycle: " + " -> ".join([*cycle, cycle[0]])])
