"""Framework checks: each check triggered and not triggered on small hand-made organisations."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from graph.checks import Issue, Severity, document_issues, framework_issues
from graph.document import from_document
from graph.model import Move, MoveKind
from graph.seeds import sample_organisation

E, W = Severity.ERROR, Severity.WARNING
ALL = {1: ["x1"], 2: ["x2"], 3: ["x3"]}


def _doc(**parts: Any) -> dict[str, Any]:
    """A healthy little framework: two competencies fully described, a two-step ladder, one person."""
    doc: dict[str, Any] = {
        "framework": {"id": "f", "name": "F"},
        "scale": [{"level": 1, "name": "One"}, {"level": 2, "name": "Two"}, {"level": 3, "name": "Three"}],
        "competencies": [{"id": "a", "name": "A", "category": "TECHNICAL", "indicators": ALL},
                         {"id": "b", "name": "B", "category": "BEHAVIOURAL", "indicators": ALL}],
        "families": [{"id": "eng", "name": "Engineering"}],
        "levels": [{"id": "l1", "rank": 1, "name": "One"}, {"id": "l2", "rank": 2, "name": "Two"}],
        "roles": [
            {"id": "junior", "title": "Junior", "family": "eng", "level": "l1",
             "requires": [{"competency": "a", "level": 1}, {"competency": "b", "level": 1}]},
            {"id": "senior", "title": "Senior", "family": "eng", "level": "l2",
             "requires": [{"competency": "a", "level": 2}, {"competency": "b", "level": 2}]},
        ],
        "moves": {"progresses_to": [["junior", "senior"]]},
        "people": [{"id": "ann", "name": "Ann", "role": "junior"}],
    }
    doc.update(parts)
    return doc


def _issues(**parts: Any) -> list[Issue]:
    return framework_issues(from_document(_doc(**parts)))


def test_a_healthy_framework_has_no_issues() -> None:
    assert _issues() == []


def test_the_sample_organisation_has_no_errors() -> None:
    issues = framework_issues(sample_organisation())
    assert [i for i in issues if i.severity is Severity.ERROR] == []
    assert issues == []  # nor warnings, today: if data changes add some, look at them


def test_missing_indicators() -> None:
    comps = _doc()["competencies"]
    comps[1] = {**comps[1], "indicators": {2: ["only two"]}}
    assert _issues(competencies=comps) == [
        Issue(W, "MISSING_INDICATORS", "Competency 'b' has no indicator for levels 1, 3.", ("b",))]
    comps[1] = {**comps[1], "indicators": {1: ["x"], 2: ["y"]}}
    assert _issues(competencies=comps) == [
        Issue(W, "MISSING_INDICATORS", "Competency 'b' has no indicator for level 3.", ("b",))]


def test_role_without_requirements() -> None:
    roles = _doc()["roles"]
    roles[1] = {**roles[1], "requires": []}
    assert _issues(roles=roles) == [
        Issue(E, "PROMOTION_REQUIRES_LESS", "The promotion from 'junior' to 'senior' requires less in total "
                                            "(0 < 2, as Σ weight × level).", ("junior", "senior")),
        Issue(E, "ROLE_WITHOUT_REQUIREMENTS", "Role 'senior' requires no competency: everyone would be ready for it.",
              ("senior",)),
    ]


def _ladder(junior: list[tuple[str, int, float]], senior: list[tuple[str, int, float]]) -> list[Issue]:
    roles = _doc()["roles"]
    for role, reqs in zip(roles, (junior, senior)):
        role["requires"] = [{"competency": c, "level": lv, "weight": w} for c, lv, w in reqs]
    return _issues(roles=roles)


LESS = Issue(E, "PROMOTION_REQUIRES_LESS", "The promotion from 'junior' to 'senior' requires less in total "
                                           "(3 < 4, as Σ weight × level).", ("junior", "senior"))
LOWERS_B = Issue(W, "PROMOTION_LOWERS_REQUIREMENT", "The promotion from 'junior' to 'senior' lowers 'b' from level 2 "
                                                    "to 1.", ("junior", "senior", "b"))


@pytest.mark.parametrize(("junior", "senior", "expected"), [
    ([("a", 1, 1.0), ("b", 1, 1.0)], [("a", 2, 1.0), ("b", 1, 1.0)], []),            # more in total, nothing lower
    ([("a", 1, 1.0), ("b", 1, 1.0)], [("a", 3, 1.0)], []),                            # b dropped, not lowered
    ([("a", 2, 1.0), ("b", 2, 1.0)], [("a", 2, 1.0), ("b", 2, 1.0)], []),            # equal is not less
    ([("a", 2, 1.0), ("b", 2, 0.5)], [("a", 3, 1.0), ("b", 1, 1.0)], [LOWERS_B]),    # 4 = 4 but b goes down
    ([("a", 2, 1.0), ("b", 2, 1.0)], [("a", 3, 1.0)], [LESS]),                       # 3 < 4
    ([("a", 2, 1.0), ("b", 2, 1.0)], [("a", 2, 1.0), ("b", 1, 1.0)], [LESS, LOWERS_B]),
])
def test_promotions(junior: list[tuple[str, int, float]], senior: list[tuple[str, int, float]],
                    expected: list[Issue]) -> None:
    assert _ladder(junior, senior) == expected


def test_a_lateral_move_may_require_less() -> None:
    assert _issues(moves={"progresses_to": [["junior", "senior"]], "can_move_to": [["senior", "junior"]]}) == []


def test_unreachable_roles() -> None:
    assert _issues(moves={}) == [
        Issue(W, "UNREACHABLE_ROLE", "No move leads into role 'senior', and it is not an entry role (rank 2; the "
                                     "lowest in family 'eng' is 1).", ("senior",))]
    assert _issues(moves={"can_move_to": [["junior", "senior"]]}) == []  # a lateral move reaches it too


def test_entry_roles_are_per_family_and_roles_without_a_level_are_not_judged() -> None:
    doc = _doc(moves={})
    doc["families"].append({"id": "ops", "name": "Operations"})
    doc["roles"][1] = {**doc["roles"][1], "family": "ops"}   # senior is now the entry role of ops
    doc["roles"].append({"id": "loose", "title": "Loose", "requires": [{"competency": "a", "level": 1}]})
    doc["roles"].append({"id": "floating", "title": "Floating", "level": "l2",
                         "requires": [{"competency": "a", "level": 1}]})
    doc["roles"].append({"id": "grounded", "title": "Grounded", "level": "l1",
                         "requires": [{"competency": "a", "level": 1}]})
    assert framework_issues(from_document(doc)) == [
        Issue(W, "UNREACHABLE_ROLE", "No move leads into role 'floating', and it is not an entry role (rank 2; the "
                                     "lowest in roles without a family is 1).", ("floating",))]


def test_unused_competencies() -> None:
    comps = [*_doc()["competencies"], {"id": "c", "name": "C", "category": "LEADERSHIP", "indicators": ALL}]
    assert _issues(competencies=comps) == [
        Issue(W, "UNUSED_COMPETENCY", "No role requires competency 'c'.", ("c",))]


def test_people_without_a_role() -> None:
    people = [{"id": "ann", "name": "Ann", "role": "junior"}, {"id": "bo", "name": "Bo"}]
    assert _issues(people=people) == [Issue(W, "PERSON_WITHOUT_ROLE", "Person 'bo' holds no role.", ("bo",))]


def test_moves_and_people_pointing_at_deleted_roles() -> None:
    org = from_document(_doc())
    roles = {"junior": org.roles["junior"]}  # senior was deleted, its moves and holders were not
    people = {"ann": dataclasses.replace(org.people["ann"], role_id="senior")}
    broken = dataclasses.replace(org, roles=roles, people=people,
                                 moves=(*org.moves, Move("gone", "junior", MoveKind.CAN_MOVE_TO)))
    assert framework_issues(broken) == [
        Issue(E, "MOVE_FROM_MISSING_ROLE", "A CAN_MOVE_TO move to 'junior' starts from role 'gone', which does not "
                                           "exist.", ("gone", "junior")),
        Issue(E, "MOVE_TO_MISSING_ROLE", "A PROGRESSES_TO move from 'junior' leads to role 'senior', which does not "
                                         "exist.", ("junior", "senior")),
        Issue(W, "PERSON_WITHOUT_ROLE", "Person 'ann' holds role 'senior', which does not exist.", ("ann",)),
    ]


def test_document_issues() -> None:
    doc = _doc(moves={"progresses_to": [["junior", "senior"], ["junior", "deleted"], "junk"],
                      "can_move_to": [["ghost", "junior"]]})
    assert document_issues(doc) == [
        Issue(E, "MOVE_FROM_MISSING_ROLE", "A CAN_MOVE_TO move to 'junior' starts from role 'ghost', which does not "
                                           "exist.", ("ghost", "junior")),
        Issue(E, "MOVE_TO_MISSING_ROLE", "A PROGRESSES_TO move from 'junior' leads to role 'deleted', which does not "
                                         "exist.", ("junior", "deleted")),
    ]
    assert document_issues(_doc()) == []


@pytest.mark.parametrize("doc", [[], {"roles": "x", "moves": [1]}, {"moves": {"can_move_to": "x"}}])
def test_document_issues_skip_what_is_malformed(doc: Any) -> None:
    assert document_issues(doc) == []
