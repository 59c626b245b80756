"""CSV folders: lossless round trips, the requirement cell syntax, every problem by file and line."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.document import from_document
from graph.errors import BadInput
from graph.formats.csvsheets import SHEETS, format_cell, parse_cell, read_folder, write_folder
from graph.generate import generate
from graph.model import Organisation
from graph.seeds import sample_organisation

from ..conftest import tiny_document


def _requirements_sorted(org: Organisation) -> Organisation:
    """The matrix reads a role's requirements in column order: compare them as sets."""
    roles = {k: dataclasses.replace(r, requirements=tuple(sorted(r.requirements, key=lambda q: q.competency_id)))
             for k, r in org.roles.items()}
    return dataclasses.replace(org, roles=roles)


def _round_trip(org: Organisation, folder: Path) -> Organisation:
    write_folder(org, folder)
    return read_folder(folder)


def _edit(folder: Path, name: str, change: Callable[[list[list[str]]], None]) -> None:
    with open(folder / name, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    with open(folder / name, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _problems(folder: Path) -> list[str]:
    with pytest.raises(BadInput) as err:
        read_folder(folder)
    assert err.value.code == "BAD_INPUT"
    assert err.value.message.startswith(f"The CSV folder has {len(err.value.problems)} problem")
    return err.value.problems


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    write_folder(from_document(tiny_document()), tmp_path)
    return tmp_path


# ---------------------------------------------------------------- round trips

def test_tiny_round_trip_is_equal(tmp_path: Path) -> None:
    org = from_document(tiny_document())
    assert _round_trip(org, tmp_path) == org


def test_sample_round_trip_is_equal(tmp_path: Path) -> None:
    org = sample_organisation()
    back = _round_trip(org, tmp_path)
    assert back == org   # requirements are kept in competency-id order by from_document
    assert sum(len(a.evidence) for a in back.assessments) > 1000  # evidence.csv carries them


def test_generated_round_trip_is_equal_up_to_requirement_order(tmp_path: Path) -> None:
    org = from_document(generate(roles=60, competencies=30, people=200, seed=11))
    assert _requirements_sorted(_round_trip(org, tmp_path)) == _requirements_sorted(org)


def test_writing_is_deterministic_and_complete(tmp_path: Path) -> None:
    org = sample_organisation()
    write_folder(org, tmp_path / "a")
    write_folder(org, tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(s.name for s in SHEETS)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    header = (tmp_path / "a" / "requirements.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(["role", *org.competencies])


def test_empty_files_are_written_with_their_header(tmp_path: Path) -> None:
    org = from_document({"framework": {"id": "f", "name": "F"}})
    write_folder(org, tmp_path)
    assert (tmp_path / "evidence.csv").read_text(encoding="utf-8") == "assessment,kind,note,at\n"
    assert _round_trip(org, tmp_path) == org


def test_text_with_commas_quotes_and_line_breaks_survives(tmp_path: Path) -> None:
    doc = tiny_document()
    doc["competencies"][0]["description"] = 'Says "no", then\nexplains why; 100% sure'
    doc["competencies"][0]["indicators"][1] = ["first, with a comma", 'a "quoted" one']
    org = from_document(doc)
    assert _round_trip(org, tmp_path) == org


def test_progress_is_reported_for_every_file(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    org = sample_organisation()
    write_folder(org, tmp_path, progress=lambda step, done, total: calls.append((step, done, total)))
    assert ("assessments.csv", len(org.assessments), len(org.assessments)) in calls
    assert ("assessments.csv", 1000, len(org.assessments)) in calls
    calls.clear()
    read_folder(tmp_path, progress=lambda step, done, total: calls.append((step, done, total)))
    assert ("people.csv", len(org.people), len(org.people)) in calls
    assert calls[-1] == ("checking", 1, 1)


# ---------------------------------------------------------------- the cell syntax

@pytest.mark.parametrize(("cell", "parsed"), [
    ("", None), ("  ", None), ("0", None), ("3", (3, False, 1.0)), ("3*", (3, True, 1.0)),
    ("3@1.5", (3, False, 1.5)), ("3*@2", (3, True, 2.0)), (" 5 * @ 0.5 ", (5, True, 0.5)),
])
def test_cells(cell: str, parsed: tuple[int, bool, float] | None) -> None:
    assert parse_cell(cell, top=5) == parsed
    if parsed is not None:
        assert parse_cell(format_cell(*parsed), top=5) == parsed


@pytest.mark.parametrize(("cell", "message"), [
    ("9", "'9' is not a level 0..5"),
    ("-1", "'-1' is not a level 0..5"),
    ("2.5", "'2.5' is not a level 0..5"),
    ("high", "'high' is not a requirement: write a level like 3, 3*, 3@1.5 or 3*@2"),
    ("3@0", "'3@0': the weight after @ must be a positive number"),
    ("3@x", "'3@x': the weight after @ must be a positive number"),
    ("3@nan", "'3@nan': the weight after @ must be a positive number"),
    ("0*", "'0*': level 0 means not required; it cannot be essential or weighted"),
])
def test_bad_cells(cell: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_cell(cell, top=5)
    assert str(err.value) == message


# ---------------------------------------------------------------- problems

def test_the_example_of_the_issue(tmp_path: Path) -> None:
    write_folder(sample_organisation(), tmp_path)

    def change(rows: list[list[str]]) -> None:
        rows[6][rows[0].index("data-modelling")] = "9"
    _edit(tmp_path, "requirements.csv", change)
    assert _problems(tmp_path) == ["requirements.csv line 7, column data-modelling: '9' is not a level 0..5"]


def test_every_problem_is_listed_by_file_and_line(tiny_folder: Path) -> None:
    def framework(rows: list[list[str]]) -> None:
        rows[4][1] = "soon"

    def competencies(rows: list[list[str]]) -> None:
        rows[3][2] = "magic"

    def roles(rows: list[list[str]]) -> None:
        rows[4][3] = "nowhere"

    def requirements(rows: list[list[str]]) -> None:
        rows[1][3] = "2*@0"
        rows[2][2] = "9"

    def people(rows: list[list[str]]) -> None:
        rows[3][5] = "ghost"

    def assessments(rows: list[list[str]]) -> None:
        rows[3][4] = "GUESS"
        rows[5][5] = "2026-02-30"

    def resources(rows: list[list[str]]) -> None:
        rows[1][3] = "lots"

    _edit(tiny_folder, "framework.csv", framework)
    _edit(tiny_folder, "competencies.csv", competencies)
    _edit(tiny_folder, "indicators.csv", lambda rows: rows.append(["zzz", "1", "text"]))
    _edit(tiny_folder, "roles.csv", roles)
    _edit(tiny_folder, "requirements.csv", requirements)
    _edit(tiny_folder, "moves.csv", lambda rows: rows.extend([["mid", "mid", "CAN_MOVE_TO"],
                                                               ["junior", "mid", "PROGRESSES_TO"]]))
    _edit(tiny_folder, "people.csv", people)
    _edit(tiny_folder, "assessments.csv", assessments)
    _edit(tiny_folder, "resources.csv", resources)
    _edit(tiny_folder, "develops.csv", lambda rows: rows.append(["r-zzz", "a", "1", "2"]))
    assert _problems(tiny_folder) == [
        "framework.csv line 5, column value: 'soon' is not a whole number",
        "competencies.csv line 4, column category: 'magic' is not one of TECHNICAL|BEHAVIOURAL|LEADERSHIP|KNOWLEDGE",
        "indicators.csv line 9, column competency: unknown competency 'zzz'",
        "roles.csv line 5, column family: unknown job family 'nowhere'",
        "requirements.csv line 2, column c: '2*@0': the weight after @ must be a positive number",
        "requirements.csv line 3, column b: '9' is not a level 0..5",
        "moves.csv line 7: a move from role 'mid' to itself",
        "moves.csv line 8: the same move as line 5",
        "people.csv line 4, column manager: unknown person 'ghost'",
        "assessments.csv line 4, column source: 'GUESS' is not one of SELF|PEER|MANAGER|ASSESSED",
        "assessments.csv line 6, column at: '2026-02-30' is not a date like 2026-03-31",
        "resources.csv line 2, column hours: 'lots' is not a number of at least 0",
        "develops.csv line 7, column resource: unknown resource 'r-zzz'",
    ]


def test_cross_row_problems_come_back_with_their_line(tiny_folder: Path) -> None:
    def people(rows: list[list[str]]) -> None:
        rows[4][0] = "ben"  # cy becomes a second ben

    _edit(tiny_folder, "people.csv", people)
    _edit(tiny_folder, "requirements.csv", lambda rows: rows.extend([["ghost", "1"], ["mid", "2"]]))
    _edit(tiny_folder, "evidence.csv", lambda rows: rows.append(["99", "REVIEW", "", "2026-01-01"]))
    _edit(tiny_folder, "levels.csv", lambda rows: rows.append(["l4", "Four", "-2"]))
    problems = _problems(tiny_folder)
    assert problems == [
        "levels.csv line 5, column rank: '-2' must be at least 0",
        "requirements.csv line 8, column role: unknown role 'ghost'",
        "requirements.csv line 9, column role: role 'mid' already has a row (line 3)",
        "people.csv line 5, column id: duplicate id 'ben'",
        "evidence.csv line 2, column assessment: unknown assessment '99'",
    ]


def test_a_reporting_cycle_names_the_file(tiny_folder: Path) -> None:
    def people(rows: list[list[str]]) -> None:
        rows[1][5] = "cy"
    _edit(tiny_folder, "people.csv", people)
    problems = _problems(tiny_folder)
    assert len(problems) == 1 and problems[0].startswith("people.csv: reporting cycle: ")


def test_missing_columns_are_reported_before_rows(tiny_folder: Path) -> None:
    def competencies(rows: list[list[str]]) -> None:
        rows[0][1] = "nmae"
    _edit(tiny_folder, "competencies.csv", competencies)
    _edit(tiny_folder, "people.csv", lambda rows: rows[0].append("shoe size"))
    _edit(tiny_folder, "requirements.csv", lambda rows: rows[0].__setitem__(0, "job"))
    (tiny_folder / "competences.csv").write_text("id\n", encoding="utf-8")
    assert _problems(tiny_folder) == [
        "competences.csv: unknown file (expected " + ", ".join(s.name for s in SHEETS) + ")",
        "competencies.csv line 1, column nmae: unknown column (expected id, name, category, description)",
        "competencies.csv line 1: missing column 'name'",
        "requirements.csv line 1: the first column must be 'role', then one column per competency id",
        "people.csv line 1, column shoe size: unknown column (expected id, name, email, role, since, manager)",
    ]


def test_matrix_columns_must_be_competencies(tiny_folder: Path) -> None:
    def requirements(rows: list[list[str]]) -> None:
        rows[0].extend(["zz", "a"])
        for row in rows[1:]:
            row.extend(["1", "2"])
    _edit(tiny_folder, "requirements.csv", requirements)
    assert _problems(tiny_folder) == ["requirements.csv line 1, column zz: unknown competency 'zz'",
                                      "requirements.csv line 1, column a: the column appears twice"]


def test_framework_rows_and_files(tmp_path: Path) -> None:
    (tmp_path / "framework.csv").write_text("key,value\nid,f\nmotto,x\nid,g\n", encoding="utf-8")
    assert _problems(tmp_path) == [  # problems of a whole file come before those of its lines
        "framework.csv: missing the row with key 'name'",
        "framework.csv line 3, column key: 'motto' is not one of id, name, version, validity_days",
        "framework.csv line 4, column key: 'id' appears twice",
    ]
    (tmp_path / "framework.csv").unlink()
    assert _problems(tmp_path) == [
        "framework.csv: the file is missing: it names the framework (keys id and name)"]
    with pytest.raises(BadInput):
        read_folder(tmp_path / "nothing-here")


def test_encoding_rows_and_header_problems(tmp_path: Path) -> None:
    (tmp_path / "framework.csv").write_text("key,value\nid,f\nname,F\n", encoding="utf-8")
    (tmp_path / "families.csv").write_bytes("id,name\nx,Caf\xe9\n".encode("latin-1"))
    (tmp_path / "tracks.csv").write_text("", encoding="utf-8")
    (tmp_path / "levels.csv").write_text("id,name\nl1,One,extra\n", encoding="utf-8")
    assert _problems(tmp_path) == [
        "families.csv: is not UTF-8 text (byte 13 cannot be read)",
        "tracks.csv line 1: the first line must be a header: id, name",
        "levels.csv line 2: has 3 cells but the header has 2 columns",
    ]


def test_spreadsheet_habits_are_accepted(tmp_path: Path) -> None:
    """A byte-order mark, blank lines, trailing empty columns, optional columns left out,
    lower-case enumerations, spaces around ids, and levels ranked by their position."""
    files = {
        "framework.csv": "\ufeffkey,value\nid, f \nname,F\n",
        "competencies.csv": "id,name,category,,\nsql,SQL,technical,,\n\n,,,,\n",
        "levels.csv": "id,name\njunior,Junior\nsenior,Senior\n",
        "roles.csv": "id,title,level\nanalyst,Analyst, junior\n",
        "requirements.csv": "role,sql\nanalyst, 3* \n",
        "people.csv": "id,name,role\nann,Ann,analyst\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    org = read_folder(tmp_path)
    assert org.framework.id == "f"
    assert org.levels["senior"].rank == 2
    assert org.roles["analyst"].level_id == "junior"
    assert org.roles["analyst"].requirements[0].essential
    assert org.people["ann"].email == "" and org.people["ann"].since is None
