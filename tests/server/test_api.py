"""Every core field through the real ASGI app, on the tiny organisation whose answers
are computed by hand in tests/graph/test_semantics.py, and every bad-input case."""

from __future__ import annotations

import pytest

from pathlib import Path

from starlette.testclient import TestClient

from graph.closeness import closest_roles
from graph.document import from_document
from graph.profiles import resolve_profile
from graph.projection import Projection, build_projection
from server.app import create_app
from server.schema import SDL_PATH, schema

from tests.graph.conftest import tiny_document
from .conftest import Api

ANA = '{personId: "ana"}'


def test_catalogue_connections_paginate(tiny_api: Api) -> None:
    q = "query($after: String) { roles(first: 4, after: $after) { totalCount nodes { id } " \
        "edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"
    first = tiny_api.data(q)["roles"]
    assert first["totalCount"] == 6
    assert [n["id"] for n in first["nodes"]] == ["empty", "junior", "island", "mid"]   # by level rank, then id
    assert first["pageInfo"]["hasNextPage"] is True
    rest = tiny_api.data(q, {"after": first["pageInfo"]["endCursor"]})["roles"]
    assert [n["id"] for n in rest["nodes"]] == ["lead", "senior"] and rest["pageInfo"]["hasNextPage"] is False


def test_role_with_requirements_moves_and_links(tiny_api: Api) -> None:
    role = tiny_api.data('{ role(id: "mid") { title family { id name } level { rank name } track { id } '
                         'requirements { competency { id name } level weight essential } '
                         'movesTo { id } movesFrom { id } } }')["role"]
    assert role["family"] == {"id": "eng", "name": "Engineering"} and role["level"] == {"rank": 2, "name": "Two"}
    assert role["requirements"] == [
        {"competency": {"id": "a", "name": "Alpha"}, "level": 3, "weight": 2.0, "essential": True},
        {"competency": {"id": "b", "name": "Beta"}, "level": 2, "weight": 1.0, "essential": False}]
    assert [r["id"] for r in role["movesTo"]] == ["lead", "senior"] and role["movesFrom"] == [{"id": "junior"}]


def test_competencies_people_resources_families(tiny_api: Api) -> None:
    d = tiny_api.data('{ competencies(first: 10, category: TECHNICAL) { nodes { id indicators(level: 4) { text } } } '
                      'person(id: "ana") { name role { id } manager { id } reports { id } '
                      '  proficiencies { competency { id } level source evidence } } '
                      'learningResources(first: 10, competency: "b") { nodes { id hours develops { fromLevel toLevel competency { id } } } } '
                      'jobFamilies { id roles { id } } levels { rank } tracks { name } framework { scale { level name } } }')
    assert d["competencies"]["nodes"] == [{"id": "a", "indicators": [{"text": "a4"}, {"text": "a4 bis"}]},
                                          {"id": "d", "indicators": []}]
    bad = tiny_api.error('{ competency(id: "a") { indicators(level: 9) { text } } }')
    assert bad["extensions"]["code"] == "BAD_INPUT" and "outside the framework's scale 1..5" in bad["message"]
    by_ids = tiny_api.data('{ competencies(ids: ["d", "zzz", "b", "d"]) { totalCount nodes { id name } } }')
    assert by_ids["competencies"] == {"totalCount": 2, "nodes": [{"id": "b", "name": "Beta"}, {"id": "d", "name": "Delta"}]}
    ana = d["person"]
    assert (ana["role"], ana["manager"], ana["reports"]) == ({"id": "mid"}, {"id": "boss"}, [{"id": "ben"}, {"id": "cy"}])
    assert ana["proficiencies"] == [
        {"competency": {"id": "a"}, "level": 3, "source": "MANAGER", "evidence": "VERIFIED"},
        {"competency": {"id": "b"}, "level": 2, "source": "SELF", "evidence": "SELF_ONLY"},
        {"competency": {"id": "c"}, "level": 2, "source": "MANAGER", "evidence": "STALE"}]
    assert [r["id"] for r in d["learningResources"]["nodes"]] == ["r-bc", "r-b"]   # by title
    assert d["jobFamilies"][0] == {"id": "eng", "roles": [{"id": "junior"}, {"id": "mid"}, {"id": "senior"}]}
    assert [lv["rank"] for lv in d["levels"]] == [1, 2, 3] and len(d["framework"]["scale"]) == 5


