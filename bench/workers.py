"""Memory of several workers (issue 15): ``trellis serve --workers 1`` and then ``--workers 4`` on the same embedded
store of a generated organisation, total RSS and PSS of each server once every worker has built its projection.

    .venv/bin/python bench/workers.py [--size S|M|L] [--workers 1,4] [--cache DIR]

The organisation is bench/scale.py's of that size (default M: 10,000 roles, 100,000 people), written into the
embedded store by bench/loopback.py's ``write_organisation`` (``--cache DIR`` keeps it in DIR/<size>/ for the next
run). For each worker count the server is started alone (one after the other, never both at once) and is taken as
ready when a closestRoles query answers 200 and then no worker's CPU time has moved for ``--settle`` seconds
(with one worker, the server builds its projection at start: ``server/app.py: warm_projection``; with several,
the parent builds it and then forks the workers that share it: ``server/prefork.py``). Then ``--burst`` closestRoles
requests on fresh connections, eight at a time, spread over the workers (the CPU each worker spent on them is
printed, to show which answered); memory is read after it, from ``/proc/PID/smaps_rollup`` of the server's
process and every process under it. RSS counts a page shared by several processes once in each; PSS divides it among them,
so the PSS total is the memory the server really takes. The issue's target: 4 workers at most 1.3x one worker.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loopback import CLOSEST_QUERY, free_port, wait_answers, write_organisation  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS          # utime + stime


def rollup(pid: int) -> dict[str, int]:
    """``/proc/PID/smaps_rollup`` in kB: Rss, Pss and the rest."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, value = line.split(":", 1)
            out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def name(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        return " ".join(c.decode() for c in cmd if c)[:80]
    except OSError:
        return "?"


def settle(root: int, seconds: float, timeout: float) -> float:
    """Wait until no process under ``root`` has used CPU for ``seconds``; answer the seconds waited."""
    started = time.monotonic()
    last = {p: cpu_s(p) for p in descendants(root)}
    quiet = time.monotonic()
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        now = {p: cpu_s(p) for p in descendants(root)}
        if any(now[p] - last.get(p, 0.0) > 0.02 for p in now):
            quiet = time.monotonic()
        last = now
        if time.monotonic() - quiet >= seconds:
            return time.monotonic() - started
    raise SystemExit(f"the server did not settle within {timeout} s")


def burst(url: str, body: dict[str, object], token: str, n: int) -> int:
    """``n`` closestRoles requests, each on its own connection, eight at a time; answer how many answered 200."""
    data = json.dumps(body).encode()

    def one(_: int) -> int:
        req = urllib.request.Request(url, data=data, method="POST", headers={
            "content-type": "application/json", "authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return int(r.status == 200 and bool(json.load(r).get("data")))
        except OSError:
            return 0

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return sum(pool.map(one, range(n)))


RECORD = ("mutation($input: [AssessmentInput!]!) { recordAssessments(input: $input) { id } }")


def check_ins(url: str, person: str, token: str, n: int) -> int:
    """``n`` one-assessment check-ins for ``person``, one after another, each on its own connection (so spread over
    the workers); answer how many were acknowledged. They are appended to the store (``--cache`` keeps them)."""
    def post(body: dict[str, object]) -> dict[str, object]:
        req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
            "content-type": "application/json", "authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return dict(json.load(r))

    got = post({"query": '{ person(id: "%s") { assessments(first: 1) { competency { id } } } }' % person})
    competency = got["data"]["person"]["assessments"][0]["competency"]["id"]       # type: ignore[index]
    done = 0
    for i in range(n):
        item = {"personId": person, "competencyId": competency, "level": 1 + i % 4, "source": "MANAGER",
                "note": f"bench/workers.py check-in {i}"}
        done += not post({"query": RECORD, "variables": {"input": [item]}}).get("errors")
    return done


def measure(workers: int, data: Path, person: str, args: argparse.Namespace) -> dict[str, object]:
    from server.auth import Access, issue_token, load_secret

    port = free_port()
    env = {**os.environ, "TRELLIS_DATA": str(data / "store.json"), "TRELLIS_DEMO": "1"}
    log = open(Path(args.log_dir) / f"serve-{args.size}-w{workers}.log", "w") if args.log_dir else subprocess.DEVNULL
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers",
                             str(workers)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        token = issue_token(load_secret("", data), person, Access.HR)
        body = {"query": CLOSEST_QUERY % person}
        wait_answers(url, proc, body, token, args.wait)
        first = time.monotonic() - started
        settle(proc.pid, args.settle, args.wait)
        ready = time.monotonic() - started
        pids = descendants(proc.pid)
        before = {p: cpu_s(p) for p in pids}
        answered = burst(url, body, token, args.burst)
        settle(proc.pid, 2.0, args.wait)
        pids = descendants(proc.pid)
        per = []
        for p in pids:
            r = rollup(p)
            per.append({"pid": p, "name": name(p), "rss": r.get("Rss", 0) / 2**20, "pss": r.get("Pss", 0) / 2**20,
                        "hwm": _hwm(p), "burst cpu": cpu_s(p) - before.get(p, 0.0)})
        row = {"workers": workers, "processes": len(pids), "first answer s": first, "ready s": ready,
               "answered": answered, "rss": sum(x["rss"] for x in per), "pss": sum(x["pss"] for x in per),
               "per": per}
        if args.writes:
            written = check_ins(url, person, token, args.writes)
            burst(url, body, token, args.burst)            # every worker answers on what the check-ins made
            settle(proc.pid, 2.0, args.wait)
            after = [rollup(p) for p in descendants(proc.pid)]
            row["written"] = written
            row["rss after"] = sum(r.get("Rss", 0) for r in after) / 2**20
            row["pss after"] = sum(r.get("Pss", 0) for r in after) / 2**20
            print(f"    after {written} check-ins (and a burst): RSS {row['rss after']:.2f} GiB, "
                  f"PSS {row['pss after']:.2f} GiB", flush=True)
        print(f"--workers {workers}: first closestRoles after {first:.1f} s, settled after {ready:.1f} s; "
              f"{answered}/{args.burst} of the burst answered 200; {len(pids)} processes, "
              f"RSS {row['rss']:.2f} GiB, PSS {row['pss']:.2f} GiB", flush=True)
        for x in per:
            print(f"    pid {x['pid']}: RSS {x['rss']:.2f} GiB, PSS {x['pss']:.2f} GiB, peak RSS {x['hwm']:.2f} GiB, "
                  f"CPU in the burst {x['burst cpu']:.2f} s  ({x['name']})", flush=True)
        return row
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        if log is not subprocess.DEVNULL:
            log.close()


def _hwm(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=["S", "M", "L"], default="M")
    ap.add_argument("--workers", default="1,4")
    ap.add_argument("--cache", help="keep the written store in DIR/<size>/ and reuse it")
    ap.add_argument("--log-dir", help="keep each server's log there")
    ap.add_argument("--burst", type=int, default=64)
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--wait", type=float, default=900)
    ap.add_argument("--writes", type=int, default=16, help="check-ins after the burst, then memory again (0: none)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="trellis-workers-"))
    try:
        data = Path(args.cache) / args.size if args.cache else folder
        person = write_organisation(args.size, data)
        rows = [measure(int(w), data, person, args) for w in args.workers.split(",")]
        base = rows[0]
        print(f"\n| size {args.size} | processes | first closestRoles s | all built s | total RSS GiB | "
              f"total PSS GiB | RSS ÷ {base['workers']} worker | PSS ÷ {base['workers']} worker |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(f"| `--workers {r['workers']}` | {r['processes']} | {r['first answer s']:.1f} | {r['ready s']:.1f} | "
                  f"{r['rss']:.2f} | {r['pss']:.2f} | {r['rss'] / base['rss']:.2f}× | "  # type: ignore[operator]
                  f"{r['pss'] / base['pss']:.2f}× |")  # type: ignore[operator]
        if args.writes:
            print(f"\n| size {args.size}, after {args.writes} check-ins | acknowledged | total RSS GiB | total PSS GiB | "
                  f"PSS ÷ {base['workers']} worker |\n| --- | ---: | ---: | ---: | ---: |")
            for r in rows:
                print(f"| `--workers {r['workers']}` | {r['written']} | {r['rss after']:.2f} | {r['pss after']:.2f} | "
                      f"{r['pss after'] / base['pss after']:.2f}× |")  # type: ignore[operator]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
