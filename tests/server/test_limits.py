"""Query limits (server/limits.py): size once fragments are spread, directives and GitHub-style cost,
all refused before anything runs, and in time linear in the query (the fragment bomb)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import DocumentNode, OperationDefinitionNode, get_introspection_query, parse
from starlette.testclient import TestClient

from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access
from server.limits import Shape, measure, page_size
from server.schema import MAX_NODES, schema
from tests.graph.conftest import AS_OF

from .conftest import Api, settings, token


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    store = EmbeddedStore(Path(tmp_path_factory.mktemp("limits")) / "s.json")
    with TestClient(create_app(settings(), store=store, today=lambda: AS_OF), raise_server_exceptions=False) as client:
        yield Api(client, token("helena-marsh", Access.HR))


def bomb(levels: int) -> str:
    """``fragment F0 on Query { ...F1 ...F1 ...F1 ...F1 ...F1 }`` ... : 5^levels spreads in about 60 bytes a level."""
    chain = " ".join(f"fragment F{i} on Query {{ {' '.join([f'...F{i + 1}'] * 5)} }}" for i in range(levels))
    return f"{{ ...F0 }} {chain} fragment F{levels} on Query {{ __typename }}"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def operation(text: str) -> tuple[DocumentNode, OperationDefinitionNode]:
    doc = parse(text)
    op = doc.definitions[0]
    assert isinstance(op, OperationDefinitionNode)
    return doc, op


# --- the counter, by hand --------------------------------------------------------------------------------

def test_measure_spreads_each_fragment_once_by_hand() -> None:
    doc, op = operation("""query Q { a: framework { id ...V } ...T }
        fragment T on Query { tracks { id name } ...L ...L }
        fragment L on Query { levels { rank } }
        fragment V on Framework { name version }""")
    # framework, id, name, version (4) + tracks, id, name (3) + 2 x (levels, rank) (4) = 11 fields
    assert measure(doc, op) == Shape(fields=11, depth=1, aliases=1, nodes=0)


def test_measure_depth_and_cycles_end() -> None:
    doc, op = operation("{ role(id: \"x\") { movesTo { movesTo { id } } } __schema { types { name } } }")
    assert measure(doc, op).depth == 3        # role > movesTo > movesTo > id; introspection does not count
    doc, op = operation("{ ...A } fragment A on Query { ...B framework { id } } fragment B on Query { ...A }")
    assert measure(doc, op).fields == 2       # the cycle adds nothing (NoFragmentCycles refuses it)


def test_measure_bomb_is_exact_and_fast() -> None:
    doc, op = operation(bomb(12))
    started = time.perf_counter()
    assert measure(doc, op).fields == 5 ** 12
    assert time.perf_counter() - started < 0.1


def test_cost_by_hand() -> None:
    doc, op = operation("""query($n: Int = 7) { roles(first: 10) { nodes { id } } people { totalCount }
        competencies(first: 5000) { totalCount } learningResources(first: $n) { totalCount }
        more: people(first: 3) { nodes { assessments(first: 2) { at } } } }""")
    # 10 + 20 (default page) + 100 (5000 capped) + 7 (variable's default) + 3 x (1 + 2) = 146
    assert measure(doc, op, schema._schema, page_size(100, {"n": 7})).nodes == 146
    assert measure(doc, op, schema._schema, page_size(100, {"n": "x"})).nodes == 146 - 7 + 100


# --- over HTTP --------------------------------------------------------------------------------------------

def test_fragment_bomb_is_refused_at_once(api: Api) -> None:
    started = time.perf_counter()
    body = api.as_(None)(bomb(12))            # anonymous: refused before anyone is asked who they are
    elapsed = time.perf_counter() - started
    assert elapsed < 1, elapsed
    assert body["data"] is None and codes(body) == ["QUERY_TOO_COMPLEX"]
    assert f"selects {5 ** 12} fields" in body["errors"][0]["message"]
    spec = api.client.post("/graphql", json={"query": bomb(9)},
                           headers={"accept": "application/graphql-response+json"})
    assert spec.status_code == 400 and spec.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_depth_and_aliases_keep_their_messages(api: Api) -> None:
    def deep(n: int) -> str:
        return "{ role(id: \"software-engineer\") { " + "movesTo { " * n + "id" + " }" * n + " } }"
    error = api.error(deep(12))
    assert "exceeds maximum operation depth of 12" in error["message"] and error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "errors" not in api(deep(11))       # depth 12 is fine
    aliases = "{ ...A ...A } fragment A on Query { " + " ".join(f"r{i}: tracks {{ id }}" for i in range(16)) + " }"
    error = api.error(aliases)
    assert "32 aliases" in error["message"] and error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


SITE_QUERIES = [
    # site/js/person/queries.js PERSON (the person page)
    ("""query PersonPage($id: ID!) {
  person(id: $id) {
    id name email since
    role { id title level { rank name } requirements { level weight essential competency { id name category description } } }
    manager { id name }
    reports { id name }
    proficiencies { level source at evidence competency { id name category description } }
    interests { role { id title level { rank name } } at }
  }
}""", {"id": "priya-raman"}, 0),
    # site/js/views/team.js HEATMAP
    ("""query Team($manager: ID!, $depth: Int) { teamHeatmap(manager: $manager, depth: $depth) {
    manager { id name role { id title } }
    people { id name role { id title } }
    competencies { id name category }
    cells { person { id } competency { id } required current deficit weight }
    topGaps { competency { id name } totalDeficit peopleBelow { id name } } } }""",
     {"manager": "grace-lindqvist", "depth": None}, 0),
    # site/js/views/architecture.js SEARCH: two pages of 100
    ("""query Search($q: String!) {
  roles(first: 100, search: $q) { totalCount nodes { id } }
  competencies(first: 100, search: $q) { totalCount nodes { id name requiredBy { id } } }
}""", {"q": "engineer"}, 200),
    # site/js/editor/structure.js STRUCTURE: first 1000 is answered (and charged) as 100
    ("""query EditorStructure {
  jobFamilies { id name }
  tracks { id name }
  levels { id rank name }
  roles(first: 1000) { nodes { id title family { id name } level { id rank name } track { id name } } }
}""", {}, 100),
]


@pytest.mark.parametrize(("query", "variables", "nodes"), SITE_QUERIES)
def test_the_site_s_queries_pass(api: Api, query: str, variables: dict[str, Any], nodes: int) -> None:
    body = api(query, variables)
    assert "errors" not in body, body["errors"]
    assert body.get("extensions", {}).get("cost") == ({"nodes": nodes, "limit": MAX_NODES} if nodes else None)


def test_tools_introspection_passes(api: Api) -> None:
    body = api(get_introspection_query(descriptions=True))      # GraphiQL's: 220 fields, no pages
    assert "errors" not in body and "cost" not in body.get("extensions", {})


def test_directives_are_capped(api: Api) -> None:
    four = api("{ framework @include(if: true) @skip(if: false) @include(if: true) @skip(if: false) { id } }")
    assert "QUERY_TOO_COMPLEX" in codes(four)
    assert "4 directives on one field; at most 3." in [e["message"] for e in four["errors"]]
    many = "{ framework { " + " ".join("id @include(if: true)" for _ in range(31)) + " } }"
    error = api.error(many)
    assert error["message"] == "31 directives in the query; at most 30." and codes(api(many)) == ["QUERY_TOO_COMPLEX"]
    assert "errors" not in api(many.replace(" id @include(if: true)", "", 1))       # 30 is fine


def test_cost_is_reported_and_counted_by_hand(api: Api) -> None:
    body = api("""query($n: Int!) { roles(first: 10) { nodes { id } } people { totalCount }
        learningResources(first: $n) { totalCount } more: people(first: 3) { nodes { assessments(first: 2) { at } } } }""",
               {"n": 7})
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cost"] == {"nodes": 10 + 20 + 7 + 3 * (1 + 2), "limit": MAX_NODES}
    assert "cost" not in api("{ framework { id } }").get("extensions", {})        # no pages, no cost


def test_first_above_the_cap_is_charged_as_the_cap(api: Api) -> None:
    """The resolvers answer a ``first`` above 100 with 100 and a warning (README, the editor asks for 1000):
    the estimate charges what is answered, not what is asked."""
    body = api("{ people(first: 5000) { totalCount } }")
    assert body["extensions"] == {"warnings": ["first 5000 is above the maximum of 100; answered 100."],
                                  "cost": {"nodes": 100, "limit": MAX_NODES}}


def test_too_costly_is_refused_before_running(api: Api) -> None:
    def pages(levels: int) -> str:
        """5^levels spreads of one page of 100 roles."""
        chain = " ".join(f"fragment R{i} on Query {{ {' '.join([f'...R{i + 1}'] * 5)} }}" for i in range(levels))
        return f"{{ ...R0 }} {chain} fragment R{levels} on Query {{ roles(first: 100) {{ totalCount }} }}"

    body = api(pages(4))        # 625 pages: 62,500 nodes in 1,250 fields (under the field limit)
    assert body["data"] is None and codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] == {"nodes": 62_500, "limit": MAX_NODES}
    assert body["extensions"]["cost"] == {"nodes": 62_500, "limit": MAX_NODES}
    assert "62500 nodes" in body["errors"][0]["message"]
    fine = api(pages(3))
    assert "errors" not in fine and fine["extensions"]["cost"] == {"nodes": 12_500, "limit": MAX_NODES}