def tiny_projection() -> Projection:
    return build_projection(from_document(tiny_document()))


def test_closest_roles(tiny_api: Api) -> None:
    got = tiny_api.data(f'{{ closestRoles(from: {ANA}) {{ role {{ id }} distance gap readiness verdict }} }}')
    assert [(m["role"]["id"], m["distance"], m["gap"], m["verdict"]) for m in got["closestRoles"]] == [
        (m.role_id, m.distance, m.gap, m.verdict.value) for m in closest_roles(tiny_projection(), resolve_profile(
            tiny_projection(), person_id="ana"))]     # the engine's values, computed by hand in test_semantics
    assert [m["verdict"] for m in got["closestRoles"]] == ["UPSKILL", "READY", "RESKILL", "RESKILL", "READY"]
    up = tiny_api.data(f'{{ closestRoles(from: {ANA}, direction: UP, family: "eng") {{ role {{ id }} }} }}')
    assert up["closestRoles"] == [{"role": {"id": "senior"}}]
    inline = tiny_api('{ closestRoles(from: {proficiencies: [{competencyId: "d", level: 1}]}, limit: 1) '
                      '{ role { id } gap } }')
    assert inline["data"]["closestRoles"] == [{"role": {"id": "island"}, "gap": 0.0}] and "extensions" not in inline
    empty = tiny_api('{ closestRoles(from: {proficiencies: []}, limit: 2) { role { id } distance } }')
    assert empty["data"]["closestRoles"] == [{"role": {"id": "island"}, "distance": 0.625},   # test_semantics
                                             {"role": {"id": "junior"}, "distance": 0.625}]
    assert "equally far" in empty["extensions"]["warnings"][0]


def test_gap(tiny_api: Api) -> None:
    g = tiny_api.data(f'{{ gap(from: {ANA}, to: "senior") {{ totalGap readiness verdict proofGaps items {{ '
                      'competency { id name category } required current deficit weight essential status evidence '
                      'proofGap indicators { level text } } } }')["gap"]
    assert (g["totalGap"], round(g["readiness"], 4), g["verdict"], g["proofGaps"]) == (3.0, 0.7692, "UPSKILL", 1)
    assert g["items"][0] == {"competency": {"id": "a", "name": "Alpha", "category": "TECHNICAL"}, "required": 4,
                             "current": 3, "deficit": 1, "weight": 2.0, "essential": True, "status": "BELOW",
                             "evidence": "VERIFIED", "proofGap": False,
                             "indicators": [{"level": 4, "text": "a4"}, {"level": 4, "text": "a4 bis"}]}
    assert [(i["status"], i["evidence"]) for i in g["items"][1:]] == [("BELOW", "SELF_ONLY"), ("MET", "STALE")]


def test_career_path(tiny_api: Api) -> None:
    q = f'{{ careerPath(from: {ANA}, to: "lead", k: 3) {{ totalGap directGap steps {{ role {{ id }} gap }} }} }}'
    assert tiny_api.data(q)["careerPath"] == [
        {"totalGap": 5.0, "directGap": 5.0, "steps": [{"role": {"id": "lead"}, "gap": 5.0}]},
        {"totalGap": 7.0, "directGap": 5.0, "steps": [{"role": {"id": "senior"}, "gap": 3.0},
                                                      {"role": {"id": "lead"}, "gap": 4.0}]}]
    capped = tiny_api.data(f'{{ careerPath(from: {ANA}, to: "lead", k: 2, maxStepGap: 4) {{ totalGap }} }}')
    assert capped["careerPath"] == [{"totalGap": 7.0}]
    nowhere = tiny_api(f'{{ careerPath(from: {ANA}, to: "island", maxSteps: 2) {{ totalGap }} }}')
    assert nowhere["data"]["careerPath"] == []
    assert nowhere["extensions"]["warnings"] == [
        "No career path reaches 'island': steps follow the curated moves only (TRELLIS_INFER_MOVES_GAP also allows "
        "inferred ones), at most 2 steps (maxSteps). gap(to: ...) still gives the direct gap."]


