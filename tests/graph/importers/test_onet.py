"""O*NET 29.3 importer, on the real files: counts computed here from the source, spot checks by hand."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.document import from_document
from graph.importers import onet
from graph.importers.common import ImportResult

from . import data_dir


def rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


@pytest.fixture(scope="module")
def folder() -> Path:
    return data_dir("onet-29.3")


@pytest.fixture(scope="module")
def result(folder: Path) -> ImportResult:
    return onet.load(folder)


@pytest.fixture(scope="module")
def ratings(folder: Path) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    out: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for name in ("Skills.txt", "Knowledge.txt"):
        for r in rows(folder / name):
            out.setdefault((r["O*NET-SOC Code"], r["Element ID"]), {})[r["Scale ID"]] = r
    return out


def test_counts_match_the_source(result: ImportResult, folder: Path,
                                 ratings: dict[tuple[str, str], dict[str, dict[str, str]]]) -> None:
    occupations = {r["O*NET-SOC Code"] for r in rows(folder / "Occupation Data.txt")}
    rated = {code for code, _ in ratings}
    # the documented rule, written out independently: IM above 1, not Not Relevant, not suppressed
    kept = {(code, e) for (code, e), s in ratings.items()
            if float(s["IM"]["Data Value"]) > 1.0 and s["LV"]["Not Relevant"] != "Y"
            and s["IM"]["Recommend Suppress"] != "Y" and s["LV"]["Recommend Suppress"] != "Y"}
    with_reqs = {code for code, _ in kept}
    doc = result.document
    assert len(occupations) == 1016 and len(rated) == 879
    assert {r["id"] for r in doc["roles"]} == with_reqs
    assert len(doc["roles"]) == 879 == len(rated)         # every rated occupation has an element above IM 1
    assert len(doc["competencies"]) == len({e for _, e in ratings}) == 68
    assert sum(len(r["requires"]) for r in doc["roles"]) == len(kept)
    unrated = occupations - rated
    assert f"{len(unrated)} occupations have no Skills/Knowledge ratings" in result.skipped[0]
    assert "15-1252.00" in unrated and "15-1252.00" not in {r["id"] for r in doc["roles"]}
    assert "41-9012.00" in {r["id"] for r in doc["roles"]}    # Models: highest IM 2.88
    anchors = sum(1 for r in rows(folder / "Level Scale Anchors.txt")
                  if r["Scale ID"] == "LV" and r["Element ID"].startswith("2."))
    assert result.counts()["indicators"] == anchors == 204
    assert result.counts()["moves"] == 0
    assert from_document(doc).roles["29-1141.00"].title == "Registered Nurses"


def test_registered_nurses_by_hand(result: ImportResult,
                                   ratings: dict[tuple[str, str], dict[str, dict[str, str]]]) -> None:
    nurse = next(r for r in result.document["roles"] if r["id"] == "29-1141.00")
    assert nurse["title"] == "Registered Nurses"
    assert nurse["family"] == "soc-29" and nurse["level"] == "jz4"     # Job Zones.txt: 29-1141.00 ... 4
    req = {q["competency"]: q for q in nurse["requires"]}
    # Knowledge.txt: 2.C.5.a Medicine and Dentistry, IM 4.36, LV 4.47 -> level round(4.47) = 4, weight IM - 1
    med = ratings[("29-1141.00", "2.C.5.a")]
    assert (med["IM"]["Data Value"], med["LV"]["Data Value"]) == ("4.36", "4.47")
    assert req["2.C.5.a"] == {"competency": "2.C.5.a", "level": 4, "weight": 3.36, "essential": True}
    # Skills.txt: 2.B.1.a Social Perceptiveness, IM 4.12, LV 4.38 -> level 4
    assert req["2.B.1.a"] == {"competency": "2.B.1.a", "level": 4, "weight": 3.12, "essential": True}
    # Skills.txt: 2.B.1.c Persuasion, IM 2.88, LV 2.88 -> somewhat important: level 3, weight 1.88
    pers = ratings[("29-1141.00", "2.B.1.c")]
    assert (pers["IM"]["Data Value"], pers["LV"]["Data Value"]) == ("2.88", "2.88")
    assert req["2.B.1.c"] == {"competency": "2.B.1.c", "level": 3, "weight": 1.88, "essential": False}
    # Skills.txt: 2.B.3.e Programming, IM 1.62, LV 0.62 -> marginal: level 1 (clamped), weight 0.62
    prog = ratings[("29-1141.00", "2.B.3.e")]
    assert (prog["IM"]["Data Value"], prog["LV"]["Data Value"]) == ("1.62", "0.62")
    assert req["2.B.3.e"] == {"competency": "2.B.3.e", "level": 1, "weight": 0.62, "essential": False}
    # Knowledge.txt: 2.C.4.b Physics, IM 1.6 but its LV row is Recommend Suppress = Y -> no requirement
    phys = ratings[("29-1141.00", "2.C.4.b")]
    assert phys["LV"]["Recommend Suppress"] == "Y" and "2.C.4.b" not in req
    # 2.C.2.b Food Production: LV flagged Recommend Suppress and Not Relevant -> no requirement
    assert "2.C.2.b" not in req


def test_suppressed_ratings_are_not_requirements(result: ImportResult) -> None:
    # Skills.txt: 11-3031.00 Financial Managers, 2.B.4.g Systems Analysis: IM 3, LV 3.25 Recommend Suppress = Y
    fin = next(r for r in result.document["roles"] if r["id"] == "11-3031.00")
    assert fin["title"] == "Financial Managers"
    assert "2.B.4.g" not in {q["competency"] for q in fin["requires"]}
    assert any("Recommend Suppress" in s for s in result.skipped)


def test_competencies_families_levels(result: ImportResult) -> None:
    comps = {c["id"]: c for c in result.document["competencies"]}
    listening = comps["2.A.1.b"]
    assert listening["name"] == "Active Listening" and listening["category"] == "BEHAVIOURAL"
    assert listening["description"].startswith("Giving full attention to what other people are saying")
    # Level Scale Anchors: 2.A.1.b LV 6 "Serve as a judge ..." -> level 6, LV 2 -> level 2
    assert listening["indicators"][6] == ["Serve as a judge in a complex legal disagreement"]
    assert listening["indicators"][2] == ["Take a customer's order"]
    assert comps["2.C.5.a"]["category"] == "KNOWLEDGE" and comps["2.B.3.e"]["category"] == "TECHNICAL"
    assert comps["2.B.5.d"]["category"] == "LEADERSHIP"
    assert {comps["2.A.1.e"]["name"], comps["2.C.4.a"]["name"]} == {"Mathematics (skill)", "Mathematics (knowledge)"}
    families = {f["id"]: f["name"] for f in result.document["families"]}
    assert families["soc-29"] == "Healthcare Practitioners and Technical Occupations"
    assert families["soc-15"] == "Computer and Mathematical Occupations"
    assert len(onet.SOC_MAJOR_GROUPS) == 23
    assert [(lv["id"], lv["rank"]) for lv in result.document["levels"]] == [(f"jz{k}", k) for k in range(1, 6)]
    # O*NET's LV scale points 1..7 are the framework's levels
    assert [s["level"] for s in result.document["scale"]] == list(range(1, 8))
    assert from_document(result.document).framework.max_level == 7


def test_progress_and_speed(folder: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    start = time.perf_counter()
    onet.load(folder, lambda stage, done, total: calls.append((stage, done, total)))
    assert time.perf_counter() - start < 30
    stages = {c[0] for c in calls}
    assert {"Skills.txt", "Knowledge.txt", "requirements"} <= stages
    assert all(done <= total for _, done, total in calls)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    from graph.errors import BadInput
    with pytest.raises(BadInput, match="lacks Occupation Data.txt"):
        onet.load(tmp_path)


def test_licensed_practical_nurse_to_registered_nurse(result: ImportResult) -> None:
    """The move `serve --dataset onet` infers (gap under its threshold), with the gap summed from the document."""
    from graph.paths import career_paths
    from graph.profiles import resolve_profile
    from graph.projection import build_projection
    from graph.thresholds import Thresholds
    from server.datasets import DATASETS

    roles = {r["id"]: {q["competency"]: q for q in r["requires"]} for r in result.document["roles"]}
    lpn, rn = roles["29-2061.00"], roles["29-1141.00"]
    gap = sum(q["weight"] * max(0, q["level"] - lpn.get(c, {"level": 0})["level"]) for c, q in rn.items())
    assert 20 < gap < DATASETS["onet"].infer_moves_gap
    proj = build_projection(from_document(result.document))
    t = Thresholds(infer_moves_gap=DATASETS["onet"].infer_moves_gap)
    paths = career_paths(proj, resolve_profile(proj, role_id="29-2061.00"), "29-1141.00", t=t)
    assert [s.role_id for s in paths[0].steps] == ["29-1141.00"]
    assert paths[0].total_gap == round(gap, 9)


def test_search_ranks_whole_words_and_titles_first(result: ImportResult) -> None:
    """From a new user's trial: "nurse" ranked "Crop, Nursery, and Greenhouse" first on a substring scan."""
    from graph.projection import build_projection
    from graph.search import search, stem, words

    proj = build_projection(from_document(result.document))
    found = search(proj, "roles", "nurse")
    titles = [proj.org.roles[r].title for r in found]
    nursing = [t for t in titles if "nurse" in {stem(w) for w in words(t)}]
    assert nursing and titles[:len(nursing)] == nursing          # every title with the word comes first
    assert "Registered Nurses" in nursing[:5]
    assert not any("Nursery" in t for t in titles[:len(nursing)])
    assert set(search(proj, "roles", "registered nurse")) <= set(found)
