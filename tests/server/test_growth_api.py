"""The living model over GraphQL on the tiny organisation (numbers by hand: see tests/graph/test_history.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graph.document import from_document
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access
from tests.graph.conftest import AS_OF, tiny_document

from .conftest import Api, settings, token


@pytest.fixture
def api(tmp_path) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    store = EmbeddedStore(tmp_path / "s.json", seed=False)
    store.replace(from_document(tiny_document()))
    with TestClient(create_app(settings(), store=store, today=lambda: AS_OF), raise_server_exceptions=False) as c:
        yield Api(c, token("boss", Access.HR))


def test_as_of_answers(api: Api) -> None:
    gap = api.data('{ gap(from: {personId: "ana", asOf: "2025-09-01"}, to: "mid") { totalGap readiness '
                   'items { competency { id } current evidence } } }')["gap"]
    assert (gap["totalGap"], gap["readiness"]) == (4.0, 0.5)
    assert {i["competency"]["id"]: (i["current"], i["evidence"]) for i in gap["items"]} == {
        "a": (2, "VERIFIED"), "b": (0, "NONE")}
    # As of the end of 2025 Ben (Junior) had nothing yet: Ana, a Mid, is left out as a level up; Cy likewise
    succ = api.data('{ successors(role: "junior", asOf: "2025-12-31") { candidates { person { id } gap } } }')
    assert succ["successors"]["candidates"] == []
    heat = api.data('{ teamHeatmap(manager: "ana", asOf: "2025-12-31") { cells { person { id } competency { id } '
                    'current deficit } } }')["teamHeatmap"]["cells"]
    assert {(c["person"]["id"], c["competency"]["id"]): (c["current"], c["deficit"]) for c in heat} == {
        ("ben", "a"): (0, 2), ("ben", "b"): (0, 1), ("cy", "a"): (0, 3), ("cy", "b"): (0, 2)}
    closest = api.data('{ closestRoles(from: {personId: "ana", asOf: "2024-12-31"}, limit: 2) { role { id } gap } }')
    assert all(m["gap"] >= 0 for m in closest["closestRoles"])


@pytest.mark.parametrize(("query", "words"), [
    ('{ gap(from: {personId: "ana", asOf: "yesterday"}, to: "mid") { totalGap } }', "not 'yesterday'"),
    ('{ gap(from: {roleId: "junior", asOf: "2026-01-01"}, to: "mid") { totalGap } }', "asOf goes with personId"),
    ('{ teamTrend(manager: "boss", from: "2026-06-01", to: "2026-01-01") { points { at } } }', "before from"),
    ('{ teamTrend(manager: "boss", from: "1900-01-01", to: "2026-01-01", every: MONTH) { points { at } } }',
     "more than 240"),
    ('{ whatIf(from: {personId: "ben"}, raise: [{competencyId: "a", level: 9}]) { role { id } } }', "outside"),
    ('{ benchStrength(threshold: -1) { cover } }', "threshold"),
])
def test_bad_input_is_named(api: Api, query: str, words: str) -> None:
    err = api.error(query)
    assert err["extensions"]["code"] == "BAD_INPUT" and words in err["message"]


def test_trends(api: Api) -> None:
    t = api.data('{ personTrend(personId: "ana") { target { id } points { at gap readiness verdict } '
                 'competencies { competency { id } required points { at level } } } }')["personTrend"]
    assert t["target"]["id"] == "mid"
    assert [(p["at"], p["gap"]) for p in t["points"]] == [("2025-01-01", 8.0), ("2025-09-01", 4.0),
                                                           ("2026-03-01", 2.0), ("2026-06-01", 0.0),
                                                           ("2026-11-01", 0.0)]
    a = next(s for s in t["competencies"] if s["competency"]["id"] == "a")
    assert a["required"] == 3 and [p["level"] for p in a["points"]] == [0, 2, 3, 3, 3]
    team = api.data('{ teamTrend(manager: "boss", from: "2025-10-01", to: "2026-06-30") { people { id } '
                    'points { at totalDeficit meanReadiness topGaps { competency { id } totalDeficit } } } }')
    points = team["teamTrend"]["points"]
    assert [(p["at"], p["totalDeficit"]) for p in points] == [("2025-12-31", 15.0), ("2026-03-31", 11.0),
                                                              ("2026-06-30", 9.0)]
    assert [(g["competency"]["id"], g["totalDeficit"]) for g in points[0]["topGaps"]] == [("a", 10.0), ("b", 5.0)]


def test_what_if_and_bench(api: Api) -> None:
    changes = api.data('{ whatIf(from: {personId: "ben"}, raise: [{competencyId: "b", level: 3}], limit: 2) '
                       '{ role { id } before { verdict } after { gap readiness verdict } } }')["whatIf"]
    assert changes == [{"role": {"id": "junior"}, "before": {"verdict": "RESKILL"},
                        "after": {"gap": 0.0, "readiness": 1.0, "verdict": "READY"}},
                       {"role": {"id": "lead"}, "before": {"verdict": "RESKILL"},
                        "after": {"gap": 8.0, "readiness": round(3 / 11, 6), "verdict": "RESKILL"}}]
    leaves = api.data('{ ifLeaves(personId: "ana") { role { id } cover after atRisk holders { id } } }')["ifLeaves"]
    assert leaves == [{"role": {"id": "mid"}, "cover": 2, "after": 1, "atRisk": True,
                       "holders": [{"id": "ana"}, {"id": "cy"}]}]


def test_saved_plan_lifecycle(api: Api) -> None:
    """Ana (a 3, b 2 SELF, c 2) aims at Senior (a 4, b 3, c 2): r-bc (b 2→3, 5 h) then r-a1 (a 3→4, 12 h)."""
    plan = api.data('mutation { savePlan(personId: "ana", target: "senior") { target { id } totalHours doneHours '
                    'progress items { resource { id hours } competency { id } fromLevel toLevel done } } }')["savePlan"]
    hours = {r["id"]: r["hours"] for r in tiny_document()["resources"]}
    used = {i["resource"]["id"] for i in plan["items"]}
    assert [(i["resource"]["id"], i["competency"]["id"], i["fromLevel"], i["toLevel"]) for i in plan["items"]] == [
        ("r-bc", "b", 2, 3), ("r-a1", "a", 3, 4)]
    assert plan["totalHours"] == sum(hours[r] for r in used) and plan["progress"] == 0.0
    first = plan["items"][0]
    done = api.data(f'mutation {{ completePlanItem(personId: "ana", resourceId: "{first["resource"]["id"]}", '
                    f'competencyId: "{first["competency"]["id"]}", at: "2026-10-15") {{ doneHours progress '
                    'items { done doneAt } } }')["completePlanItem"]
    own = hours[first["resource"]["id"]]
    assert done["doneHours"] == own and done["progress"] == round(own / plan["totalHours"], 6)
    assert done["items"][0] == {"done": True, "doneAt": "2026-10-15"}
    person = api.data('{ person(id: "ana") { plan { target { id } progress } proficiencies { competency { id } level '
                      'source evidence } } }')["person"]
    assert person["plan"]["target"]["id"] == "senior"
    assert {"competency": {"id": first["competency"]["id"]}, "level": first["toLevel"], "source": "MANAGER",
            "evidence": "VERIFIED"} in person["proficiencies"]       # marked by HR, not by Ben: MANAGER
    trail = api.data('{ auditTrail(subject: "Plan:") { nodes { action subject } } }')["auditTrail"]["nodes"]
    assert [n["action"] for n in trail] == ["completePlanItem", "savePlan"]
    again = api.error(f'mutation {{ completePlanItem(personId: "ana", resourceId: "{first["resource"]["id"]}", '
                      f'competencyId: "{first["competency"]["id"]}") {{ progress }} }}')
    assert again["extensions"]["code"] == "CONFLICT"
    assert api.data('mutation { clearPlan(personId: "ana") { subject } }')["clearPlan"]["subject"] == "Plan:ana"
    assert api.data('{ person(id: "ana") { plan { progress } } }')["person"]["plan"] is None
    assert api.error('mutation { savePlan(personId: "ana", target: "astronaut") { progress } }')["extensions"][
        "code"] == "NOT_FOUND"


def test_record_assessments_writes_all_or_nothing(api: Api) -> None:
    count = '{ person(id: "ben") { proficiencies { competency { id } level } } }'
    before = api.data(count)["person"]["proficiencies"]
    err = api.error('mutation { recordAssessments(input: [{personId: "ben", competencyId: "b", level: 2, '
                    'source: MANAGER}, {personId: "ben", competencyId: "c", level: 9, source: MANAGER}]) { id } }')
    assert err["extensions"]["code"] == "BAD_INPUT" and "input[1].level" in err["message"]
    assert api.data(count)["person"]["proficiencies"] == before
    made = api.data('mutation { recordAssessments(input: [{personId: "ben", competencyId: "b", level: 2, '
                    'source: MANAGER, evidence: [{kind: "1-on-1", note: "ran the retro", at: "2026-10-30"}]}, '
                    '{personId: "ben", competencyId: "c", level: 1, source: MANAGER}]) { competency { id } level '
                    'evidence { kind note } } }')["recordAssessments"]
    assert made == [{"competency": {"id": "b"}, "level": 2, "evidence": [{"kind": "1-on-1", "note": "ran the retro"}]},
                    {"competency": {"id": "c"}, "level": 1, "evidence": []}]


def test_a_persons_assessment_history(api: Api) -> None:
    history = api.data('{ person(id: "ana") { assessments { id level source at } } }')["person"]["assessments"]
    assert [(a["id"], a["level"], a["source"], a["at"]) for a in history] == [
        ("4", 2, "SELF", "2026-06-01"), ("1", 4, "SELF", "2026-06-01"), ("2", 3, "MANAGER", "2026-03-01"),
        ("3", 2, "MANAGER", "2025-09-01"), ("5", 2, "MANAGER", "2025-01-01")]
    of_a = api.data('{ person(id: "ana") { assessments(competency: "a", first: 1) { id } } }')["person"]["assessments"]
    assert of_a == [{"id": "1"}]