def test_successors(tiny_api: Api) -> None:
    s = tiny_api.data('{ successors(role: "senior", limit: 2) { role { id } benchStrength poolSize '
                      'candidates { person { id name } gap readiness bucket } } }')["successors"]
    assert (s["benchStrength"], s["poolSize"]) == (1, 4)
    assert [(c["person"]["id"], c["gap"], c["bucket"]) for c in s["candidates"]] == [
        ("ana", 3.0, "READY_SOON"), ("ben", 9.0, "READY_LATER")]
    scoped = tiny_api.data('{ successors(role: "senior", manager: "ana") { candidates { person { id } } } }')
    assert [c["person"]["id"] for c in scoped["successors"]["candidates"]] == ["ben", "cy"]


def test_development_plan(tiny_api: Api) -> None:
    p = tiny_api.data(f'{{ developmentPlan(from: {ANA}, to: "lead") {{ totalHours items {{ resource {{ id title kind hours }} '
                      'competency { id } fromLevel toLevel } uncovered { competency { id } fromLevel toLevel } } }')
    plan = p["developmentPlan"]
    assert plan["totalHours"] == 5.0
    assert [(i["resource"]["id"], i["competency"]["id"], i["toLevel"]) for i in plan["items"]] == [
        ("r-bc", "b", 3), ("r-bc", "c", 3)]
    assert plan["uncovered"] == [{"competency": {"id": "d"}, "fromLevel": 0, "toLevel": 2}]


def test_learn_next(tiny_api: Api) -> None:
    steps = tiny_api.data(f'{{ learnNext(from: {ANA}, limit: 2) {{ competency {{ id }} fromLevel toLevel '
                          'readyRoles { id } reason resources { id } } }')["learnNext"]
    assert [(s["competency"]["id"], s["toLevel"]) for s in steps] == [("d", 1), ("c", 3)]
    assert steps[0]["readyRoles"] == [{"id": "island"}] and steps[1]["resources"] == [{"id": "r-bc"}]
    assert steps[0]["reason"].startswith("Raising Delta from 0 to 1 makes you ready for Island")


def test_team_heatmap_and_inventory(tiny_api: Api) -> None:
    h = tiny_api.data('{ teamHeatmap(manager: "boss") { people { id } topGaps { competency { id } totalDeficit '
                      'peopleBelow { id } } cells { person { id } competency { id } deficit } } '
                      'skillsInventory { competency { id } holders { level count } rolesRequiring peopleBelow } }')
    assert [p["id"] for p in h["teamHeatmap"]["people"]] == ["ana", "ben", "cy"]
    assert h["teamHeatmap"]["topGaps"] == [
        {"competency": {"id": "a"}, "totalDeficit": 6.0, "peopleBelow": [{"id": "cy"}]},
        {"competency": {"id": "b"}, "totalDeficit": 3.0, "peopleBelow": [{"id": "ben"}, {"id": "cy"}]}]
    a = h["skillsInventory"][0]
    assert a["competency"] == {"id": "a"} and [x["count"] for x in a["holders"]] == [0, 1, 1, 0, 0]
    assert (a["rolesRequiring"], a["peopleBelow"]) == (3, 1)
    direct = tiny_api.data('{ teamHeatmap(manager: "boss", depth: 1) { people { id } } }')
    assert direct["teamHeatmap"]["people"] == [{"id": "ana"}]


