"""An organisation as a folder of CSV spreadsheets, the way HR keeps it.

Every file is UTF-8 (a byte-order mark is accepted) with a header row. Only
``framework.csv`` is required; a missing file means "none of those" (a missing
``scale.csv`` means the default five-level scale).

==================  ===========================================================
file                columns (*optional*)
==================  ===========================================================
framework.csv       key, value — keys ``id``, ``name``, ``version``, ``validity_days``
scale.csv           level, name, *description*
competencies.csv    id, name, category (TECHNICAL|BEHAVIOURAL|LEADERSHIP|KNOWLEDGE), *description*
indicators.csv      competency, level, text — one row per indicator, in order
families.csv        id, name
tracks.csv          id, name
levels.csv          id, name, *rank* (without the column: the row's position 1, 2, ...)
roles.csv           id, title, *description*, *family*, *track*, *level*
requirements.csv    role, then one column per competency id (the matrix, see below)
moves.csv           from, to, kind (PROGRESSES_TO|CAN_MOVE_TO)
people.csv          id, name, *email*, *role*, *since* (2026-03-31), *manager*
assessments.csv     id, person, competency, level, source (SELF|PEER|MANAGER|ASSESSED), at, *note*
evidence.csv        assessment, kind, *note*, *at* — evidence of assessments, in order
resources.csv       id, title, kind (COURSE|MENTORING|...), hours, *url*
develops.csv        resource, competency, from, to — what a resource develops, in order
==================  ===========================================================

**The requirements matrix.** ``requirements.csv`` has one row per role and one
column per competency; a cell says what the role requires of that competency:

=========  ==================================================
cell       means
=========  ==================================================
(empty)    not required (so is ``0``)
``3``      level 3, weight 1, not essential
``3*``     level 3, essential
``3@1.5``  level 3, weight 1.5
``3*@2``   level 3, essential, weight 2
=========  ==================================================

A role's requirements are read in column order. Names of enumerations are read
case-insensitively; ids, numbers and dates may carry stray spaces.

**Problems.** :func:`read_folder` checks everything and raises
:class:`graph.errors.BadInput` listing *every* problem by file, line and column
(``requirements.csv line 7, column data-modelling: '9' is not a level 0..5``).
Columns are checked first: when a required column is missing, rows are not
checked (every row would fail). Cross-row checks (unknown ids, duplicates,
reporting cycles, moves to self) are those of :func:`graph.document.from_document`,
mapped back to the file and line they came from.

>>> import tempfile
>>> from graph.seeds import sample_organisation
>>> with tempfile.TemporaryDirectory() as folder:
...     write_folder(sample_organisation(), folder)
...     org = read_folder(folder)
>>> org.counts() == sample_organisation().counts()
True
>>> parse_cell("3*@1.5", top=5)
(3, True, 1.5)
>>> format_cell(3, essential=True, weight=1.5)
'3*@1.5'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from ..document import from_document
from .. import rules
from ..errors import BadInput
from ..progress import Progress
from ..model import Category, MoveKind, Organisation, ResourceKind, Source

__all__ = ["SHEETS", "Progress", "read_folder", "write_folder", "parse_cell", "format_cell", "quote_cell",
           "unquote_cell"]


_EVERY = 1000  # rows between two progress calls


@dataclass(frozen=True)
class Sheet:
    """One CSV file: its columns in the order they are written, and those that must be present."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


