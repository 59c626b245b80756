"""HR builds and edits the job architecture through GraphQL alone, on every store:
validation with codes that name the field, one transaction per mutation, an audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.auth import Access
from tests.conftest import open_store
from tests.graph.conftest import AS_OF

from .conftest import Api, settings, token


@pytest.fixture(params=["embedded", "neo4j"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    store = open_store(request.param, tmp_path, request, seed=False)
    with TestClient(create_app(settings(), store=store, today=lambda: AS_OF)) as client:
        yield Api(client, token("hr-admin", Access.HR))


BUILD = [
    'mutation { updateFramework(input: {name: "Acme", version: "1", validityDays: 180}) { name validityDays } }',
    'mutation { createCompetency(input: {id: "sql", name: "SQL", category: TECHNICAL}) { id } }',
    'mutation { createCompetency(input: {id: "talk", name: "Talking", category: BEHAVIOURAL}) { id } }',
    'mutation { setIndicators(competencyId: "sql", level: 3, texts: ["Writes a window query", "Reviews joins"]) '
    '{ indicators(level: 3) { text } } }',
    'mutation { createJobFamily(input: {id: "data", name: "Data"}) { id } }',
    'mutation { createTrack(input: {id: "ic", name: "IC"}) { id } }',
    'mutation { createLevel(input: {id: "l1", rank: 1, name: "Junior"}) { id } }',
    'mutation { createLevel(input: {id: "l2", rank: 2, name: "Senior"}) { id } }',
    'mutation { createRole(input: {id: "analyst", title: "Analyst", familyId: "data", trackId: "ic", levelId: "l1", '
    'requirements: [{competencyId: "sql", level: 2}]}) { id requirements { level } } }',
    'mutation { createRole(input: {id: "senior", title: "Senior Analyst", familyId: "data", levelId: "l2", '
    'requirements: [{competencyId: "sql", level: 4, weight: 2, essential: true}, {competencyId: "talk", level: 3}]}) { id } }',
    'mutation { addMove(from: "analyst", to: "senior", kind: PROGRESSES_TO) { movesTo { id } } }',
    'mutation { createPerson(input: {id: "mo", name: "Mo", email: "mo@acme.example", roleId: "senior"}) { id } }',
    'mutation { createPerson(input: {id: "ida", name: "Ida", roleId: "analyst", managerId: "mo"}) { id manager { id } } }',
    'mutation { recordAssessment(input: {personId: "ida", competencyId: "sql", level: 3, source: MANAGER, '
    'at: "2026-10-01", evidence: [{kind: "REVIEW", note: "Rewrote the churn query"}]}) { id level source } }',
    'mutation { createLearningResource(input: {id: "sql-course", title: "SQL II", kind: COURSE, hours: 10, '
    'develops: [{competencyId: "sql", fromLevel: 3, toLevel: 4}]}) { id } }',
]


def test_hr_builds_a_framework_from_nothing(api: Api) -> None:
    for doc in BUILD:
        api.data(doc)
    gap = api.data('{ gap(from: {personId: "ida"}, to: "senior") { totalGap readiness items { competency { id } '
                   'deficit evidence } } }')["gap"]
    # sql 2*(4-3) + talk 1*(3-0) = 5 of 2*4 + 3 = 11
    assert gap["totalGap"] == 5 and gap["readiness"] == pytest.approx(6 / 11)
    assert {i["competency"]["id"]: i["evidence"] for i in gap["items"]} == {"sql": "VERIFIED", "talk": "NONE"}
    path = api.data('{ careerPath(from: {personId: "ida"}, to: "senior") { totalGap steps { role { id } } } }')
    assert path["careerPath"] == [{"totalGap": 5.0, "steps": [{"role": {"id": "senior"}}]}]
    plan = api.data('{ developmentPlan(from: {personId: "ida"}, to: "senior") { totalHours items { resource { id } } } }')
    assert plan["developmentPlan"]["totalHours"] == 10
    trail = api.data('{ auditTrail(first: 50) { totalCount nodes { action subject actor access before after } } }')
    assert trail["auditTrail"]["totalCount"] == len(BUILD)
    newest = trail["auditTrail"]["nodes"][0]
    assert (newest["action"], newest["subject"], newest["actor"], newest["access"], newest["before"]) == (
        "createLearningResource", "LearningResource:sql-course", "hr-admin", "HR", "null")
    roles = api.data('{ auditTrail(subject: "Role:") { totalCount } }')["auditTrail"]["totalCount"]
    assert roles == 2


@pytest.mark.parametrize("doc, code, words", [
    ('mutation { createRole(input: {id: "x", title: "X", requirements: [{competencyId: "sql", level: 9}]}) { id } }',
     "BAD_INPUT", "requirements[0].level: must be between 1 and 5"),
    ('mutation { createRole(input: {id: "x", title: "X", requirements: [{competencyId: "sql", level: 2, weight: 0}]}) '
     '{ id } }', "BAD_INPUT", "requirements[0].weight: must be more than 0"),
    ('mutation { createRole(input: {id: "x", title: "X", requirements: [{competencyId: "sql", level: 2}, '
     '{competencyId: "sql", level: 3}]}) { id } }', "BAD_INPUT", "required twice"),
    ('mutation { createRole(input: {id: "x", title: "X", familyId: "nope"}) { id } }', "NOT_FOUND", "No job family"),
    ('mutation { createRole(input: {id: "analyst", title: "Again"}) { id } }', "CONFLICT", "already exists"),
    ('mutation { addMove(from: "analyst", to: "analyst", kind: CAN_MOVE_TO) { id } }', "BAD_INPUT", "to itself"),
    ('mutation { addMove(from: "analyst", to: "senior", kind: PROGRESSES_TO) { id } }', "CONFLICT", "already exists"),
    ('mutation { updatePerson(input: {id: "mo", name: "Mo", managerId: "ida"}) { id } }', "BAD_INPUT",
     "managerId: 'ida' reports (directly or not) to 'mo': that is a reporting cycle"),
    ('mutation { recordAssessment(input: {personId: "ida", competencyId: "sql", level: 6, source: SELF}) { id } }',
     "BAD_INPUT", "level: must be between 0 and 5"),
    ('mutation { setRequirement(roleId: "ghost", input: {competencyId: "sql", level: 2}) { id } }', "NOT_FOUND",
     "No role with id 'ghost'"),
    ('mutation { createPerson(input: {id: "zed", name: "Zed", since: "last week"}) { id } }', "BAD_INPUT", "since"),
    ('mutation { deleteCompetency(id: "sql") { id } }', "CONFLICT", "is used by role analyst, role senior"),
    ('mutation { deleteRole(id: "analyst") { id } }', "CONFLICT", "person ida"),
    ('mutation { deletePerson(id: "mo") { id } }', "CONFLICT", "person ida (reports to them)"),
    ('mutation { setRequirement(roleId: "analyst", input: {competencyId: "sql", level: 2, weight: 1e308}) { id } }',
     "BAD_INPUT", "weight: must be more than 0 and at most 1000, not 1e+308"),
    ('mutation { recordAssessment(input: {personId: "ida", competencyId: "sql", level: 2, source: SELF, note: "{NOTE}"}) { id } }',
     "BAD_INPUT", "note: is 2,000,000 characters long; at most 20,000"),
])
def test_bad_mutations_change_nothing(api: Api, doc: str, code: str, words: str) -> None:
    for step in BUILD:
        api.data(step)
    before = api.client.get("/healthz").json()["version"]
    error = api.error(doc.replace("{NOTE}", "x" * 2_000_000))
    assert error["extensions"]["code"] == code and words in error["message"], error
    assert api.client.get("/healthz").json()["version"] == before
    assert api.data('{ auditTrail { totalCount } }')["auditTrail"]["totalCount"] == len(BUILD)


def test_conflict_lists_every_dependant(api: Api) -> None:
    for step in BUILD:
        api.data(step)
    error = api.error('mutation { deleteCompetency(id: "sql") { id } }')
    assert error["extensions"]["problems"] == ["role analyst", "role senior", "resource sql-course",
                                               "assessments of ida"]


def test_cascading_deletes(api: Api) -> None:
    for step in BUILD:
        api.data(step)
    api.data('mutation { deleteCompetency(id: "sql", cascade: true) { id } }')
    senior = api.data('{ role(id: "senior") { requirements { competency { id } } } }')["role"]
    assert senior["requirements"] == [{"competency": {"id": "talk"}}]
    assert api.data('{ person(id: "ida") { proficiencies { level } } }')["person"]["proficiencies"] == []
    api.data('mutation { deletePerson(id: "mo", cascade: true) { id } }')
    assert api.data('{ person(id: "ida") { manager { id } } }')["person"]["manager"] is None
    api.data('mutation { deleteRole(id: "analyst", cascade: true) { id } }')
    assert api.data('{ person(id: "ida") { role { id } } }')["person"]["role"] is None
    assert api.data('{ role(id: "senior") { movesFrom { id } } }')["role"]["movesFrom"] == []


def test_updates_and_evidence(api: Api) -> None:
    for step in BUILD:
        api.data(step)
    api.data('mutation { updateRole(input: {id: "analyst", title: "Data Analyst", familyId: "data", levelId: "l1"}) { id } }')
    role = api.data('{ role(id: "analyst") { title requirements { competency { id } level } track { id } } }')["role"]
    assert role == {"title": "Data Analyst", "requirements": [{"competency": {"id": "sql"}, "level": 2}], "track": None}
    rec = api.data('mutation { recordAssessment(input: {personId: "ida", competencyId: "talk", level: 2, source: SELF}) '
                   '{ id at } }')["recordAssessment"]
    assert rec["at"] == AS_OF.isoformat()
    ev = api.data(f'mutation {{ addEvidence(assessmentId: "{rec["id"]}", input: {{kind: "FEEDBACK", note: "Ran the demo"}}) '
                  '{ level evidence { kind note } } }')["addEvidence"]
    assert ev == {"level": 2, "evidence": [{"kind": "FEEDBACK", "note": "Ran the demo"}]}
    history = api.data('{ person(id: "ida") { proficiencies { competency { id } level source } } }')
    assert {"competency": {"id": "talk"}, "level": 2, "source": "SELF"} in history["person"]["proficiencies"]


__all__ = ["Any"]