@pytest.mark.parametrize("query, code, words", [
    ('{ gap(from: {}, to: "mid") { totalGap } }', "BAD_INPUT", "exactly one of personId, roleId or proficiencies"),
    ('{ gap(from: {personId: "ana", roleId: "mid"}, to: "mid") { totalGap } }', "BAD_INPUT", "got personId and roleId"),
    ('{ gap(from: {personId: "nobody"}, to: "mid") { totalGap } }', "NOT_FOUND", "No person with id 'nobody'"),
    ('{ gap(from: {personId: "ana"}, to: "astronaut") { totalGap } }', "NOT_FOUND", "No role with id 'astronaut'"),
    ('{ gap(from: {proficiencies: [{competencyId: "a", level: 7}]}, to: "mid") { totalGap } }', "BAD_INPUT",
     "outside the scale 0..5"),
    ('{ gap(from: {proficiencies: [{competencyId: "a", level: 1}, {competencyId: "a", level: 2}]}, to: "mid") '
     '{ totalGap } }', "BAD_INPUT", "appears twice"),
    ('{ closestRoles(from: {personId: "ana"}, limit: -3) { gap } }', "BAD_INPUT", "limit must be at least 1"),
    ('{ closestRoles(from: {personId: "ana"}, maxLevelDelta: -1) { gap } }', "BAD_INPUT", "maxLevelDelta"),
    ('{ closestRoles(from: {proficiencies: []}, direction: UP) { gap } }', "BAD_INPUT", "need a profile with a current role"),
    ('{ closestRoles(from: {personId: "ana"}, family: "space") { gap } }', "NOT_FOUND", "No job family"),
    ('{ careerPath(from: {personId: "ana"}, to: "lead", maxSteps: 0) { totalGap } }', "BAD_INPUT", "maxSteps"),
    ('{ careerPath(from: {personId: "ana"}, to: "lead", k: 0) { totalGap } }', "BAD_INPUT", "k must be at least 1"),
    ('{ careerPath(from: {personId: "ana"}, to: "lead", maxStepGap: -1) { totalGap } }', "BAD_INPUT", "maxStepGap"),
    ('{ successors(role: "senior", manager: "ghost") { benchStrength } }', "NOT_FOUND", "No person with id 'ghost'"),
    ('{ teamHeatmap(manager: "boss", depth: 0) { people { id } } }', "BAD_INPUT", "depth must be at least 1"),
    ('{ roles(first: 2, after: "garbage") { totalCount } }', "BAD_INPUT", "is not a cursor"),
    ('{ skillsInventory(family: "space") { rolesRequiring } }', "NOT_FOUND", "No job family"),
    ('{ nonsense }', "GRAPHQL_VALIDATION_FAILED", "Cannot query field 'nonsense'"),
    ('{ gap(from: {personId: true}, to: "mid") { totalGap } }', "GRAPHQL_VALIDATION_FAILED", ""),
])
def test_bad_input_has_a_code_and_a_message(tiny_api: Api, query: str, code: str, words: str) -> None:
    error = tiny_api.error(query)
    assert error["extensions"]["code"] == code
    assert words in error["message"]
    assert "Traceback" not in str(error)


@pytest.mark.parametrize("query, variables, words", [
    ("query($l: Int!) { closestRoles(from: {personId: \"ana\"}, limit: $l) { gap } }", {"l": "abc"},
     "Int cannot represent non-integer value: 'abc'"),
    ("query($l: Int!) { closestRoles(from: {personId: \"ana\"}, limit: $l) { gap } }", {}, "Expected a value of non-null type 'Int!' to be provided"),
    ("query($l: Int!) { closestRoles(from: {personId: \"ana\"}, limit: $l) { gap } }", {"l": None}, "Variable '$l' has invalid value"),
    ("query($d: MoveDirection) { closestRoles(from: {personId: \"ana\"}, direction: $d) { gap } }", {"d": "SIDEWAYS"},
     "'SIDEWAYS'"),
    ("query($p: ProfileInput!) { closestRoles(from: $p) { gap } }", {"p": {"personId": 7, "bogus": 1}},
     "not to include unknown field 'bogus'"),
])
def test_variables_of_the_wrong_type_are_the_request_s_fault(tiny_api: Api, caplog: pytest.LogCaptureFixture,
                                                             query: str, variables: dict, words: str) -> None:  # type: ignore[type-arg]
    error = tiny_api.error(query, variables)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert words in error["message"], error["message"]
    assert "Traceback" not in caplog.text


