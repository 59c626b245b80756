"""Starts and stops a real Neo4j 5.26 (ops/neo4j) for the tests, on a free loopback port.

There is no skipping: a test that needs Neo4j fails when Java, Maven or the build is missing.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "ops" / "neo4j" / "run.sh"
PASSWORD = "trellis-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Neo4jServer:
    """One embedded Neo4j process; ``stop()`` and ``start()`` again keep data and port."""

    def __init__(self, data: Path, port: int | None = None, password: str = PASSWORD) -> None:
        self.data, self.port, self.password = data, port or free_port(), password
        self.proc: subprocess.Popen[str] | None = None
        self.log = data.parent / f"{data.name}.log"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240) -> Neo4jServer:
        env = {**os.environ, "NEO4J_JAVA_OPTS": os.environ.get("NEO4J_JAVA_OPTS", "-Xms256m -Xmx768m")}
        log = open(self.log, "a")
        self.proc = subprocess.Popen([str(RUN), "--data", str(self.data), "--port", str(self.port),
                                      "--password", self.password], stdout=subprocess.PIPE, stderr=log,
                                     text=True, env=env, start_new_session=True)
        log.close()
        ready = threading.Event()

        def watch() -> None:
            assert self.proc and self.proc.stdout
            for line in self.proc.stdout:
                if line.startswith("Neo4j ready on "):
                    ready.set()

        threading.Thread(target=watch, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.5):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Neo4j did not start (see {self.log}):\n" + self.log.read_text()[-3000:])
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        self.proc = None
