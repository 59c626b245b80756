"""UK DDaT importer, on the real files: ladders read from level names, skills with their levels."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from graph.document import from_document
from graph.gaps import gap_report
from graph.importers import ddat
from graph.importers.common import ImportResult
from graph.paths import career_paths
from graph.profiles import resolve_profile
from graph.projection import build_projection

from . import data_dir


@pytest.fixture(scope="module")
def folder() -> Path:
    return data_dir("uk-ddat")


@pytest.fixture(scope="module")
def result(folder: Path) -> ImportResult:
    return ddat.load(folder)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_counts_match_the_source(result: ImportResult, folder: Path) -> None:
    rows = csv_rows(folder / "roles_levels_skills.csv")
    in_use = [r for r in rows if r["Role Level"] != "NOT IN USE"]
    doc = result.document
    assert len({r["Role"] for r in rows}) == 52 and len({(r["Role"], r["Role Level"]) for r in rows}) == 205
    assert len(doc["roles"]) == len({(r["Role"], r["Role Level"].strip()) for r in in_use}) == 201
    assert len(doc["competencies"]) == len(csv_rows(folder / "skills.csv")) == 188
    pairs = {(r["Role Level"].strip(), r["Skill Name"]) for r in in_use}
    assert sum(len(r["requires"]) for r in doc["roles"]) == len(pairs)
    assert len(doc["families"]) == len({r["Role Family"] for r in in_use}) == 7
    not_in_use = {r["Role"] for r in rows if r["Role Level"] == "NOT IN USE"}
    assert len(not_in_use) == 4 and all(any(role in s for s in result.skipped) for role in not_in_use)
    assert [s["level"] for s in doc["scale"]] == [1, 2, 3, 4]
    assert [s["name"] for s in doc["scale"]] == ["Awareness", "Working", "Practitioner", "Expert"]
    from_document(doc)


def test_requirement_and_indicators_by_hand(result: ImportResult, folder: Path) -> None:
    roles = {r["id"]: r for r in result.document["roles"]}
    # first data row: Associate business architect needs Business architecture at Working
    first = csv_rows(folder / "roles_levels_skills.csv")[0]
    assert (first["Role Level"], first["Skill Name"], first["Skill Level"]) == \
        ("Associate business architect", "Business architecture", "Working")
    req = {q["competency"]: q for q in roles["associate-business-architect"]["requires"]}
    assert req["business-architecture"] == {"competency": "business-architecture", "level": 2, "weight": 1.0,
                                            "essential": False}
    assert roles["associate-business-architect"]["family"] == "architecture"
    comps = {c["id"]: c for c in result.document["competencies"]}
    # skills.csv, Accessibility, Awareness: "You can:" + two bullets
    assert comps["accessibility"]["indicators"][1] == [
        "understand accessibility and that users have different accessibility needs",
        "help fix accessibility issues under the direction of others"]
    assert len(comps["accessibility"]["indicators"][4]) == 5
    # "This skill level is currently not defined." gives no indicator
    assert 1 not in comps["analysis"]["indicators"]


def ladder(result: ImportResult, start: str) -> list[str]:
    up = {}
    for a, b in result.document["moves"]["progresses_to"]:
        up.setdefault(a, []).append(b)
    out = [start]
    while len(up.get(out[-1], [])) == 1:
        out.append(up[out[-1]][0])
    return out


def test_ladders_follow_the_level_names(result: ImportResult) -> None:
    assert ladder(result, "trainee-data-scientist") == [
        "trainee-data-scientist", "associate-data-scientist", "data-scientist", "lead-data-scientist",
        "principal-data-scientist", "head-of-data-science"]
    assert ladder(result, "associate-content-designer") == [
        "associate-content-designer", "junior-content-designer", "content-designer", "senior-content-designer",
        "lead-content-designer", "head-of-content-design"]
    assert ladder(result, "service-desk-analyst") == [
        "service-desk-analyst", "senior-service-desk-analyst", "service-desk-manager", "head-of-service-desk"]
    ups = {tuple(p) for p in result.document["moves"]["progresses_to"]}
    assert ("developer", "senior-developer") in ups and ("developer", "senior-developer-management") in ups
    assert ("senior-developer-management", "lead-developer-management") in ups
    assert ("senior-developer", "lead-developer-management") not in ups
    lateral = {tuple(p) for p in result.document["moves"]["can_move_to"]}
    assert ("senior-developer", "senior-developer-management") in lateral
    roles = {r["id"]: r for r in result.document["roles"]}
    assert roles["lead-developer-management"]["track"] == "management"
    assert roles["lead-developer"]["track"] == "ic"


def test_career_path_and_gap_along_a_ladder(result: ImportResult) -> None:
    proj = build_projection(from_document(result.document))
    me = resolve_profile(proj, role_id="junior-developer")
    [path] = career_paths(proj, me, "lead-developer")
    assert [s.role_id for s in path.steps] == ["developer", "senior-developer", "lead-developer"]
    report = gap_report(proj, resolve_profile(proj, role_id="developer"), "senior-developer", dt.date(2026, 1, 1))
    rising = {i.competency_id for i in report.items if i.deficit > 0}
    roles = {r["id"]: {q["competency"]: q["level"] for q in r["requires"]} for r in result.document["roles"]}
    assert rising == {c for c, lvl in roles["senior-developer"].items() if lvl > roles["developer"].get(c, 0)}
    assert rising