def test_absurd_limit_is_capped_and_said(sample_api: Api) -> None:
    body = sample_api('{ closestRoles(from: {roleId: "software-engineer"}, limit: 100000) { gap } }')
    assert len(body["data"]["closestRoles"]) == 58 and "errors" not in body   # every role but its own
    assert body["extensions"]["warnings"] == ["limit 100000 is above the maximum of 100; answered 100."]
    people = sample_api('{ people(first: 5000) { nodes { id } } }')
    assert len(people["data"]["people"]["nodes"]) == 77 and "first 5000" in people["extensions"]["warnings"][0]


def test_unexpected_errors_are_masked(tiny_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.engine import Engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals at /srv/db")

    monkeypatch.setattr(Engine, "successors", boom)
    error = tiny_api.error('{ successors(role: "senior") { benchStrength } }')
    assert error["message"] == "Unexpected error." and error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "secret" not in str(error)


def test_query_limits(tiny_api: Api) -> None:
    deep = "{ role(id: \"mid\") { " + "movesTo { " * 12 + "id" + " }" * 12 + " } }"
    assert "exceeds maximum operation depth" in tiny_api.error(deep)["message"]
    aliases = "{ " + " ".join(f"r{i}: role(id: \"mid\") {{ id }}" for i in range(31)) + " }"
    assert "aliases" in tiny_api.error(aliases)["message"]
    tokens = "{ " + " ".join("framework { id }" for _ in range(600)) + " }"
    assert "token" in tiny_api.error(tokens)["message"].lower()


def test_http_never_answers_500(tiny_api: Api) -> None:
    c = tiny_api.client
    broken = c.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 400 and broken.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    syntax = c.post("/graphql", json={"query": "{ role(id: }"})
    assert syntax.status_code == 200
    assert syntax.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    spec = c.post("/graphql", json={"query": "{"}, headers={"accept": "application/graphql-response+json"})
    assert spec.status_code == 400 and "data" not in spec.json()
    assert spec.headers["content-type"].startswith("application/graphql-response+json")


def test_healthz_graphiql_and_site(tiny_api: Api) -> None:
    c = tiny_api.client
    health = c.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert "graphiql" in c.get("/graphql", headers={"accept": "text/html"}).text.lower()
    assert c.get("/").status_code == 200


def test_exported_sdl_matches_the_schema() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == schema.as_str() + "\n", \
        "The schema drifted from server/schema.graphql: review the change, then run `make sdl`."


def test_required_by_and_requirement_indicators(tiny_api: Api) -> None:
    d = tiny_api.data('{ competency(id: "a") { requiredBy { id } } '
                      'role(id: "mid") { requirements { competency { id } level indicators { level text } } } }')
    assert d["competency"]["requiredBy"] == [{"id": "junior"}, {"id": "mid"}, {"id": "senior"}]
    assert d["role"]["requirements"][0] == {"competency": {"id": "a"}, "level": 3,
                                            "indicators": [{"level": 3, "text": "a3"}]}
    assert d["role"]["requirements"][1]["indicators"] == []          # b has indicators at level 3 only


def test_introspection_can_be_turned_off(tmp_path: Path) -> None:
    from graph.store.embedded import EmbeddedStore
    from server.config import Secret, Settings

    closed = Settings(secret=Secret("a test secret that is long enough for HS256"), introspection=False)
    with TestClient(create_app(closed, store=EmbeddedStore(tmp_path / "s.json"))) as client:
        body = client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"}).json()
        assert "introspection" in body["errors"][0]["message"].lower()
        assert client.post("/graphql", json={"query": "{ tracks { id } }"}).json()["data"]["tracks"]
        assert client.get("/graphql", headers={"accept": "text/html"}).status_code == 404


def test_graphiql_needs_no_internet(tiny_api: Api) -> None:
    page = tiny_api.client.get("/graphql", headers={"accept": "text/html"}).text
    assert "unpkg.com" not in page and "/vendor/graphiql/graphiql.min.js" in page
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js", "plugin-explorer.umd.js"):
        assert tiny_api.client.get(f"/vendor/graphiql/{asset}").status_code == 200


def test_current_role_places_a_self_assessment(tiny_api: Api) -> None:
    p = '{proficiencies: [{competencyId: "a", level: 3}, {competencyId: "b", level: 2}], currentRoleId: "mid"}'
    d = tiny_api.data(f'{{ closestRoles(from: {p}, direction: UP) {{ role {{ id }} }} '
                      f'careerPath(from: {p}, to: "lead", k: 2) {{ steps {{ role {{ id }} }} }} }}')
    assert [m["role"]["id"] for m in d["closestRoles"]] == ["senior", "lead"]
    assert [[s["role"]["id"] for s in path["steps"]] for path in d["careerPath"]] == [["lead"], ["senior", "lead"]]
    error = tiny_api.error('{ gap(from: {personId: "ana", currentRoleId: "mid"}, to: "lead") { totalGap } }')
    assert error["extensions"]["code"] == "BAD_INPUT" and "currentRoleId goes with proficiencies" in error["message"]


def test_signing_in_is_asked_for_what_was_asked(tiny_api: Api) -> None:
    anonymous = tiny_api.as_(None)
    for doc, words in (('mutation { createLevel(input: {id: "l9", rank: 9, name: "Nine"}) { id } }',
                        "Sign in to do this (HR only)."),
                       (f'{{ gap(from: {ANA}, to: "mid") {{ totalGap }} }}', "Sign in to see people's profiles."),
                       ('{ successors(role: "mid") { benchStrength } }', "Sign in to see succession and team views.")):
        error = anonymous.error(doc)
        assert (error["extensions"]["code"], error["message"]) == ("UNAUTHENTICATED", words)


def test_inferred_moves_are_weighed_at_start(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """With inferred moves on (as `serve --dataset` sets them), the step graph is built at start, not in the
    first careerPath; the log says how many moves between how many roles."""
    import dataclasses
    import logging
    import time

    from graph.paths import step_graph
    from graph.store.embedded import EmbeddedStore

    from .conftest import settings

    store = EmbeddedStore(tmp_path / "s.json", seed=False)
    store.replace(from_document(tiny_document()))
    base = settings()
    t = dataclasses.replace(base.thresholds, infer_moves_gap=5.0)
    app = create_app(dataclasses.replace(base, thresholds=t), store=store)
    with caplog.at_level(logging.INFO, logger="trellis"), TestClient(app):
        deadline = time.monotonic() + 10
        while "Career-path moves ready" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        hits = step_graph.cache_info().hits
        step_graph(app.state.engine.projection(), t)          # the one built at start: a cache hit
        assert step_graph.cache_info().hits == hits + 1
    # Independently: the curated moves, and every pair at most one level up with a role-to-role gap under 5.
    from tests.graph import reference as ref
    org = from_document(tiny_document())
    pairs = set(ref.curated_moves(org))
    for u in org.roles.values():
        for v in org.roles.values():
            ru, rv = ref.rank_of(org, u.id), ref.rank_of(org, v.id)
            if u.id != v.id and ru is not None and rv is not None and 0 <= rv - ru <= 1 \
                    and ref.gap(ref.role_profile(u), v) < 5:
                pairs.add((u.id, v.id))
    assert f"Career-path moves ready: {len(pairs)} between 6 roles" in caplog.text
