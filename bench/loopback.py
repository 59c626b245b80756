"""HTTP benchmark: the trivial query and closestRoles over loopback, against a bare Starlette JSON endpoint
in the same run (the floor of the framework and server), driven by wrk (Debian's ``wrk``; ``apt-get install wrk``).

    .venv/bin/python bench/loopback.py [--seconds 8] [--connections 1,16,64]

Both servers are uvicorn with one worker on this machine; wrk runs beside them (2 cores are shared by all three,
so the ratio, not the absolute rate, is the figure). Prints requests/s, p50 and p99 per case, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def graphql(request):
    await request.body()
    return JSONResponse({"data": {"__typename": "Query"}})

app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])
"""
LUA = """wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
%s
wrk.body = %s
"""
TRIVIAL = {"query": "{ __typename }"}
CLOSEST = {"query": '{ closestRoles(from: {personId: "priya-raman"}, limit: 10) { roleId gap readiness verdict } }'}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            req = urllib.request.Request(url, data=json.dumps(TRIVIAL).encode(), method="POST",
                                         headers={"content-type": "application/json"})
            with urllib.request.urlopen(req, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def wrk(url: str, body: dict[str, object], connections: int, seconds: float, token: str | None) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        auth = f'wrk.headers["authorization"] = "Bearer {token}"' if token else ""
        fh.write(LUA % (auth, json.dumps(json.dumps(body))))
    out = subprocess.run(["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{int(seconds)}s", "--latency",
                          "-s", fh.name, url], capture_output=True, text=True, check=True).stdout
    os.unlink(fh.name)

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))            # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rate, "p50": ms("50"), "p99": ms("99"), "non2xx": float(bad.group(1)) if bad else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--connections", default="1,16,64")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/loopback.py needs wrk: apt-get install wrk")
    conns = [int(c) for c in args.connections.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="trellis-http-"))
    (folder / "bare.py").write_text(BARE)
    bare_port, trellis_port = free_port(), free_port()
    env = {**os.environ, "TRELLIS_DATA": str(folder / "store.json"), "TRELLIS_DEMO": "1",
           "PYTHONPATH": str(folder)}
    procs = [subprocess.Popen([sys.executable, "-m", "uvicorn", "bare:app", "--port", str(bare_port), "--log-level",
                               "warning"], cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
             subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(trellis_port)], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        bare, trellis = f"http://127.0.0.1:{bare_port}/graphql", f"http://127.0.0.1:{trellis_port}/graphql"
        wait_healthy(bare, procs[0])
        wait_healthy(trellis, procs[1])
        sys.path.insert(0, str(ROOT))
        from server.auth import Access, issue_token, load_secret

        token = issue_token(load_secret("", folder), "helena-marsh", Access.HR)
        rows = []
        for c in conns:
            floor = wrk(bare, TRIVIAL, c, args.seconds, None)
            ours = wrk(trellis, TRIVIAL, c, args.seconds, None)
            closest = wrk(trellis, CLOSEST, c, args.seconds, token)
            rows.append((c, floor, ours, closest))
        print("\n| connections | bare Starlette req/s | {__typename} req/s | ratio | p50/p99 ms | "
              "closestRoles req/s | p50/p99 ms | non-2xx |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for c, floor, ours, closest in rows:
            print(f"| {c} | {floor['rps']:.0f} | {ours['rps']:.0f} | {ours['rps'] / floor['rps']:.1%} | "
                  f"{ours['p50']:.2f} / {ours['p99']:.2f} | {closest['rps']:.0f} | "
                  f"{closest['p50']:.2f} / {closest['p99']:.2f} | {int(ours['non2xx'] + closest['non2xx'])} |")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