SHEETS: tuple[Sheet, ...] = (
    Sheet("framework.csv", ("key", "value"), ("key", "value")),
    Sheet("scale.csv", ("level", "name", "description"), ("level", "name")),
    Sheet("competencies.csv", ("id", "name", "category", "description"), ("id", "name", "category")),
    Sheet("indicators.csv", ("competency", "level", "text"), ("competency", "level", "text")),
    Sheet("families.csv", ("id", "name"), ("id", "name")),
    Sheet("tracks.csv", ("id", "name"), ("id", "name")),
    Sheet("levels.csv", ("id", "name", "rank"), ("id", "name")),
    Sheet("roles.csv", ("id", "title", "description", "family", "track", "level"), ("id", "title")),
    Sheet("requirements.csv", ("role",), ("role",)),
    Sheet("moves.csv", ("from", "to", "kind"), ("from", "to", "kind")),
    Sheet("people.csv", ("id", "name", "email", "role", "since", "manager"), ("id", "name")),
    Sheet("assessments.csv", ("id", "person", "competency", "level", "source", "at", "note"),
          ("id", "person", "competency", "level", "source", "at")),
    Sheet("evidence.csv", ("assessment", "kind", "note", "at"), ("assessment", "kind")),
    Sheet("resources.csv", ("id", "title", "kind", "hours", "url"), ("id", "title", "kind", "hours")),
    Sheet("develops.csv", ("resource", "competency", "from", "to"), ("resource", "competency", "from", "to")),
)
"""Every file the folder may hold, in the order they are read and reported."""

_BY_NAME = {s.name: s for s in SHEETS}
_ORDER = {s.name: i for i, s in enumerate(SHEETS)}
_FRAMEWORK_KEYS = ("id", "name", "version", "validity_days")
_MOVE_KEYS = {MoveKind.PROGRESSES_TO: "progresses_to", MoveKind.CAN_MOVE_TO: "can_move_to"}
_CELL = re.compile(r"\s*(\d+)\s*(\*?)\s*(?:@\s*(\S+))?\s*")


# ----------------------------------------------------------------- the cell syntax

def parse_cell(cell: str, top: int) -> tuple[int, bool, float] | None:
    """A requirements-matrix cell as ``(level, essential, weight)``; ``None`` when not required.

    Raises :class:`ValueError` with a message that quotes the cell.

    >>> parse_cell("", 5) is None and parse_cell("0", 5) is None
    True
    >>> parse_cell("3", 5), parse_cell("2*", 5), parse_cell("4@0.5", 5)
    ((3, False, 1.0), (2, True, 1.0), (4, False, 0.5))
    >>> parse_cell("9", 5)
    Traceback (most recent call last):
    ...
    ValueError: '9' is not a level 0..5
    """
    text = cell.strip()
    if not text:
        return None
    m = _CELL.fullmatch(text)
    if m is None:
        if _is_number(text):
            raise ValueError(f"'{cell}' is not a level 0..{top}")
        raise ValueError(f"'{cell}' is not a requirement: write a level like 3, 3*, 3@1.5 or 3*@2")
    level, star, weight_text = int(m.group(1)), m.group(2) == "*", m.group(3)
    if level > top:
        raise ValueError(f"'{cell}' is not a level 0..{top}")
    weight = 1.0
    if weight_text is not None:
        try:
            weight = float(weight_text)
        except ValueError:
            weight = math.nan
        if not (math.isfinite(weight) and weight > 0):
            raise ValueError(f"'{cell}': the weight after @ must be a positive number")
    if level == 0:
        if star or weight_text is not None:
            raise ValueError(f"'{cell}': level 0 means not required; it cannot be essential or weighted")
        return None
    return level, star, weight


