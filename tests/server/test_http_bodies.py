"""Bodies that are no GraphQL request get a 400 (413 when too big) with a code, never a plain-text 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph.store.embedded import EmbeddedStore
from server.app import MAX_BODY, create_app
from server.config import Settings

JSON = "application/json"


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    production = Settings.from_env({"TRELLIS_SECRET": "s" * 32})
    assert production.production
    with TestClient(create_app(production, store=EmbeddedStore(tmp_path / "s.json")),
                    raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("body", "status", "says"), [
    (b'"hello"', 400, "not a string"),
    (b"42", 400, "not a number"),
    (b"\xff\xfe{", 400, "Unable to parse request body as JSON"),                  # not UTF-8
    (b'{"query": 1' + b"1" * 5000 + b"}", 400, "4300 digits"),
    (b"[" * 5000 + b"]" * 5000, 400, "nested too deeply"),
    (b'{"query": "{ __typename }", "x": "' + b"a" * MAX_BODY + b'"}', 413, f"over {MAX_BODY:,} bytes"),
])
def test_bad_bodies_are_refused_with_a_code(client: TestClient, body: bytes, status: int, says: str) -> None:
    resp = client.post("/graphql", content=body, headers={"content-type": JSON})
    assert resp.status_code == status
    assert resp.headers["content-type"].startswith(JSON)
    [error] = resp.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST" and says in error["message"]
    assert client.post("/graphql", json={"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}


def test_two_operations_without_a_name_are_an_error_not_the_first(client: TestClient) -> None:
    resp = client.post("/graphql", json={"query": "query A { __typename } query B { __typename }"})
    assert resp.status_code == 400 and "data" not in resp.json()
    [error] = resp.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST" and "operationName" in error["message"]
    named = client.post("/graphql", json={"query": "query A { a: __typename } query B { b: __typename }",
                                          "operationName": "B"})
    assert named.json() == {"data": {"b": "Query"}}
