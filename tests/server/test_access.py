"""The whole access matrix, on both stores: every query and mutation × anonymous, an
employee, the manager of the person, another manager and HR, each with its expected
answer (allowed, FORBIDDEN or UNAUTHENTICATED); and tokens that must be refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from starlette.testclient import TestClient

from graph.seeds import sample_organisation
from server.app import create_app
from server.auth import Access, issue_token
from server.config import Secret, Settings
from tests.conftest import open_store
from tests.graph.conftest import AS_OF

from .conftest import SECRET, Api, settings, token

EMP, OTHER_EMP = "priya-raman", "chen-wei"          # both report to grace-lindqvist
MGR, OTHER_MGR, HR = "grace-lindqvist", "samuel-osei", "margaret-okonkwo"

VIEWERS = {
    "anonymous": None,
    "employee": token(EMP, Access.EMPLOYEE),
    "colleague": token(OTHER_EMP, Access.EMPLOYEE),
    "manager": token(MGR, Access.MANAGER),
    "other manager": token(OTHER_MGR, Access.MANAGER),
    "hr": token(HR, Access.HR),
}
A, F, U = "ALLOW", "FORBIDDEN", "UNAUTHENTICATED"
EMP_MANAGER_ASSESSMENT = next(a.id for a in sample_organisation().assessments
                              if a.person_id == EMP and a.source.value == "MANAGER")


def row(anonymous: str, employee: str, colleague: str, manager: str, other_manager: str, hr: str) -> dict[str, str]:
    return dict(zip(VIEWERS, (anonymous, employee, colleague, manager, other_manager, hr)))


PUBLIC = row(A, A, A, A, A, A)
OWN = row(U, A, F, A, F, A)                      # about EMP
ORG = row(U, F, F, A, F, A)                      # MGR's organisation
HR_ONLY = row(U, F, F, F, F, A)

ME = f'{{personId: "{EMP}"}}'
QUERIES: list[tuple[str, str, dict[str, str]]] = [
    ("framework", "{ framework { id scale { name } } }", PUBLIC),
    ("jobFamilies", "{ jobFamilies { id roles { id } } }", PUBLIC),
    ("tracks/levels", "{ tracks { id } levels { rank } }", PUBLIC),
    ("roles", "{ roles(first: 5) { totalCount nodes { id movesTo { id } requirements { level } } } }", PUBLIC),
    ("role", '{ role(id: "staff-software-engineer") { title movesFrom { id } } }', PUBLIC),
    ("competencies", "{ competencies(first: 3) { nodes { id indicators { text } } } }", PUBLIC),
    ("competency", '{ competency(id: "testing") { name } }', PUBLIC),
    ("learningResources", "{ learningResources(first: 3) { nodes { id } } }", PUBLIC),
    ("viewer", "{ viewer { access } }", PUBLIC),
    ("closestRoles role", '{ closestRoles(from: {roleId: "software-engineer"}) { gap } }', PUBLIC),
    ("gap inline", '{ gap(from: {proficiencies: [{competencyId: "testing", level: 2}]}, to: "software-engineer") '
                   '{ totalGap } }', PUBLIC),
    ("person", f'{{ person(id: "{EMP}") {{ name email proficiencies {{ level }} }} }}', OWN),
    ("closestRoles person", f"{{ closestRoles(from: {ME}) {{ gap }} }}", OWN),
    ("learnNext person", f"{{ learnNext(from: {ME}) {{ reason }} }}", OWN),
    ("gap person", f'{{ gap(from: {ME}, to: "staff-software-engineer") {{ totalGap }} }}', OWN),
    ("careerPath person", f'{{ careerPath(from: {ME}, to: "staff-software-engineer") {{ totalGap }} }}', OWN),
    ("developmentPlan person", f'{{ developmentPlan(from: {ME}, to: "staff-software-engineer") {{ totalHours }} }}', OWN),
    ("successors in org", f'{{ successors(role: "engineering-manager", manager: "{MGR}") {{ benchStrength }} }}', ORG),
    ("successors everyone", '{ successors(role: "engineering-manager") { benchStrength } }', HR_ONLY),
    ("teamHeatmap", f'{{ teamHeatmap(manager: "{MGR}") {{ people {{ id }} }} }}', ORG),
    ("skillsInventory", "{ skillsInventory { rolesRequiring } }", HR_ONLY),
    ("auditTrail", "{ auditTrail { totalCount } }", HR_ONLY),
    ("frameworkIssues", "{ frameworkIssues { code } }", HR_ONLY),
    ("people", "{ people(first: 100) { totalCount } }", row(U, A, A, A, A, A)),
    ("gap person asOf", f'{{ gap(from: {{personId: "{EMP}", asOf: "2026-01-01"}}, to: "software-engineer") '
                        '{ totalGap } }', OWN),
    ("personTrend", f'{{ personTrend(personId: "{EMP}") {{ points {{ readiness }} }} }}', OWN),
    ("person plan", f'{{ person(id: "{EMP}") {{ plan {{ progress }} }} }}', OWN),
    ("person assessments", f'{{ person(id: "{EMP}") {{ assessments(first: 3) {{ level evidence {{ kind }} }} }} }}', OWN),
    ("whatIf person", f'{{ whatIf(from: {ME}, raise: [{{competencyId: "testing", level: 4}}]) {{ role {{ id }} }} }}',
     OWN),
    ("whatIf role", '{ whatIf(from: {roleId: "software-engineer"}, raise: [{competencyId: "testing", level: 4}]) '
                    '{ role { id } } }', PUBLIC),
    ("teamTrend", f'{{ teamTrend(manager: "{MGR}", from: "2026-01-01", to: "2026-10-31") {{ points {{ at }} }} }}',
     ORG),
    ("teamHeatmap asOf", f'{{ teamHeatmap(manager: "{MGR}", asOf: "2026-01-01") {{ people {{ id }} }} }}', ORG),
    ("successors asOf", f'{{ successors(role: "engineering-manager", manager: "{MGR}", asOf: "2026-01-01") '
                        '{ benchStrength } }', ORG),
    ("benchStrength in org", f'{{ benchStrength(manager: "{MGR}") {{ cover }} }}', ORG),
    ("benchStrength everyone", "{ benchStrength { cover } }", HR_ONLY),
    ("ifLeaves in org", f'{{ ifLeaves(personId: "{EMP}", manager: "{MGR}") {{ after }} }}', ORG),
    ("ifLeaves everyone", f'{{ ifLeaves(personId: "{EMP}") {{ after }} }}', HR_ONLY),
    ("talentPool in org", f'{{ talentPool(role: "engineering-manager", manager: "{MGR}") {{ gap }} }}', ORG),
    ("talentPool everyone", '{ talentPool(role: "engineering-manager") { gap } }', HR_ONLY),
    ("person interests", f'{{ person(id: "{EMP}") {{ interests {{ at }} }} }}', OWN),
    ("inventoryPeople", '{ inventoryPeople(competency: "testing", below: true) { totalCount } }', HR_ONLY),
    ("role inferredMovesTo", '{ role(id: "software-engineer") { inferredMovesTo { gap } } }', PUBLIC),
]

MUTATIONS: list[tuple[str, str, dict[str, str]]] = [
    ("recordAssessment MANAGER", f'mutation {{ recordAssessment(input: {{personId: "{EMP}", competencyId: "testing", '
                                 'level: 3, source: MANAGER}) { id } }', row(U, F, F, A, F, A)),
    ("recordAssessment SELF", f'mutation {{ recordAssessment(input: {{personId: "{EMP}", competencyId: "testing", '
                              'level: 3, source: SELF}) { id } }', row(U, A, F, A, F, A)),
    ("addEvidence", f'mutation {{ addEvidence(assessmentId: "{EMP_MANAGER_ASSESSMENT}", input: {{kind: "FEEDBACK"}}) '
                    '{ id } }', row(U, F, F, A, F, A)),
    ("setInterest", f'mutation {{ setInterest(personId: "{EMP}", roleId: "senior-software-engineer") {{ id }} }}',
     row(U, A, F, F, F, A)),
    ("recordAssessments SELF", f'mutation {{ recordAssessments(input: [{{personId: "{EMP}", competencyId: "testing", '
                               'level: 3, source: SELF}]) { id } }', row(U, A, F, A, F, A)),
    ("recordAssessments MANAGER", f'mutation {{ recordAssessments(input: [{{personId: "{EMP}", '
                                  'competencyId: "testing", level: 3, source: MANAGER}]) { id } }',
     row(U, F, F, A, F, A)),
]
PLAN = row(U, A, F, A, F, A)                     # the person, their manager, HR
HR_MUTATIONS = [
    'mutation { updateFramework(input: {version: "2026.2"}) { version } }',
    'mutation { createCompetency(input: {id: "m-comp", name: "M", category: TECHNICAL}) { id } }',
    'mutation { updateCompetency(input: {id: "m-comp", name: "M2", category: LEADERSHIP}) { id } }',
    'mutation { setIndicators(competencyId: "m-comp", level: 1, texts: ["Names it"]) { id } }',
    'mutation { createJobFamily(input: {id: "m-fam", name: "F"}) { id } }',
    'mutation { updateJobFamily(input: {id: "m-fam", name: "F2"}) { id } }',
    'mutation { createTrack(input: {id: "m-track", name: "T"}) { id } }',
    'mutation { updateTrack(input: {id: "m-track", name: "T2"}) { id } }',
    'mutation { createLevel(input: {id: "m-level", rank: 9, name: "L"}) { id } }',
    'mutation { updateLevel(input: {id: "m-level", rank: 8, name: "L2"}) { id } }',
    'mutation { createRole(input: {id: "m-role", title: "R", familyId: "m-fam", trackId: "m-track", levelId: "m-level"}) '
    '{ id } }',
    'mutation { updateRole(input: {id: "m-role", title: "R2"}) { id } }',
    'mutation { setRequirement(roleId: "m-role", input: {competencyId: "m-comp", level: 1}) { id } }',
    'mutation { removeRequirement(roleId: "m-role", competencyId: "m-comp") { id } }',
    'mutation { addMove(from: "software-engineer", to: "m-role", kind: CAN_MOVE_TO) { id } }',
    'mutation { removeMove(from: "software-engineer", to: "m-role", kind: CAN_MOVE_TO) { id } }',
    'mutation { createPerson(input: {id: "m-person", name: "P", roleId: "m-role", managerId: "helena-marsh"}) { id } }',
    'mutation { updatePerson(input: {id: "m-person", name: "P2", roleId: "m-role"}) { id } }',
    'mutation { createLearningResource(input: {id: "m-res", title: "Res", kind: READING, hours: 2, '
    'develops: [{competencyId: "m-comp", fromLevel: 0, toLevel: 1}]}) { id } }',
    'mutation { updateLearningResource(input: {id: "m-res", title: "Res2", kind: READING, hours: 3}) { id } }',
    'mutation { deleteLearningResource(id: "m-res") { id } }',
    'mutation { deletePerson(id: "m-person") { id } }',
    'mutation { deleteRole(id: "m-role") { id } }',
    'mutation { deleteCompetency(id: "m-comp") { id } }',
    'mutation { deleteLevel(id: "m-level") { id } }',
    'mutation { deleteTrack(id: "m-track") { id } }',
    'mutation { deleteJobFamily(id: "m-fam") { id } }',
]


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = open_store(request.param, tmp_path_factory.mktemp("access"), request, seed=True)
    with TestClient(create_app(settings(), store=store, today=lambda: AS_OF)) as c:
        yield c


def outcome(body: dict) -> str:  # type: ignore[type-arg]
    errors = body.get("errors") or []
    codes = {e.get("extensions", {}).get("code") for e in errors}
    if "FORBIDDEN" in codes:
        return F
    if "UNAUTHENTICATED" in codes:
        return U
    assert not errors, errors
    return A


def check(client: TestClient, cases: list[tuple[str, str, dict[str, str]]]) -> list[str]:
    wrong = []
    for name, doc, expected in cases:
        for viewer, want in expected.items():
            got = outcome(Api(client, VIEWERS[viewer])(doc))
            if got != want:
                wrong.append(f"{name} as {viewer}: expected {want}, got {got}")
    return wrong


def test_every_query(client: TestClient) -> None:
    assert check(client, QUERIES) == []


def test_people_lists_only_whom_the_viewer_may_see(client: TestClient) -> None:
    def count(viewer: str) -> int:
        return Api(client, VIEWERS[viewer]).data("{ people(first: 100) { totalCount } }")["people"]["totalCount"]

    assert (count("employee"), count("manager"), count("hr")) == (1, 7, 77)


def test_every_mutation(client: TestClient) -> None:
    assert check(client, MUTATIONS) == []
    hr = Api(client, VIEWERS["hr"])
    wrong = []
    for doc in HR_MUTATIONS:
        for viewer in ("anonymous", "employee", "manager"):
            got = outcome(Api(client, VIEWERS[viewer])(doc))
            want = U if viewer == "anonymous" else F
            if got != want:
                wrong.append(f"{doc[:60]} as {viewer}: expected {want}, got {got}")
        body = hr(doc)
        if body.get("errors"):
            wrong.append(f"{doc[:60]} as hr: {body['errors'][0]['message']}")
    assert wrong == []


def test_plan_mutations(client: TestClient) -> None:
    """savePlan, completePlanItem and clearPlan: the person, their managers and HR, nobody else."""
    hr = Api(client, VIEWERS["hr"])
    save = f'mutation {{ savePlan(personId: "{EMP}", target: "staff-software-engineer") {{ items {{ resource {{ id }} competency {{ id }} }} }} }}'
    wrong = []
    for viewer, want in PLAN.items():
        items = hr.data(save)["savePlan"]["items"]
        first = items[0]
        complete = (f'mutation {{ completePlanItem(personId: "{EMP}", resourceId: "{first["resource"]["id"]}", '
                    f'competencyId: "{first["competency"]["id"]}") {{ doneHours }} }}')
        clear = f'mutation {{ clearPlan(personId: "{EMP}") {{ id }} }}'
        for name, doc in (("savePlan", save), ("completePlanItem", complete), ("clearPlan", clear)):
            got = outcome(Api(client, VIEWERS[viewer])(doc))
            if got != want:
                wrong.append(f"{name} as {viewer}: expected {want}, got {got}")
    assert wrong == []


def test_nomination_mutations(client: TestClient) -> None:
    """nominate and withdrawNomination: the person's manager and HR; not the person, not others."""
    hr = Api(client, VIEWERS["hr"])
    nominate = f'mutation {{ nominate(roleId: "engineering-manager", personId: "{EMP}") {{ gap }} }}'
    withdraw = f'mutation {{ withdrawNomination(roleId: "engineering-manager", personId: "{EMP}") {{ id }} }}'
    wrong = []
    for viewer, want in row(U, F, F, A, F, A).items():
        got = outcome(Api(client, VIEWERS[viewer])(nominate))
        if got != want:
            wrong.append(f"nominate as {viewer}: expected {want}, got {got}")
        if got != A:
            hr.data(nominate)
        got = outcome(Api(client, VIEWERS[viewer])(withdraw))
        if got != want:
            wrong.append(f"withdrawNomination as {viewer}: expected {want}, got {got}")
        if got != A:
            hr.data(withdraw)
    assert wrong == []


