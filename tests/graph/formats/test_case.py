"""1EdTech CASE 1.0 packages: lossless for the framework part, deterministic, every problem by JSON path."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from typing import Any

import pytest

from graph.document import from_document
from graph.errors import BadInput
from graph.formats.case import from_case, to_case
from graph.model import Category, Organisation
from graph.seeds import sample_organisation

from ..conftest import tiny_document


def _framework_part(org: Organisation) -> tuple[Any, ...]:
    return org.framework, org.competencies, org.indicators


def _problems(pkg: Any) -> list[str]:
    with pytest.raises(BadInput) as err:
        from_case(pkg)
    assert err.value.message.startswith(f"The CASE package has {len(err.value.problems)} problem") or \
        err.value.problems == ["$: must be an object"]
    return err.value.problems


@pytest.mark.parametrize("org", [sample_organisation(), from_document(tiny_document())], ids=["sample", "tiny"])
def test_round_trip_keeps_the_framework_part(org: Organisation) -> None:
    pkg = json.loads(json.dumps(to_case(org)))  # through real JSON
    back = from_document(from_case(pkg))
    assert _framework_part(back) == _framework_part(org)
    assert back.roles == {} and back.people == {} and back.moves == ()


def test_export_is_deterministic() -> None:
    org = sample_organisation()
    assert json.dumps(to_case(org), sort_keys=True) == json.dumps(to_case(org), sort_keys=True)
    later = to_case(org, changed=dt.datetime(2026, 5, 1, 12, 30, tzinfo=dt.timezone.utc))
    assert later["CFDocument"]["lastChangeDateTime"] == "2026-05-01T12:30:00+00:00"
    assert later["CFDocument"]["identifier"] == to_case(org)["CFDocument"]["identifier"]


def test_package_structure() -> None:
    org = sample_organisation()
    pkg = to_case(org, base_uri="https://case.example/ims/case/v1p0/")
    doc = pkg["CFDocument"]
    assert set(pkg) == {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}
    for key in ("identifier", "uri", "creator", "title", "lastChangeDateTime", "version"):
        assert doc[key]
    assert doc["uri"] == f"https://case.example/ims/case/v1p0/CFDocuments/{doc['identifier']}"
    items = {i["identifier"]: i for i in pkg["CFItems"]}
    assert len(items) == len(org.competencies)
    for item in pkg["CFItems"]:
        assert uuid.UUID(item["identifier"]).version == 5
        assert item["CFDocumentURI"]["identifier"] == doc["identifier"]
        assert item["CFItemType"] in Category.__members__
        assert set(item) >= {"identifier", "uri", "fullStatement", "humanCodingScheme", "lastChangeDateTime"}
    assert {i["humanCodingScheme"] for i in pkg["CFItems"]} == set(org.competencies)
    for assoc in pkg["CFAssociations"]:
        assert assoc["associationType"] == "isChildOf"
        assert assoc["originNodeURI"]["identifier"] in items
        assert assoc["destinationNodeURI"]["identifier"] == doc["identifier"]
    [rubric] = pkg["CFRubrics"]
    scale, *criteria = rubric["CFRubricCriteria"]
    assert "CFItemURI" not in scale
    assert [(lv["score"], lv["quality"]) for lv in scale["CFRubricCriterionLevels"]] == \
        [(s.level, s.name) for s in org.framework.scale]
    assert len(criteria) == len(org.competencies)
    design = next(c for c in criteria if items[c["CFItemURI"]["identifier"]]["humanCodingScheme"] == "software-design")
    level3 = design["CFRubricCriterionLevels"][2]
    assert (level3["score"], level3["quality"]) == (3, "Practitioner")
    assert level3["rubricCriterionId"] == design["identifier"]
    assert level3["description"].split("\n") == [i.text for i in org.indicators
                                                 if i.competency_id == "software-design" and i.level == 3]
    identifiers = [o["identifier"] for o in [doc, *pkg["CFItems"], *pkg["CFAssociations"], rubric, scale, *criteria,
                                             *(lv for c in rubric["CFRubricCriteria"]
                                               for lv in c["CFRubricCriterionLevels"])]]
    assert len(identifiers) == len(set(identifiers))


def _tiny_package() -> dict[str, Any]:
    return json.loads(json.dumps(to_case(from_document(tiny_document()))))


def test_every_problem_is_listed_by_json_path() -> None:
    pkg = _tiny_package()
    del pkg["CFDocument"]["creator"]
    del pkg["CFItems"][0]["fullStatement"]
    pkg["CFItems"][2]["humanCodingScheme"] = "a"
    pkg["CFItems"][1]["lastChangeDateTime"] = "yesterday"
    pkg["CFAssociations"][1]["originNodeURI"]["identifier"] = "nope"
    pkg["CFRubrics"][0]["CFRubricCriteria"][1]["CFRubricCriterionLevels"][4]["score"] = 9
    pkg["CFRubrics"][0]["CFRubricCriteria"][2]["CFItemURI"]["identifier"] = "gone"
    pkg["CFRubrics"][0]["CFRubricCriteria"][3]["CFRubricCriterionLevels"][0]["score"] = "two"
    assert _problems(pkg) == [
        "$.CFDocument.creator: is required",
        "$.CFItems[0].fullStatement: is required",
        "$.CFItems[1].lastChangeDateTime: 'yesterday' is not a date-time like 2026-03-31T12:00:00+00:00",
        "$.CFItems[2].humanCodingScheme: competency id 'a' is also used by $.CFItems[0]",
        "$.CFAssociations[1].originNodeURI.identifier: unknown item 'nope'",
        "$.CFRubrics[0].CFRubricCriteria[3].CFRubricCriterionLevels[0].score: must be a whole number, not \"two\"",
        "$.CFRubrics[0].CFRubricCriteria[1].CFRubricCriterionLevels[4].score: 9 is not a level 1..5",
        "$.CFRubrics[0].CFRubricCriteria[2].CFItemURI.identifier: unknown item 'gone'",
    ]


def test_broken_structure() -> None:
    assert _problems([1, 2]) == ["$: must be an object"]
    assert _problems({"CFItems": {"a": 1}, "CFRubrics": [3]}) == [
        "$.CFDocument: must be an object",
        "$.CFItems: must be a list",
        "$.CFRubrics[0]: must be an object",
    ]
    pkg = _tiny_package()
    pkg["CFItems"][0]["CFDocumentURI"] = {"identifier": "other", "uri": "x", "title": "X"}
    pkg["CFAssociations"][0]["destinationNodeURI"] = "not a link"
    pkg["CFItems"].append(copy.deepcopy(pkg["CFItems"][1]) | {"humanCodingScheme": "e"})
    scale = pkg["CFRubrics"][0]["CFRubricCriteria"][0]
    scale["CFRubricCriterionLevels"][1]["score"] = 4
    del scale["CFRubricCriterionLevels"][0]["quality"]
    pkg["CFRubrics"][0]["CFRubricCriteria"].append(copy.deepcopy(scale) | {"identifier": "second-scale"})
    problems = _problems(pkg)
    item_id = pkg["CFItems"][1]["identifier"]
    assert problems[:2] == [
        f"$.CFItems[0].CFDocumentURI.identifier: unknown document 'other' (this one is "
        f"'{pkg['CFDocument']['identifier']}')",
        f"$.CFItems[4].identifier: '{item_id}' is also the identifier of $.CFItems[1]",
    ]
    assert "$.CFAssociations[0].destinationNodeURI: must be an object" in problems
    assert "$.CFRubrics[0].CFRubricCriteria[5]: a second criterion without CFItemURI: only one may define the " \
           "scale ($.CFRubrics[0].CFRubricCriteria[0])" in problems
    assert "$.CFRubrics[0].CFRubricCriteria[0]: the scale's levels must have scores 1, 2, 3, ... once each, " \
           "not [1, 3, 4, 4, 5]" in problems
    assert "$.CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[0].quality: is required" in problems


def test_a_package_from_elsewhere() -> None:
    """No Trellis notes, no humanCodingScheme, foreign item types, a rubric without a scale criterion."""
    stamp = "2024-02-01T10:00:00Z"
    link = {"title": "Doc", "identifier": "doc-1", "uri": "https://x/doc-1"}
    pkg = {
        "CFDocument": {"identifier": "doc-1", "uri": "https://x/doc-1", "creator": "State", "title": "Standards",
                       "lastChangeDateTime": stamp},
        "CFItems": [
            {"identifier": "i-1", "uri": "https://x/i-1", "fullStatement": "Reads closely.", "CFItemType": "Standard",
             "lastChangeDateTime": stamp, "CFDocumentURI": link},
            {"identifier": "i-2", "uri": "https://x/i-2", "fullStatement": "Leads a team well.",
             "abbreviatedStatement": "Team lead", "humanCodingScheme": "TL.1", "CFItemType": "leadership",
             "lastChangeDateTime": stamp},
        ],
        "CFAssociations": [
            {"identifier": "a-1", "associationType": "isChildOf", "uri": "https://x/a-1", "lastChangeDateTime": stamp,
             "originNodeURI": {"title": "", "identifier": "i-2", "uri": "https://x/i-2"},
             "destinationNodeURI": link},
            {"identifier": "a-2", "associationType": "exactMatchOf", "uri": "https://x/a-2",
             "lastChangeDateTime": stamp, "originNodeURI": {"title": "", "identifier": "i-1", "uri": "https://x/i-1"},
             "destinationNodeURI": {"title": "", "identifier": "elsewhere", "uri": "https://y/e"}},
        ],
        "CFRubrics": [{"identifier": "r", "uri": "https://x/r", "lastChangeDateTime": stamp, "CFRubricCriteria": [
            {"identifier": "c", "uri": "https://x/c", "lastChangeDateTime": stamp,
             "CFItemURI": {"title": "", "identifier": "i-2", "uri": "https://x/i-2"},
             "CFRubricCriterionLevels": [
                 {"identifier": "l1", "uri": "https://x/l1", "lastChangeDateTime": stamp, "quality": "Novice",
                  "score": 1, "description": "Runs a stand-up\r\nAsks for help"},
                 {"identifier": "l3", "uri": "https://x/l3", "lastChangeDateTime": stamp, "position": 3,
                  "description": ""}]}]}],
    }
    doc = from_case(pkg)
    assert doc["framework"] == {"id": "doc-1", "name": "Standards", "version": "1"}
    assert doc["scale"] == [{"level": 1, "name": "Novice", "description": ""},
                            {"level": 2, "name": "Level 2", "description": ""},
                            {"level": 3, "name": "Level 3", "description": ""}]
    org = from_document(doc)
    assert org.competencies["i-1"].name == "Reads closely." and org.competencies["i-1"].description == ""
    assert org.competencies["i-1"].category is Category.TECHNICAL
    assert org.competencies["TL.1"].category is Category.LEADERSHIP
    assert org.competencies["TL.1"].description == "Leads a team well."
    assert [(i.level, i.text) for i in org.indicators] == [(1, "Runs a stand-up"), (1, "Asks for help")]
    assert from_case(pkg, default_category=Category.BEHAVIOURAL)["competencies"][0]["category"] == "BEHAVIOURAL"


def test_a_wrongly_typed_field_is_reported_once() -> None:
    pkg = _tiny_package()
    old, pkg["CFItems"][0]["identifier"] = pkg["CFItems"][0]["identifier"], 42
    assert _problems(pkg) == [
        "$.CFItems[0].identifier: must be text, not 42",
        f"$.CFAssociations[0].originNodeURI.identifier: unknown item '{old}'",  # they still point at it
        f"$.CFRubrics[0].CFRubricCriteria[1].CFItemURI.identifier: unknown item '{old}'",
    ]
