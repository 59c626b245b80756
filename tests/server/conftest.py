"""The real ASGI app over a store in a temporary folder; ``Api`` calls it as HR unless told otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.document import from_document
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access, issue_token
from server.config import Secret, Settings
from tests.graph.conftest import AS_OF, tiny_document


SECRET = "a test secret that is long enough for HS256"


def settings() -> Settings:
    return Settings(secret=Secret(SECRET))


def token(person_id: str, access: Access) -> str:
    return issue_token(SECRET, person_id, access)


class Api:
    """POSTs GraphQL (as ``token``'s viewer, if any) and hands back the parsed body."""

    def __init__(self, client: TestClient, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def as_(self, token: str | None) -> Api:
        return Api(self.client, token)

    def __call__(self, query: str, variables: dict[str, Any] | None = None, status: int = 200) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        resp = self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        assert resp.status_code == status, resp.text
        return resp.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self(query, variables)
        assert body.get("errors"), body
        return body["errors"][0]


def _client(store: EmbeddedStore, person: str) -> Iterator[Api]:
    app = create_app(settings(), store=store, today=lambda: AS_OF)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, token(person, Access.HR))


@pytest.fixture(scope="module")
def tiny_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    store = EmbeddedStore(tmp_path_factory.mktemp("tiny") / "s.json", seed=False)
    store.replace(from_document(tiny_document()))
    yield from _client(store, "boss")


@pytest.fixture(scope="module")
def sample_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from _client(EmbeddedStore(tmp_path_factory.mktemp("sample") / "s.json", seed=True), "helena-marsh")


__all__ = ["Api", "dt", "Path"]
