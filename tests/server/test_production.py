"""Production mode (the default of ``trellis serve``): nothing an outside prober can use — no IDE,
introspection, suggestions or demo sign-in, POST only, security headers, no CORS unless allowed, a
rate limit and a request timeout — and no start without a signing secret."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph.errors import BadInput
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access, issue_token
from server.config import Settings
from server.security import CSP

SECRET = "p" * 40
INTROSPECTION = "{ __schema { types { name } } }"


def production(**env: str) -> Settings:
    return Settings.from_env({"TRELLIS_SECRET": SECRET, **env})


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(production(), store=EmbeddedStore(tmp_path / "s.json")),
                    raise_server_exceptions=False) as c:
        yield c


def test_production_is_the_default_unless_the_demo_is_asked_for() -> None:
    assert production().production and not production().demo
    demo = Settings.from_env({"TRELLIS_DEMO": "1"})
    assert not demo.production and demo.demo and demo.introspection and demo.allow_get
    with pytest.raises(BadInput, match="cannot be on with TRELLIS_ENV=production"):
        Settings.from_env({"TRELLIS_DEMO": "1", "TRELLIS_ENV": "production"})
    with pytest.raises(BadInput, match="TRELLIS_ENV must be production or development"):
        Settings.from_env({"TRELLIS_ENV": "staging"})


def test_no_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="TRELLIS_SECRET must be set"):
        create_app(Settings.from_env({}), store=EmbeddedStore(tmp_path / "s.json"))
    assert not (tmp_path / "secret").exists()                          # no generated one either


def test_nothing_to_explore(client: TestClient) -> None:
    assert client.get("/graphql", headers={"accept": "text/html"}).status_code == 404          # no GraphiQL
    assert client.get("/auth/demo").status_code in (404, 405)                                   # no demo sign-in
    refused = client.post("/graphql", json={"query": INTROSPECTION}).json()
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection" in refused["errors"][0]["message"].lower()
    typo = client.post("/graphql", json={"query": "{ rols(first: 1) { totalCount } }"}).json()
    assert "Cannot query field 'rols'" in typo["errors"][0]["message"]
    assert "Did you mean" not in typo["errors"][0]["message"]                                   # no suggestions


def test_queries_by_post_only(client: TestClient) -> None:
    got = client.get("/graphql", params={"query": "{ __typename }"})
    assert got.status_code in (400, 405) and got.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert client.post("/graphql", json={"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}


def test_get_for_queries_is_an_opt_in_and_never_for_mutations(tmp_path: Path) -> None:
    with TestClient(create_app(production(TRELLIS_ALLOW_GET="1"), store=EmbeddedStore(tmp_path / "s.json")),
                    raise_server_exceptions=False) as c:
        assert c.get("/graphql", params={"query": "{ __typename }"}).json() == {"data": {"__typename": "Query"}}
        mutation = 'mutation { createJobFamily(input: {id: "x", name: "X"}) { id } }'
        token = issue_token(SECRET, "helena-marsh", Access.HR)
        got = c.get("/graphql", params={"query": mutation}, headers={"authorization": f"Bearer {token}"})
        assert got.status_code in (400, 405) and "x" not in c.app.state.engine.store.organisation().families


def test_security_headers_on_every_answer(client: TestClient) -> None:
    for resp in (client.get("/"), client.get("/js/app.js"), client.post("/graphql", json={"query": "{ __typename }"}),
                 client.get("/healthz"), client.get("/no-such-page")):
        assert resp.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["x-frame-options"] == "DENY"
        assert resp.headers["referrer-policy"] == "no-referrer"


def test_cors_allows_nobody_by_default_and_only_the_listed_origins(tmp_path: Path, client: TestClient) -> None:
    preflight = {"origin": "https://evil.example", "access-control-request-method": "POST"}
    assert "access-control-allow-origin" not in client.options("/graphql", headers=preflight).headers
    assert "access-control-allow-origin" not in client.post("/graphql", json={"query": "{ __typename }"},
                                                            headers={"origin": "https://evil.example"}).headers
    app = create_app(production(TRELLIS_CORS_ORIGINS="https://hr.example"), store=EmbeddedStore(tmp_path / "c.json"))
    with TestClient(app) as c:
        ok = c.options("/graphql", headers={**preflight, "origin": "https://hr.example"})
        assert ok.headers["access-control-allow-origin"] == "https://hr.example"
        assert "access-control-allow-origin" not in c.options("/graphql", headers=preflight).headers


def test_rate_limit_per_token_with_retry_after(tmp_path: Path) -> None:
    app = create_app(production(TRELLIS_RATE_LIMIT="1"), store=EmbeddedStore(tmp_path / "s.json"))
    ana = {"authorization": f"Bearer {issue_token(SECRET, 'ana', Access.EMPLOYEE)}"}
    ben = {"authorization": f"Bearer {issue_token(SECRET, 'ben', Access.EMPLOYEE)}"}
    with TestClient(app) as c:
        answers = [c.post("/graphql", json={"query": "{ __typename }"}, headers=ana) for _ in range(7)]
        assert [r.status_code for r in answers[:5]] == [200] * 5                 # a burst of 5 s at 1/s
        limited = answers[5]
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert c.post("/graphql", json={"query": "{ __typename }"}, headers=ben).status_code == 200   # per token


def test_a_request_over_its_time_is_answered_timeout(tmp_path: Path) -> None:
    settings = dataclasses.replace(production(), request_timeout=0.001)
    heavy = "{ " + " ".join(f'a{i}: closestRoles(from: {{personId: "priya-raman"}}, limit: 100) {{ role {{ id }} gap }}'
                            for i in range(25)) + " }"
    token = issue_token(SECRET, "helena-marsh", Access.HR)
    with TestClient(create_app(settings, store=EmbeddedStore(tmp_path / "s.json")), raise_server_exceptions=False) as c:
        resp = c.post("/graphql", json={"query": heavy}, headers={"authorization": f"Bearer {token}"})
        assert resp.status_code == 504, resp.text
        assert resp.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
