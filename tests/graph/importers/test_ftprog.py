"""FT progression importer, on the real YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.document import from_document
from graph.importers import ftprog
from graph.importers.common import ImportResult

from . import data_dir


@pytest.fixture(scope="module")
def folder() -> Path:
    return data_dir("ft-progression")


@pytest.fixture(scope="module")
def result(folder: Path) -> ImportResult:
    return ftprog.load(folder)


def source(folder: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    return data


def test_counts_match_the_source(result: ImportResult, folder: Path) -> None:
    eng, ops = source(folder, "engineering.yml"), source(folder, "operations.yml")
    doc = result.document
    assert len(doc["roles"]) == len(eng["levels"]) + len(ops["levels"]) == 11
    assert len(doc["competencies"]) == len(eng["themes"]) + len(ops["themes"]) == 13
    assert sum(len(r["requires"]) for r in doc["roles"]) == \
        len(eng["levels"]) * len(eng["themes"]) + len(ops["levels"]) * len(ops["themes"])
    assert result.counts()["indicators"] == len(eng["competencies"]) + len(ops["competencies"])
    assert any(s.startswith("engineering-v1.yml") for s in result.skipped)
    from_document(doc)


def test_spot_checks(result: ImportResult, folder: Path) -> None:
    eng = source(folder, "engineering.yml")
    roles = {r["id"]: r for r in result.document["roles"]}
    comps = {c["id"]: c for c in result.document["competencies"]}
    # engineering.yml: junior / communication is at proficiency Awareness (level 1)
    cell = next(c for c in eng["competencies"] if c["level"] == "junior" and c["theme"] == "communication")
    assert cell["proficiency"] == "Awareness"
    req = {q["competency"]: q["level"] for q in roles["engineering-junior"]["requires"]}
    assert req["engineering-communication"] == 1
    assert cell["summary"].strip() in comps["engineering-communication"]["indicators"][1]
    # tech director: Expert everywhere
    assert {q["level"] for q in roles["engineering-tech-director"]["requires"]} == {5}
    assert comps["engineering-technical"]["category"] == "TECHNICAL"
    assert comps["engineering-leadership"]["category"] == "LEADERSHIP"
    # operations: legacy format, level = ladder rank
    assert [q["level"] for q in roles["operations-senior-1"]["requires"]] == [3, 3, 3, 3]
    assert roles["engineering-principal-pm"]["track"] == "management"
    assert roles["engineering-principal-pm"]["title"] == "Principal Engineer (People Manager) (Engineering)"


def test_ladder_moves(result: ImportResult) -> None:
    ups = {tuple(p) for p in result.document["moves"]["progresses_to"]}
    assert ("engineering-senior-1", "engineering-senior-2-ic") in ups
    assert ("engineering-senior-1", "engineering-senior-2-pm") in ups
    assert ("engineering-senior-2-ic", "engineering-principal-pm") not in ups
    assert ("engineering-principal-pm", "engineering-tech-director") in ups
    assert ("operations-engineer", "operations-senior-1") in ups
    assert len(ups) == 10 and len(result.document["moves"]["can_move_to"]) == 4


def test_a_single_legacy_file(folder: Path) -> None:
    one = ftprog.load(folder / "engineering-v1.yml")
    legacy = source(folder, "engineering-v1.yml")
    assert len(one.document["roles"]) == len(legacy["levels"]) == 4
    assert one.counts()["indicators"] == len(legacy["competencies"]) == 101
    from_document(one.document)


def test_competency_names_say_whose_theme_they_are(result: ImportResult, folder: Path) -> None:
    """Both ladders have a 'Communication' theme; a list of competencies must tell them apart."""
    themes = [t["name"] for name in ("engineering.yml", "operations.yml") for t in source(folder, name)["themes"]]
    shared = {n for n in themes if themes.count(n) > 1}
    names = [c["name"] for c in result.document["competencies"]]
    assert shared and len(set(names)) == len(names)
    for n in shared:
        assert {f"{n} (Engineering)", f"{n} (Operations)"} <= set(names)