def format_cell(level: int, essential: bool = False, weight: float = 1.0) -> str:
    """The inverse of :func:`parse_cell`.

    >>> format_cell(3), format_cell(3, True), format_cell(3, False, 2.0)
    ('3', '3*', '3@2')
    """
    return f"{level}{'*' if essential else ''}{'' if weight == 1.0 else '@' + _num(weight)}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _num(x: float) -> str:
    """A number as short text that reads back to the same float: ``12`` not ``12.0``."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


# ----------------------------------------------------------------------- reading

@dataclass(frozen=True)
class _Row:
    sheet: str
    line: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class _Origin:
    sheet: str
    line: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class _Table:
    sheet: str
    header: tuple[str, ...]
    rows: tuple[_Row, ...]


class _Reader:
    """Reads the files of one folder, collecting problems with their file, line and column."""

    def __init__(self, folder: Path, progress: Progress | None) -> None:
        self.folder = folder
        self.progress = progress
        self.problems: list[tuple[int, int, int, str]] = []
        self.origins: dict[str, _Origin] = {}
        self.top = 5

    # -- problems and where document paths came from

    def fail(self, sheet: str, line: int | None, column: str | None, message: str) -> None:
        where = sheet + (f" line {line}" if line else "") + (f", column {column}" if column else "")
        self.problems.append((_ORDER.get(sheet, -1), line or 0, len(self.problems), f"{where}: {message}"))

    def origin(self, path: str, row: _Row | None, column: str | None = None, sheet: str | None = None) -> None:
        self.origins[path] = _Origin(row.sheet if row else str(sheet), row.line if row else None, column)

    def relay(self, problem: str) -> None:
        """Report a problem of :func:`from_document` at the file, line and column its path came from."""
        path, _, message = problem.partition(": ")
        tail: list[str] = []
        node = path
        while node and node not in self.origins:
            m = re.fullmatch(r"(.*?)(?:\.([^.\[\]]+)|\[(\d+)\])", node)
            if m is None:
                break
            node = m.group(1)
            tail.insert(0, m.group(2) or f"[{m.group(3)}]")
        found = self.origins.get(node)
        if found is None:
            self.problems.append((len(SHEETS), 0, len(self.problems), problem))
            return
        column = found.column or (tail[0] if tail and not tail[0].startswith("[") else None)
        self.fail(found.sheet, found.line, column, message)

    # -- files

    def load(self, sheet: Sheet) -> _Table | None:
        path = self.folder / sheet.name
        if not path.is_file():
            return None
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            self.fail(sheet.name, None, None, f"is not UTF-8 text (byte {exc.start} cannot be read)")
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        records: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for cells in reader:
                records.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as exc:
            self.fail(sheet.name, start, None, f"is not valid CSV: {exc}")
            return None
        if not records or not any(c.strip() for c in records[0][1]):
            self.fail(sheet.name, 1, None, "the first line must be a header: " + ", ".join(sheet.columns))
            return None
        header = [c.strip() for c in records[0][1]]
        while header and not header[-1]:
            header.pop()
        rows = []
        for line, cells in records[1:]:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                self.fail(sheet.name, line, None, f"has {len(cells)} cells but the header has {len(header)} columns")
            rows.append(_Row(sheet.name, line, dict(zip(header, map(unquote_cell, cells)))))
        return _Table(sheet.name, tuple(header), tuple(rows))

    def check_header(self, table: _Table) -> bool:
        """Report duplicate, unknown and missing columns; False when a required one is missing."""
        sheet = _BY_NAME[table.sheet]
        seen: set[str] = set()
        for column in table.header:
            if column in seen:
                self.fail(table.sheet, 1, column, "the column appears twice")
            elif column not in sheet.columns:
                self.fail(table.sheet, 1, column or "(empty)",
                          "unknown column (expected " + ", ".join(sheet.columns) + ")")
            seen.add(column)
        missing = [c for c in sheet.required if c not in seen]
        for column in missing:
            self.fail(table.sheet, 1, None, f"missing column '{column}'")
        return not missing

    def rows(self, table: _Table | None) -> Iterable[_Row]:
        if table is None:
            return
        total = len(table.rows)
        for done, row in enumerate(table.rows):
            if self.progress and done % _EVERY == 0:
                self.progress(table.sheet, done, total)
            yield row
        if self.progress:
            self.progress(table.sheet, total, total)

    # -- cells

    def ident(self, row: _Row, column: str, required: bool = True) -> str | None:
        value = row.get(column).strip()
        if not value:
            if required:
                self.fail(row.sheet, row.line, column, "is required")
            return None
        return value

    def integer(self, row: _Row, column: str, default: int, low: int = 0) -> int:
        raw = row.get(column).strip()
        try:
            value = int(raw)
        except ValueError:
            self.fail(row.sheet, row.line, column, f"'{raw}' is not a whole number" if raw else "is required")
            return default
        if value < low:
            self.fail(row.sheet, row.line, column, f"'{raw}' must be at least {low}")
            return default
        return value

    def level(self, row: _Row, column: str, low: int) -> int:
        raw = row.get(column).strip()
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if not low <= value <= self.top:
            self.fail(row.sheet, row.line, column,
                      f"'{raw}' is not a level {low}..{self.top}" if raw else "is required")
            return low
        return value

    def number(self, row: _Row, column: str, default: float) -> float:
        raw = row.get(column).strip()
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value >= 0):
            self.fail(row.sheet, row.line, column,
                      f"'{raw}' is not a number of at least 0" if raw else "is required")
            return default
        return value

    def date(self, row: _Row, column: str, required: bool) -> dt.date | None:
        raw = row.get(column).strip()
        if not raw:
            if required:
                self.fail(row.sheet, row.line, column, "is required")
            return None
        try:
            return rules.date(raw)
        except rules.FieldError as exc:
            self.fail(row.sheet, row.line, column, f"'{raw}' is not a date like 2026-03-31"
                      if "like" in exc.message else exc.message)
            return None

    def enum(self, row: _Row, column: str, kind: type[Enum], default: Enum | None = None) -> Any:
        raw = row.get(column).strip()
        if not raw and default is not None:
            return default.value
        try:
            return kind(raw.upper()).value
        except ValueError:
            names = "|".join(str(m.value) for m in kind)
            self.fail(row.sheet, row.line, column, f"'{raw}' is not one of {names}" if raw else "is required")
            return next(iter(kind)).value


def read_folder(path: str | Path, progress: Progress | None = None) -> Organisation:
    """Read a folder of CSV files into an organisation.

    Raises :class:`BadInput` listing every problem by file, line and column; the cross-row
    checks are :func:`graph.document.from_document`'s, whose organisation is the answer.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder of CSV files.", [f"{folder}: is not a folder"])
    r = _Reader(folder, progress)
    names = {s.name for s in SHEETS}
    for extra in sorted(p.name for p in folder.glob("*.csv") if p.name not in names):
        r.fail(extra, None, None, "unknown file (expected " + ", ".join(s.name for s in SHEETS) + ")")
    tables = {s.name: r.load(s) for s in SHEETS}
    if tables["framework.csv"] is None and not (folder / "framework.csv").exists():
        r.fail("framework.csv", None, None, "the file is missing: it names the framework (keys id and name)")
    complete = all([r.check_header(t) for name, t in tables.items() if t and name != "requirements.csv"])
    req = tables["requirements.csv"]
    if req is not None and req.header[0] != "role":
        r.fail(req.sheet, 1, None, "the first column must be 'role', then one column per competency id")
        complete = False
    if not complete:
        _raise(r)
    doc = _document(r, tables)
    if progress:
        progress("checking", 0, 1)
    org = None
    try:
        org = from_document(doc)
    except BadInput as exc:
        for problem in exc.problems:
            r.relay(problem)
    if progress:
        progress("checking", 1, 1)
    if r.problems or org is None:
        _raise(r)
    return org


