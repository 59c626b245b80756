"""HTTP benchmark: the trivial query and closestRoles over loopback, against a bare Starlette JSON endpoint
in the same run (the floor of the framework and server), driven by wrk (Debian's ``wrk``; ``apt-get install wrk``).

    .venv/bin/python bench/loopback.py [--seconds 8] [--connections 1,16,64] [--size S|M|L [--cache DIR]]

Both servers are uvicorn with one worker on this machine; wrk runs beside them (2 cores are shared by all three,
so the ratio, not the absolute rate, is the figure). Prints requests/s, p50 and p99 per case, and the ratios.

Without ``--size`` Trellis serves the sample organisation (seeded into a fresh store). With it, the organisation of
that size from bench/scale.py (``generate_organisation``, 200 competencies, ~20 requirements per role) is written
into the embedded store first; closestRoles asks for a real person of it (signed in as HR), the run starts once such
a query answers 200 (L: the server reads the store and builds its projection first, 1-2 min), and the server's peak
RSS (VmHWM) is printed after the table. ``--cache DIR`` keeps the written store in DIR/<size>/ for the next run.
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
import urllib.error
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
CLOSEST_QUERY = '{ closestRoles(from: {personId: "%s"}, limit: 10) { role { id } gap readiness verdict } }'
CLOSEST = {"query": CLOSEST_QUERY % "priya-raman"}
SAMPLE_HR = "helena-marsh"


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


def write_organisation(size: str, folder: Path) -> str:
    """Write the generated organisation of ``size`` (bench/scale.py's sizes and parameters) into the embedded store
    ``folder/store.json``, unless a previous run left it complete there; answer the id of a person of it."""
    done = folder / f"size-{size}.json"
    if done.exists():
        return str(json.loads(done.read_text())["person"])
    import gc
    import random

    sys.path.insert(0, str(ROOT))
    from bench.scale import COMPETENCIES, REQUIREMENTS, SEED, SIZES
    from graph.generate import generate_organisation
    from graph.store.embedded import EmbeddedStore

    roles, people = SIZES[size]
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    org = generate_organisation(roles, COMPETENCIES, people, seed=SEED, requirements=REQUIREMENTS)
    generated = time.perf_counter() - t
    t = time.perf_counter()
    EmbeddedStore(folder / "store.json", seed=False).replace(org)
    written = time.perf_counter() - t
    person = random.Random(7).choice(sorted(org.people))
    counts = org.counts()
    del org
    gc.collect()
    done.write_text(json.dumps({"person": person, "counts": counts}))
    print(f"size {size}: {roles} roles, {people} people ({counts['requirements']} requirements, "
          f"{counts['assessments']} assessments); generated in {generated:.1f} s, store written in {written:.1f} s",
          file=sys.stderr, flush=True)
    return person


def wait_answers(url: str, proc: subprocess.Popen[bytes], body: dict[str, object], token: str,
                 timeout: float) -> float:
    """Post ``body`` until it answers 200 with data and no error (wrk counts only statuses, and a GraphQL error
    is a 200); answer the seconds waited. An error other than UNAVAILABLE (the store still opening) ends the run."""
    started = time.monotonic()
    data = json.dumps(body).encode()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        req = urllib.request.Request(url, data=data, method="POST", headers={
            "content-type": "application/json", "authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                answer = json.load(r)
                if r.status == 200 and answer.get("data") and not answer.get("errors"):
                    return time.monotonic() - started
                if answer.get("errors") and answer["errors"][0].get("extensions", {}).get("code") != "UNAVAILABLE":
                    raise SystemExit(f"{url} answers an error, not closestRoles: {answer['errors'][0]}")
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer closestRoles within {timeout} s")


def peak_rss_gib(pid: int) -> float:
    """VmHWM of ``pid`` in GiB (nan when it cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


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
    ap.add_argument("--size", choices=["S", "M", "L"], help="serve a generated organisation of this size "
                    "(bench/scale.py) instead of the sample one")
    ap.add_argument("--cache", help="with --size: keep the written store in DIR/<size>/ and reuse it")
    ap.add_argument("--wait", type=float, default=900, help="with --size: seconds to wait for the first answer")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/loopback.py needs wrk: apt-get install wrk")
    conns = [int(c) for c in args.connections.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="trellis-http-"))
    (folder / "bare.py").write_text(BARE)
    data = folder
    closest, person = CLOSEST, SAMPLE_HR
    if args.size:
        data = Path(args.cache) / args.size if args.cache else folder
        person = write_organisation(args.size, data)
        closest = {"query": CLOSEST_QUERY % person}
    bare_port, trellis_port = free_port(), free_port()
    env = {**os.environ, "TRELLIS_DATA": str(data / "store.json"), "TRELLIS_DEMO": "1",
           "TRELLIS_ACCESS_LOG": "0", "PYTHONPATH": str(folder)}
    procs = [subprocess.Popen([sys.executable, "-m", "uvicorn", "bare:app", "--port", str(bare_port), "--log-level",
                               "warning"], cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
             subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(trellis_port)], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        bare, trellis = f"http://127.0.0.1:{bare_port}/graphql", f"http://127.0.0.1:{trellis_port}/graphql"
        wait_healthy(bare, procs[0])
        wait_healthy(trellis, procs[1], timeout=args.wait if args.size else 60)
        sys.path.insert(0, str(ROOT))
        from server.auth import Access, issue_token, load_secret

        # HR sees everyone; a generated organisation has no People/HR family, and the token is all the server asks
        token = issue_token(load_secret("", data), person, Access.HR)
        waited = wait_answers(trellis, procs[1], closest, token, args.wait)
        if args.size:
            print(f"size {args.size}: closestRoles for {person} answered 200 after {waited:.1f} s more; "
                  f"server RSS peak so far {peak_rss_gib(procs[1].pid):.2f} GiB", file=sys.stderr, flush=True)
        rows = []
        for c in conns:
            floor = wrk(bare, TRIVIAL, c, args.seconds, None)
            ours = wrk(trellis, TRIVIAL, c, args.seconds, None)
            closest_row = wrk(trellis, closest, c, args.seconds, token)
            rows.append((c, floor, ours, closest_row))
        print("\n| connections | bare Starlette req/s | {__typename} req/s | ratio | p50/p99 ms | "
              "closestRoles req/s | p50/p99 ms | non-2xx |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for c, floor, ours, closest_row in rows:
            print(f"| {c} | {floor['rps']:.0f} | {ours['rps']:.0f} | {ours['rps'] / floor['rps']:.1%} | "
                  f"{ours['p50']:.2f} / {ours['p99']:.2f} | {closest_row['rps']:.0f} | "
                  f"{closest_row['p50']:.2f} / {closest_row['p99']:.2f} | "
                  f"{int(ours['non2xx'] + closest_row['non2xx'])} |")
        if args.size:
            print(f"\nsize {args.size}: closestRoles for {person}; peak RSS of the Trellis server (VmHWM) "
                  f"{peak_rss_gib(procs[1].pid):.2f} GiB")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
