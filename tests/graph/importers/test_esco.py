"""ESCO 1.2.0 importer, on the real files: the scale case (3k roles, 14k competencies, 129k links)."""

from __future__ import annotations

import csv
import gzip
import time
from pathlib import Path

import pytest

from graph.document import from_document
from graph.importers import esco
from graph.importers.common import ImportResult

from . import data_dir

TECHNICAL_DIRECTOR = "00030d09-2b3a-4efd-87cc-c4ea39d27c34"


@pytest.fixture(scope="module")
def folder() -> Path:
    return data_dir("esco-1.2.0")


@pytest.fixture(scope="module")
def timed(folder: Path) -> tuple[ImportResult, float]:
    start = time.perf_counter()
    result = esco.load(folder)
    return result, time.perf_counter() - start


@pytest.fixture(scope="module")
def result(timed: tuple[ImportResult, float]) -> ImportResult:
    return timed[0]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_counts_match_the_source(result: ImportResult, folder: Path) -> None:
    occupations = csv_rows(folder / "occupations_en.csv")
    skills = csv_rows(folder / "skills_id_text.csv")
    links: dict[tuple[str, str], set[str]] = {}
    with gzip.open(folder / "occupationSkillRelations_rebuilt.tsv.gz", "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            links.setdefault((r["occupationUri"], r["skillUri"]), set()).add(r["relationType"])
    doc = result.document
    assert len(doc["roles"]) == len(occupations) == 3039
    assert len(doc["competencies"]) == len(skills) == 13939
    requires = [q for r in doc["roles"] for q in r["requires"]]
    assert len(requires) == len(links)                       # 129,004 rows, 17 pairs listed twice
    assert sum(q["essential"] for q in requires) == sum("essential" in v for v in links.values())
    assert any(s.startswith("17 of 129004 relation rows") for s in result.skipped)
    assert {r["id"] for r in doc["roles"]} == {o["conceptUri"].rsplit("/", 1)[1] for o in occupations}
    isco_submajor = {o["iscoGroup"][:2] for o in occupations}
    assert {f["id"] for f in doc["families"]} == {f"isco-{g}" for g in isco_submajor}


def test_technical_director_by_hand(result: ImportResult) -> None:
    role = next(r for r in result.document["roles"] if r["id"] == TECHNICAL_DIRECTOR)
    assert role["title"] == "technical director"
    assert role["family"] == "isco-26" and role["level"] == "isco-sl4"      # ISCO 2654: a professional
    req = {q["competency"]: q for q in role["requires"]}
    # essential: adapt designers' work to the performance venue
    assert req["892f8e2f-189a-41d5-a4b6-b8e2afb99974"] == {
        "competency": "892f8e2f-189a-41d5-a4b6-b8e2afb99974", "level": 3, "weight": 1.0, "essential": True}
    # optional: write technical riders
    assert req["a2dfc063-7b24-4258-a778-d395c41d4966"] == {
        "competency": "a2dfc063-7b24-4258-a778-d395c41d4966", "level": 2, "weight": 0.5, "essential": False}
    families = {f["id"]: f["name"] for f in result.document["families"]}
    assert families["isco-26"] == "Legal, social and cultural professionals"


def test_skills_names_hierarchy_and_categories(result: ImportResult) -> None:
    comps = {c["id"]: c for c in result.document["competencies"]}
    venue = comps["892f8e2f-189a-41d5-a4b6-b8e2afb99974"]
    assert venue["name"] == "adapt designers’ work to the performance venue"
    assert venue["description"].startswith("Reorient the work of")
    # broaderRelationsSkillPillar: -> group ab99d9a7 'creating artistic designs or performances' (under S1)
    assert "creating artistic designs or performances" in venue["description"]
    assert "ESCO skill hierarchy: skills › communication, collaboration and creativity" in venue["description"]
    assert venue["category"] == "BEHAVIOURAL"
    # 'manage musical staff' -> group 'supervising a team or group' (S4 management skills)
    staff = comps["0005c151-5b5a-4a66-8aac-60e734beb1ab"]
    assert staff["name"] == "manage musical staff"
    assert "supervising a team or group" in staff["description"] and staff["category"] == "LEADERSHIP"
    # 'sport and exercise medicine' -> group 0912 'medicine' in the knowledge pillar (codes are ISCED-F fields)
    sport = comps["00506f28-e884-4496-800c-3477c67eb355"]
    assert "knowledge › health and welfare › health › medicine (0912)" in sport["description"]
    assert sport["category"] == "KNOWLEDGE"
    assert all(not c["indicators"] for c in comps.values())


def test_it_builds_an_organisation_quickly(timed: tuple[ImportResult, float]) -> None:
    result, seconds = timed
    assert seconds < 30, f"ESCO import took {seconds:.1f} s"
    org = from_document(result.document)
    assert len(org.roles) == 3039 and len(org.competencies) == 13939