def _raise(r: _Reader) -> NoReturn:
    problems = list(dict.fromkeys(text for *_, text in sorted(r.problems)))
    n = len(problems)
    raise BadInput(f"The CSV folder has {n} problem{'s' if n > 1 else ''}; nothing was changed. "
                   f"First: {problems[0]}", problems)


def _document(r: _Reader, t: Mapping[str, _Table | None]) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    r.origin("framework", None, sheet="framework.csv")
    fw: dict[str, Any] = {}
    for row in r.rows(t["framework.csv"]):
        key = row.get("key").strip()
        if key not in _FRAMEWORK_KEYS:
            r.fail(row.sheet, row.line, "key", f"'{key}' is not one of " + ", ".join(_FRAMEWORK_KEYS))
        elif key in fw:
            r.fail(row.sheet, row.line, "key", f"'{key}' appears twice")
        elif key == "validity_days":
            fw[key] = r.integer(row, "value", 365, low=1)
        else:
            fw[key] = row.get("value").strip() if key == "id" else row.get("value")
        r.origin(f"framework.{key}", row, "value")
    for key in ("id", "name"):
        if key not in fw:
            if t["framework.csv"] is not None:
                r.fail("framework.csv", None, None, f"missing the row with key '{key}'")
            fw[key] = "?"  # reported: keeps from_document from reporting it again
    doc["framework"] = fw

    r.origin("scale", None, sheet="scale.csv")
    scale: list[dict[str, Any]] = []
    for row in r.rows(t["scale.csv"]):
        r.origin(f"scale[{len(scale)}]", row)
        scale.append({"level": r.integer(row, "level", len(scale) + 1, low=1), "name": row.get("name"),
                      "description": row.get("description")})
    doc["scale"] = scale
    r.top = len(scale) or 5

    r.origin("competencies", None, sheet="competencies.csv")
    comps: dict[str, dict[str, Any]] = {}
    doc["competencies"] = []
    for row in r.rows(t["competencies.csv"]):
        r.origin(f"competencies[{len(doc['competencies'])}]", row)
        comp = {"id": r.ident(row, "id", required=False) or "", "name": row.get("name"),
                "category": r.enum(row, "category", Category), "description": row.get("description"),
                "indicators": {}}
        doc["competencies"].append(comp)
        comps.setdefault(comp["id"], comp)
    for row in r.rows(t["indicators.csv"]):
        before = len(r.problems)
        cid = r.ident(row, "competency")
        level = r.level(row, "level", 1)
        if not row.get("text").strip():
            r.fail(row.sheet, row.line, "text", "is required")
        if cid is not None and cid not in comps:
            r.fail(row.sheet, row.line, "competency", f"unknown competency '{cid}'")
        if cid is not None and len(r.problems) == before:
            comps[cid]["indicators"].setdefault(level, []).append(row.get("text"))

    for key in ("families", "tracks", "levels"):
        r.origin(key, None, sheet=f"{key}.csv")
        items: list[dict[str, Any]] = []
        doc[key] = items
        table = t[f"{key}.csv"]
        for row in r.rows(table):
            r.origin(f"{key}[{len(items)}]", row)
            item: dict[str, Any] = {"id": r.ident(row, "id", required=False) or "", "name": row.get("name")}
            if key == "levels":
                has_rank = table is not None and "rank" in table.header
                item["rank"] = r.integer(row, "rank", 0) if has_rank else len(items) + 1
            items.append(item)

    r.origin("roles", None, sheet="roles.csv")
    roles: dict[str, dict[str, Any]] = {}
    doc["roles"] = []
    for row in r.rows(t["roles.csv"]):
        path = f"roles[{len(doc['roles'])}]"
        r.origin(path, row)
        role: dict[str, Any] = {"id": r.ident(row, "id", required=False) or "", "title": row.get("title"),
                "description": row.get("description"), "family": r.ident(row, "family", False),
                "track": r.ident(row, "track", False), "level": r.ident(row, "level", False),
                "requires": [], "_path": path}
        doc["roles"].append(role)
        roles.setdefault(role["id"], role)
    _requirements(r, t["requirements.csv"], comps, roles)
    for role in doc["roles"]:
        del role["_path"]

    _moves(r, t["moves.csv"], doc)
    _resources(r, t["resources.csv"], t["develops.csv"], doc)

    r.origin("people", None, sheet="people.csv")
    doc["people"] = []
    for row in r.rows(t["people.csv"]):
        r.origin(f"people[{len(doc['people'])}]", row)
        doc["people"].append({"id": r.ident(row, "id", required=False) or "", "name": row.get("name"),
                              "email": row.get("email").strip(), "role": r.ident(row, "role", False),
                              "since": r.date(row, "since", required=False),
                              "manager": r.ident(row, "manager", False)})

    _assessments(r, t["assessments.csv"], t["evidence.csv"], doc)
    return doc


