"""``trellis serve --workers N`` on the embedded store: forked workers that share one projection.

Each request below opens a new connection, so the kernel hands it to whichever worker accepts first: a write
answered by one worker must be what every worker answers next.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from graph.store.embedded import EmbeddedStore
from server.auth import Access, issue_token, load_secret
from tests.trellis_server import TrellisServer

RECORD = ("mutation($input: [AssessmentInput!]!) { recordAssessments(input: $input) { id level note } }")
READ = '{ person(id: "priya-raman") { assessments(competency: "system-architecture", first: 100) { id level note } } }'
FAMILIES = "{ jobFamilies { id } }"


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _rollup(pid: int) -> dict[str, int]:
    """kB figures of /proc/PID/smaps_rollup (Rss, Pss, Shared_Clean, ...)."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        out[key] = int(value.split()[0])
    return out


def _wait_for(test, timeout: float = 30.0):          # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        got = test()
        if got or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def test_workers_share_the_projection_and_see_each_others_writes(tmp_path: Path) -> None:
    server = TrellisServer(tmp_path, workers=3).start()
    try:
        workers = _wait_for(lambda: len(_children(server.pid)) == 3 and _children(server.pid))
        assert workers and len(workers) == 3
        hr = issue_token(load_secret("", tmp_path), "helena-marsh", Access.HR)
        for w in workers:                          # forked from the parent: most of each worker is shared
            mem = _rollup(w)
            shared = mem["Shared_Clean"] + mem["Shared_Dirty"]
            assert shared > 0.6 * mem["Rss"], mem
        for n in range(6):
            written = server.graphql(RECORD, {"input": [{
                "personId": "priya-raman", "competencyId": "system-architecture", "level": 1 + n % 4, "source": "MANAGER",
                "note": f"check-in {n}", "evidence": [{"kind": "1-on-1", "note": "seen"}]}]}, hr)["recordAssessments"]
            server.graphql("mutation($i: NamedInput!) { createJobFamily(input: $i) { id } }",
                           {"i": {"id": f"fam-{n}", "name": f"Family {n}"}}, hr)
            for _ in range(6):                     # new connections: spread over the workers
                notes = {a["note"] for a in server.graphql(READ, token=hr)["person"]["assessments"]}
                assert {f"check-in {i}" for i in range(n + 1)} <= notes, (n, notes)
                assert written[0]["id"] in {a["id"] for a in server.graphql(READ, token=hr)["person"]["assessments"]}
                assert f"fam-{n}" in {f["id"] for f in server.graphql(FAMILIES, token=hr)["jobFamilies"]}
        stored = EmbeddedStore(tmp_path / "store.json").organisation()
        assert {f"check-in {i}" for i in range(6)} <= {a.note for a in stored.assessments}

        os.kill(workers[0], signal.SIGKILL)        # a worker dies: the parent starts another
        again = _wait_for(lambda: len(_children(server.pid)) == 3 and workers[0] not in _children(server.pid)
                          and _children(server.pid))
        assert again and workers[0] not in again and set(workers[1:]) <= set(again)
        assert f"fam-5" in {f["id"] for f in server.graphql(FAMILIES, token=hr)["jobFamilies"]}
    finally:
        code = server.stop()
    assert code == 0                               # SIGTERM: every worker stopped, a clean exit
    assert "All workers stopped" in server.log.read_text()


def test_a_refused_setting_stops_the_parent_before_any_fork(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "NEO4J_"))}
    env["TRELLIS_DATA"] = str(tmp_path / "store.json")                 # production (the default), no secret
    done = subprocess.run([sys.executable, "-m", "server.cli", "serve", "--port", "1", "--workers", "2"],
                          env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 2
    assert "error [BAD_INPUT]: TRELLIS_SECRET must be set" in done.stderr
    assert "forking" not in done.stderr