@pytest.mark.parametrize("bad", [
    issue_token(SECRET, EMP, Access.EMPLOYEE, ttl=-10),                                       # expired
    "not.a.token",                                                                              # malformed
    issue_token("a different secret that is also long enough", EMP, Access.EMPLOYEE),         # wrongly signed
    jwt.encode({"sub": EMP, "access": "GOD", "iss": "trellis", "exp": int(time.time()) + 60}, SECRET),  # bad claim
])
def test_bad_tokens_are_refused(client: TestClient, bad: str) -> None:
    resp = client.post("/graphql", json={"query": "{ viewer { access } }"}, headers={"authorization": f"Bearer {bad}"})
    assert resp.status_code == 401
    assert resp.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_demo_sign_in_exists_only_in_demo_mode(tmp_path: Path) -> None:
    store = open_store("embedded", tmp_path, None, seed=True)  # type: ignore[arg-type]
    with TestClient(create_app(settings(), store=store)) as c:
        assert c.get("/auth/demo").status_code in (404, 405)
        assert c.post("/auth/demo", json={"personId": EMP}).status_code in (404, 405)
    demo = Settings(secret=Secret(SECRET), demo=True)
    with TestClient(create_app(demo, store=open_store("embedded", tmp_path / "d", None, seed=True))) as c:  # type: ignore[arg-type]
        people = {p["id"]: p["access"] for p in c.get("/auth/demo").json()["people"]}
        assert (people[EMP], people[MGR], people[HR]) == ("EMPLOYEE", "MANAGER", "HR")
        signed = c.post("/auth/demo", json={"personId": MGR}).json()
        assert signed["access"] == "MANAGER"
        me = c.post("/graphql", json={"query": "{ viewer { access person { id } } }"},
                    headers={"authorization": f"Bearer {signed['token']}"}).json()
        assert me["data"]["viewer"] == {"access": "MANAGER", "person": {"id": MGR}}
        assert c.post("/auth/demo", json={"personId": "nobody"}).status_code == 404
