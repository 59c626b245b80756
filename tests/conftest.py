"""Session-wide fixtures: one real Neo4j server for every test that needs it.

``TRELLIS_TEST_NEO4J_URI`` (+ ``TRELLIS_TEST_NEO4J_PASSWORD``) points the tests at a Neo4j
that is already running (its content is wiped); otherwise the session starts its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .neo4j_server import PASSWORD, Neo4jServer


class RunningServer(Neo4jServer):
    def __init__(self, uri: str, password: str) -> None:
        self._uri, self.password = uri, password

    @property
    def uri(self) -> str:
        return self._uri


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    uri = os.environ.get("TRELLIS_TEST_NEO4J_URI")
    if uri:
        yield RunningServer(uri, os.environ.get("TRELLIS_TEST_NEO4J_PASSWORD", PASSWORD))
        return
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j") / "data").start()
    yield server
    server.stop()


def open_store(kind: str, folder: Path, request: pytest.FixtureRequest, seed: bool = False) -> Any:
    """A fresh, empty store of ``kind`` ("embedded" or "neo4j"); the sample organisation if ``seed``."""
    from graph.seeds import sample_organisation
    from graph.store.embedded import EmbeddedStore
    from graph.store.neo4j import Neo4jStore

    if kind == "embedded":
        return EmbeddedStore(folder / "store.json", seed=seed)
    server = request.getfixturevalue("neo4j_server")
    store = Neo4jStore(server.uri, "neo4j", server.password)
    store.clear()
    if seed:
        store.replace(sample_organisation())
    return store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark what needs a service: ``browser`` (Chromium, tests/site) and ``neo4j`` (a real Neo4j: the fixture,
    or a test parametrised over the stores with "neo4j"), and ``slow`` (fuzzing, kill -9 runs, the wheel build).
    ``make test-fast`` runs the rest."""
    for item in items:
        path = Path(str(item.fspath))
        if "site" in path.parts and "tests" in path.parts:
            item.add_marker(pytest.mark.browser)
        if path.name.startswith(("test_fuzz_", "test_malformed", "test_crash_safety")):
            item.add_marker(pytest.mark.slow)           # fuzzing and kill -9 runs: in make test, not make test-fast
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "neo4j_server" in getattr(item, "fixturenames", ()) or "neo4j" in params.values() \
                or "neo4j" in path.name:
            item.add_marker(pytest.mark.neo4j)
