"""The sample organisation loaded into the embedded store and into a real Neo4j gives
identical answers to every core query, through the GraphQL API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph.seeds import sample_organisation
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from server.app import create_app
from server.auth import Access
from tests.graph.conftest import AS_OF
from tests.neo4j_server import Neo4jServer

from .conftest import settings, token

P = '{personId: "priya-raman"}'
QUERIES = [
    f'{{ closestRoles(from: {P}, limit: 20) {{ role {{ id }} distance gap readiness verdict }} }}',
    '{ closestRoles(from: {roleId: "data-analyst"}, direction: UP) { role { id } distance gap } }',
    '{ closestRoles(from: {proficiencies: [{competencyId: "sql-analytics", level: 3}, '
    '{competencyId: "statistics", level: 2}]}) { role { id } distance gap } }',
    f'{{ gap(from: {P}, to: "staff-software-engineer") {{ totalGap readiness verdict proofGaps items {{ '
    'competency { id } required current deficit weight essential status evidence indicators { id } } } }',
    f'{{ careerPath(from: {P}, to: "staff-software-engineer", k: 3) {{ totalGap directGap steps {{ role {{ id }} gap }} }} }}',
    '{ careerPath(from: {personId: "hana-kim"}, to: "head-of-design", k: 2, maxStepGap: 25) { totalGap steps { role { id } } } }',
    '{ successors(role: "engineering-manager", limit: 20) { benchStrength poolSize candidates { person { id } gap readiness bucket } } }',
    '{ successors(role: "senior-data-analyst", manager: "samuel-osei") { benchStrength candidates { person { id } gap } } }',
    f'{{ developmentPlan(from: {P}, to: "staff-software-engineer") {{ totalHours items {{ resource {{ id }} '
    'competency { id } fromLevel toLevel } uncovered { competency { id } } } }',
    f'{{ learnNext(from: {P}) {{ competency {{ id }} fromLevel toLevel readyRoles {{ id }} readinessGain reason }} }}',
    '{ teamHeatmap(manager: "helena-marsh") { people { id } cells { person { id } competency { id } deficit } '
    'topGaps { competency { id } totalDeficit peopleBelow { id } } } }',
    '{ skillsInventory { competency { id } holders { level count } peopleAssessed rolesRequiring peopleBelow } }',
    '{ roles(first: 100) { totalCount nodes { id title family { id } level { rank } track { id } '
    'requirements { competency { id } level weight essential } movesTo { id } } } }',
    '{ people(first: 100) { nodes { id role { id } manager { id } proficiencies { competency { id } level source evidence } } } }',
]


def _answers(store: EmbeddedStore | Neo4jStore) -> list[str]:
    app = create_app(settings(), store=store, today=lambda: AS_OF)
    headers = {"authorization": f"Bearer {token('helena-marsh', Access.HR)}"}
    with TestClient(app) as client:
        out = []
        for query in QUERIES:
            body = client.post("/graphql", json={"query": query}, headers=headers).json()
            assert "errors" not in body, (query, body)
            out.append(json.dumps(body, sort_keys=True))
        return out


@pytest.fixture(scope="module")
def both(neo4j_server: Neo4jServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], list[str]]]:
    embedded = EmbeddedStore(tmp_path_factory.mktemp("same") / "s.json", seed=True)
    neo = Neo4jStore(neo4j_server.uri, "neo4j", neo4j_server.password)
    neo.clear()
    neo.replace(sample_organisation())
    yield _answers(embedded), _answers(neo)     # the app's lifespan closes each store


@pytest.mark.parametrize("i", range(len(QUERIES)))
def test_identical_answers(both: tuple[list[str], list[str]], i: int) -> None:
    embedded, neo = both
    assert json.loads(neo[i]) == json.loads(embedded[i]), QUERIES[i]


def test_the_answers_are_not_empty(both: tuple[list[str], list[str]]) -> None:
    embedded, _ = both
    assert all(len(a) > 60 for a in embedded)
    path = json.loads(embedded[4])["data"]["careerPath"]
    assert path and path[0]["steps"][-1]["role"]["id"] == "staff-software-engineer"


__all__ = ["Path"]
