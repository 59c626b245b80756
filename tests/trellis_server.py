"""``trellis serve`` as a real process on a free loopback port, for the tests that need one (the browser tests,
the crash tests) and the soak benchmark: start, stop, restart on the same store, ``trellis`` commands on it,
GraphQL as a client sends it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.neo4j_server import free_port

__all__ = ["TrellisServer"]

ROOT = Path(__file__).resolve().parents[1]


class TrellisServer:
    """``python -m server.cli serve`` on a free port with a fresh store (the sample organisation, or
    ``--dataset NAME``: a public framework from ../shared/data, imported on start).

    With ``neo4j_uri`` (+ ``neo4j_password``) it serves that Neo4j instead of the embedded store
    (``seed()`` loads the sample organisation into it). ``stop()`` then ``start()`` (or ``restart()``)
    keeps the store: the same ``TRELLIS_DATA`` file, or the same Neo4j, and the same port and secret."""

    def __init__(self, folder: Path, port: int | None = None, dataset: str | None = None,
                 neo4j_uri: str | None = None, neo4j_password: str | None = None, workers: int = 1) -> None:
        self.folder, self.port, self.dataset, self.workers = folder, port or free_port(), dataset, workers
        self.neo4j_uri, self.neo4j_password = neo4j_uri, neo4j_password
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / "server.log"

    def env(self) -> dict[str, str]:
        """The environment the server (and ``python -m server.cli`` commands on its store) run with."""
        env = {**os.environ, "TRELLIS_DATA": str(self.folder / "store.json"), "TRELLIS_DEMO": "1",
               "HOST": "127.0.0.1", "PORT": str(self.port)}
        for key in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "TRELLIS_SECRET", "TRELLIS_ENV", "TRELLIS_RATE_LIMIT",
                    "TRELLIS_DATASET"):
            env.pop(key, None)
        if self.neo4j_uri:
            env.update({"NEO4J_URI": self.neo4j_uri, "NEO4J_USER": "neo4j",
                        "NEO4J_PASSWORD": self.neo4j_password or ""})
        return env

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``python -m server.cli ARGS`` on this server's store (asserting it succeeds)."""
        done = subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, env=self.env(),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"trellis {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def seed(self) -> TrellisServer:
        """Load the sample organisation into the store (``trellis seed``); no-op if it holds it already."""
        self.cli("seed")
        return self

    def restart(self, timeout: float = 60) -> TrellisServer:
        """Stop and start again on the same store and port."""
        self.stop()
        return self.start(timeout)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> TrellisServer:
        env = self.env()
        with open(self.log, "ab") as log:
            extra = ["--dataset", self.dataset] if self.dataset else []
            extra += ["--workers", str(self.workers)] if self.workers > 1 else []
            self.proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(self.port), *extra],
                                         cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"trellis serve did not start (log {self.log}):\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> int | None:
        """SIGTERM (SIGKILL after 15 s); the exit code (None when it was not running)."""
        if self.proc is None:
            return None
        code = self.proc.poll()
        if code is None:
            self.proc.terminate()
            try:
                code = self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                code = self.proc.wait(timeout=15)
        self.proc = None
        return code

    @property
    def pid(self) -> int:
        assert self.proc is not None, "the server is not running"
        return self.proc.pid

    # --- the API, as the tests see it -------------------------------------------------------

    def graphql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        """The data of a query (asserting there are no errors), with the given bearer token."""
        headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        req = urllib.request.Request(f"{self.url}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                     headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                body = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            with exc:
                body = json.loads(exc.read())
        assert not body.get("errors"), body["errors"]
        return body["data"]
