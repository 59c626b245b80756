"""``store``: the same contract tests run on every store implementation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from tests.neo4j_server import Neo4jServer


def open_neo4j(server: Neo4jServer) -> Neo4jStore:
    store = Neo4jStore(server.uri, "neo4j", server.password)
    store.clear()
    return store


@pytest.fixture(params=["embedded", "neo4j"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[EmbeddedStore | Neo4jStore]:
    if store_kind == "embedded":
        yield EmbeddedStore(tmp_path / "store.json", seed=False)
        return
    s = open_neo4j(request.getfixturevalue("neo4j_server"))
    yield s
    s.close()