def _requirements(r: _Reader, table: _Table | None, comps: Mapping[str, Any],
                  roles: Mapping[str, dict[str, Any]]) -> None:
    if table is None:
        return
    columns: list[str] = []
    for column in table.header[1:]:
        if column in columns:
            r.fail(table.sheet, 1, column, "the column appears twice")
        elif column not in comps:
            r.fail(table.sheet, 1, column or "(empty)", f"unknown competency '{column}'")
        else:
            columns.append(column)
    seen: dict[str, int] = {}
    for row in r.rows(table):
        rid = r.ident(row, "role")
        if rid is None:
            continue
        if rid not in roles:
            r.fail(row.sheet, row.line, "role", f"unknown role '{rid}'")
            continue
        if rid in seen:
            r.fail(row.sheet, row.line, "role", f"role '{rid}' already has a row (line {seen[rid]})")
            continue
        seen[rid] = row.line
        role = roles[rid]
        for column in columns:
            try:
                parsed = parse_cell(row.get(column), r.top)
            except ValueError as exc:
                r.fail(row.sheet, row.line, column, str(exc))
                continue
            if parsed is not None:
                level, essential, weight = parsed
                r.origin(f"{role['_path']}.requires[{len(role['requires'])}]", row, column)
                role["requires"].append({"competency": column, "level": level, "weight": weight,
                                         "essential": essential})


