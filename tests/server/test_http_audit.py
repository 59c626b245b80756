"""GraphQL over HTTP conformance, checked by an external suite: graphql-http's
``auditServer`` (npm) against the real app served by uvicorn on a loopback port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "TRELLIS_DATA": str(tmp_path_factory.mktemp("audit") / "s.json"),   # production, the default
           "TRELLIS_SECRET": "audit-" * 6, "TRELLIS_RATE_LIMIT": "0",
           "TRELLIS_ALLOW_GET": "1", "TRELLIS_INTROSPECTION": "1"}   # the opt-ins the audit queries need (GET, __type)
    env.pop("TRELLIS_DEMO", None)
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
            if proc.poll() is not None:
                raise RuntimeError("trellis serve exited: " + proc.stderr.read().decode())  # type: ignore[union-attr]
        else:
            raise RuntimeError("trellis serve did not become healthy within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()  # type: ignore[union-attr]


def test_graphql_over_http_audits_all_pass(server: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the GraphQL-over-HTTP audit (make test installs node_modules)"
    assert (ROOT / "node_modules" / "graphql-http").is_dir(), "run `make test` (npm ci) first"
    out = subprocess.run([node, str(ROOT / "tests" / "server" / "audit.mjs"), f"{server}/graphql"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    results = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(results) > 40
    bad = [r for r in results if r["status"] != "ok"]
    assert bad == [], "\n".join(f"{r['id']} {r['status']}: {r['name']} — {r['reason']}" for r in bad)
