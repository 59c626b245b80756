"""Faults of a real Neo4j: unreachable at start, wrong settings, an outage while serving."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from graph.document import from_document
from graph.errors import Unavailable
from graph.store.neo4j import Neo4jStore
from server.app import create_app
from server.config import Secret, Settings
from tests.graph.conftest import AS_OF, tiny_document
from tests.neo4j_server import ROOT, Neo4jServer, free_port

from .conftest import SECRET

QUERY = '{ gap(from: {roleId: "mid"}, to: "senior") { totalGap } }'


def settings(**kw: Any) -> Settings:
    return Settings(**{"retry_seconds": 0.5, "neo4j_timeout": 2.0, "secret": Secret(SECRET), **kw})


def ask(client: TestClient) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    body = client.post("/graphql", json={"query": QUERY}).json()
    return body, time.monotonic() - started


def test_unreachable_at_start_answers_unavailable_quickly() -> None:
    store = Neo4jStore(f"bolt://127.0.0.1:{free_port()}", "neo4j", "whatever-pw", timeout=2.0)
    with TestClient(create_app(settings(), store=store)) as client:
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "down"
        body, elapsed = ask(client)
        assert body["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        assert "NEO4J_URI" in body["errors"][0]["message"] and elapsed < 15


def test_serve_says_so_and_keeps_retrying(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "NEO4J_TIMEOUT": "1",
           "TRELLIS_RETRY_SECONDS": "1", "TRELLIS_SECRET": "faults-" * 5}
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port)], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 60
        while "Retrying every" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        text = log.read_text()
        assert "is unavailable" in text and "NEO4J_URI" in text and "Traceback" not in text
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.status_code == 503
        time.sleep(2)
        assert proc.poll() is None                  # still serving, still retrying
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_wrong_password_and_database_name_the_setting(neo4j_server: Neo4jServer) -> None:
    with pytest.raises(Unavailable, match="NEO4J_PASSWORD"), \
            Neo4jStore(neo4j_server.uri, "neo4j", "not-the-password") as wrong:
        wrong.check()
    with pytest.raises(Unavailable, match="NEO4J_DATABASE"), \
            Neo4jStore(neo4j_server.uri, "neo4j", neo4j_server.password, database="nosuchdb") as missing:
        missing.check()
    env = {**os.environ, "NEO4J_URI": neo4j_server.uri, "NEO4J_PASSWORD": "not-the-password"}
    run = subprocess.run([sys.executable, "-m", "server.cli", "seed"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2 and "NEO4J_PASSWORD" in run.stderr and "Traceback" not in run.stderr


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    server = Neo4jServer(tmp_path_factory.mktemp("outage") / "data").start()
    yield server
    server.stop()


def test_outage_answers_unavailable_and_recovers_by_itself(own_server: Neo4jServer) -> None:
    store = Neo4jStore(own_server.uri, "neo4j", own_server.password, timeout=3.0)
    store.replace(from_document(tiny_document()))
    with TestClient(create_app(settings(), store=store, today=lambda: AS_OF)) as client:
        body, _ = ask(client)
        assert body["data"]["gap"]["totalGap"] == 5.0
        own_server.stop()
        body, elapsed = ask(client)
        assert body["errors"][0]["extensions"]["code"] == "UNAVAILABLE" and elapsed < 20
        assert client.get("/healthz").status_code == 503
        own_server.start()
        deadline = time.monotonic() + 60
        while True:
            body, _ = ask(client)
            if "data" in body and body["data"] and body["data"]["gap"]:
                break
            assert time.monotonic() < deadline, body
            time.sleep(0.5)
        assert body["data"]["gap"]["totalGap"] == 5.0
        assert client.get("/healthz").status_code == 200