def _moves(r: _Reader, table: _Table | None, doc: dict[str, Any]) -> None:
    r.origin("moves", None, sheet="moves.csv")
    moves: dict[str, list[list[str]]] = {key: [] for key in _MOVE_KEYS.values()}
    seen: dict[tuple[str, str, str], int] = {}
    for row in r.rows(table):
        before = len(r.problems)
        a, b = r.ident(row, "from"), r.ident(row, "to")
        key = _MOVE_KEYS[MoveKind(r.enum(row, "kind", MoveKind))]
        if a is None or b is None or len(r.problems) > before:
            continue
        if (a, b, key) in seen:
            r.fail(row.sheet, row.line, None, f"the same move as line {seen[a, b, key]}")
            continue
        seen[a, b, key] = row.line
        path = f"moves.{key}[{len(moves[key])}]"
        r.origin(path, row)
        r.origin(f"{path}[0]", row, "from")
        r.origin(f"{path}[1]", row, "to")
        moves[key].append([a, b])
    doc["moves"] = moves


def _resources(r: _Reader, table: _Table | None, develops: _Table | None, doc: dict[str, Any]) -> None:
    r.origin("resources", None, sheet="resources.csv")
    doc["resources"] = []
    by_id: dict[str, tuple[str, dict[str, Any]]] = {}
    for row in r.rows(table):
        path = f"resources[{len(doc['resources'])}]"
        r.origin(path, row)
        res = {"id": r.ident(row, "id", required=False) or "", "title": row.get("title"),
               "kind": r.enum(row, "kind", ResourceKind), "hours": r.number(row, "hours", 1.0),
               "url": row.get("url").strip(), "develops": []}
        doc["resources"].append(res)
        by_id.setdefault(res["id"], (path, res))
    for row in r.rows(develops):
        before = len(r.problems)
        rid, cid = r.ident(row, "resource"), r.ident(row, "competency")
        lo, hi = r.level(row, "from", 0), r.level(row, "to", 1)
        if rid is not None and rid not in by_id:
            r.fail(row.sheet, row.line, "resource", f"unknown resource '{rid}'")
        if rid is not None and len(r.problems) == before:
            path, res = by_id[rid]
            r.origin(f"{path}.develops[{len(res['develops'])}]", row)
            res["develops"].append({"competency": cid, "from": lo, "to": hi})


def _assessments(r: _Reader, table: _Table | None, evidence: _Table | None, doc: dict[str, Any]) -> None:
    r.origin("assessments", None, sheet="assessments.csv")
    doc["assessments"] = []
    by_id: dict[str, tuple[str, dict[str, Any]]] = {}
    for row in r.rows(table):
        path = f"assessments[{len(doc['assessments'])}]"
        r.origin(path, row)
        item = {"id": r.ident(row, "id", required=False) or "", "person": r.ident(row, "person"),
                "competency": r.ident(row, "competency"), "level": r.level(row, "level", 0),
                "source": r.enum(row, "source", Source),
                "at": r.date(row, "at", required=True) or rules.EARLIEST, "note": row.get("note"), "evidence": []}
        doc["assessments"].append(item)
        by_id.setdefault(item["id"], (path, item))
    for row in r.rows(evidence):
        before = len(r.problems)
        aid, kind = r.ident(row, "assessment"), r.ident(row, "kind")
        at = r.date(row, "at", required=False)
        if aid is not None and aid not in by_id:
            r.fail(row.sheet, row.line, "assessment", f"unknown assessment '{aid}'")
        if aid is not None and kind is not None and len(r.problems) == before:
            path, item = by_id[aid]
            r.origin(f"{path}.evidence[{len(item['evidence'])}]", row)
            item["evidence"].append({"kind": kind, "note": row.get("note"), "at": at})


# ----------------------------------------------------------------------- writing

_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def quote_cell(text: str) -> str:
    """A cell a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+cmd``, ``@SUM``) gets a leading
    ``'``, which spreadsheets show as text; :func:`unquote_cell` takes it off again, so the round trip is lossless.

    >>> quote_cell("=1+1"), quote_cell("'=1+1"), quote_cell("3*@1.5"), unquote_cell(quote_cell("'=1+1"))
    ("'=1+1", "''=1+1", '3*@1.5', "'=1+1")
    """
    return "'" + text if _FORMULA.match(text) else text


def unquote_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA.match(text) else text


def write_folder(org: Organisation, path: str | Path, progress: Progress | None = None) -> None:
    """Write ``org`` as a folder of CSV files (created if needed; the files are overwritten).

    Every file is written, with its header even when it has no rows, so that a
    file left over from an earlier export cannot leak into the next import.
    ``read_folder`` of the result gives back an equal organisation (up to the
    order of each role's requirements, which the matrix reads in column order).
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, rows in _tables(org):
        total = len(rows)
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            for done in range(0, total, _EVERY):
                if progress:
                    progress(name, done, total)
                writer.writerows([[quote_cell(c) for c in row] for row in rows[done:done + _EVERY]])
        if progress:
            progress(name, total, total)


def _tables(org: Organisation) -> list[tuple[str, tuple[str, ...], list[list[str]]]]:
    fw = org.framework
    cols = {s.name: s.columns for s in SHEETS}
    comp_ids = list(org.competencies)

    def opt(x: str | None) -> str:
        return "" if x is None else x

    def day(d: dt.date | None) -> str:
        return d.isoformat() if d else ""

    requirements = []
    for role in org.roles.values():
        cells = {q.competency_id: format_cell(q.level, q.essential, q.weight) for q in role.requirements}
        requirements.append([role.id, *(cells.get(c, "") for c in comp_ids)])
    tables: dict[str, list[list[str]]] = {
        "framework.csv": [["id", fw.id], ["name", fw.name], ["version", fw.version],
                          ["validity_days", str(fw.validity_days)]],
        "scale.csv": [[str(s.level), s.name, s.description] for s in fw.scale],
        "competencies.csv": [[c.id, c.name, c.category.value, c.description] for c in org.competencies.values()],
        "indicators.csv": [[i.competency_id, str(i.level), i.text] for i in org.indicators],
        "families.csv": [[f.id, f.name] for f in org.families.values()],
        "tracks.csv": [[t.id, t.name] for t in org.tracks.values()],
        "levels.csv": [[lv.id, lv.name, str(lv.rank)] for lv in org.levels.values()],
        "roles.csv": [[r.id, r.title, r.description, opt(r.family_id), opt(r.track_id), opt(r.level_id)]
                      for r in org.roles.values()],
        "requirements.csv": requirements,
        "moves.csv": [[m.source, m.target, m.kind.value] for m in org.moves],
        "people.csv": [[p.id, p.name, p.email, opt(p.role_id), day(p.since), opt(p.manager_id)]
                       for p in org.people.values()],
        "assessments.csv": [[a.id, a.person_id, a.competency_id, str(a.level), a.source.value, day(a.at), a.note]
                            for a in org.assessments],
        "evidence.csv": [[a.id, e.kind, e.note, day(e.at)] for a in org.assessments for e in a.evidence],
        "resources.csv": [[r.id, r.title, r.kind.value, _num(r.hours), r.url] for r in org.resources.values()],
        "develops.csv": [[r.id, d.competency_id, str(d.from_level), str(d.to_level)]
                         for r in org.resources.values() for d in r.develops],
    }
    header = {**cols, "requirements.csv": ("role", *comp_ids)}
    return [(s.name, header[s.name], tables[s.name]) for s in SHEETS]
