"""Neo4j at organisation scale: import, read-back and the first answer after a cold start, in one run.

    .venv/bin/python bench/neo4j_scale.py [--roles 10000 --people 100000] [--uri bolt://... --password PW]

Without ``--uri`` it starts a Neo4j (ops/neo4j, fresh data folder, heap ``NEO4J_JAVA_OPTS`` or 2 GiB) and
imports the generated organisation (timed); with it, the organisation must be there already. Then, in
turns, so both see the same machine: the read-back as it was (a record per row: roles, requirements,
people, assessments) and as it is (``Neo4jStore.organisation``: chunks of lists), the new one's queries
alone (records drained, nothing built), the projection, and ``trellis serve`` from its start to its
first closestRoles answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

import neo4j

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.generate import generate_organisation  # noqa: E402
from graph.model import Assessment, Person, Requirement, Role, Source  # noqa: E402
from graph.projection import build_projection  # noqa: E402
from graph.store import neo4j_queries as q  # noqa: E402
from graph.store.neo4j import READ_CHUNK, Neo4jStore, _chunks_of  # noqa: E402
from tests.neo4j_server import Neo4jServer, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# The reader before issue 15, for its four big collections (the rest is a few hundred rows): a record per row.
OLD_ROLES = """
MATCH (r:Role)
OPTIONAL MATCH (r)-[:IN_FAMILY]->(f:JobFamily)
OPTIONAL MATCH (r)-[:ON_TRACK]->(t:Track)
OPTIONAL MATCH (r)-[:AT_LEVEL]->(l:Level)
RETURN r.id AS id, r.title AS title, r.description AS description, f.id AS family, t.id AS track, l.id AS level
ORDER BY id
"""
OLD_REQUIREMENTS = """
MATCH (r:Role)-[q:REQUIRES]->(c:Competency)
RETURN r.id AS role, c.id AS competency, q.level AS level, q.weight AS weight, q.essential AS essential, q.ord AS ord
ORDER BY role, ord
"""
OLD_PEOPLE = """
MATCH (p:Person)
OPTIONAL MATCH (p)-[h:HOLDS]->(r:Role)
OPTIONAL MATCH (p)-[:REPORTS_TO]->(m:Person)
RETURN p.id AS id, p.name AS name, p.email AS email, r.id AS role, h.since AS since, m.id AS manager
ORDER BY id
"""
OLD_ASSESSMENTS = """
MATCH (p:Person)-[:ASSESSED]->(a:Assessment)-[:OF]->(c:Competency)
RETURN a.id AS id, p.id AS person, c.id AS competency, a.level AS level, a.source AS source, a.at AS at,
       a.note AS note
ORDER BY id
"""


def _rows(tx: neo4j.ManagedTransaction, statement: str) -> list[dict[str, Any]]:
    result = tx.run(statement)
    keys = result.keys()
    return [dict(zip(keys, values)) for values in result.values()]


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def old_read(tx: neo4j.ManagedTransaction) -> tuple[dict[str, float], int]:
    """The old reader's big part, timed per query (rows fetched, then objects built, as it did)."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    requirements: dict[str, list[Requirement]] = defaultdict(list)
    for row in _rows(tx, OLD_REQUIREMENTS):
        requirements[row["role"]].append(Requirement(row["competency"], row["level"], float(row["weight"]),
                                                     bool(row["essential"])))
    roles = {r["id"]: Role(r["id"], r["title"], r["family"], r["track"], r["level"], r["description"] or "",
                           tuple(sorted(requirements.get(r["id"], ()), key=lambda x: x.competency_id)))
             for r in _rows(tx, OLD_ROLES)}
    times["roles + requirements"] = time.perf_counter() - t
    t = time.perf_counter()
    people = {r["id"]: Person(r["id"], r["name"], r["email"] or "", r["role"], _day(r["since"]), r["manager"])
              for r in _rows(tx, OLD_PEOPLE)}
    times["people"] = time.perf_counter() - t
    t = time.perf_counter()
    assessments = tuple(Assessment(r["id"], r["person"], r["competency"], r["level"], Source(r["source"]),
                                   dt.date.fromisoformat(r["at"]), r["note"] or "", ())
                        for r in _rows(tx, OLD_ASSESSMENTS))
    times["assessments"] = time.perf_counter() - t
    return times, len(roles) + len(people) + len(assessments)


def new_queries_only(tx: neo4j.ManagedTransaction, chunk: int) -> dict[str, float]:
    """The new reader's chunked queries, records received and decoded, no model object built."""
    times: dict[str, float] = {}
    for name, statement in (("roles + requirements", q.READ_ROLES), ("people", q.READ_PEOPLE),
                            ("assessments", q.READ_ASSESSMENTS)):
        t = time.perf_counter()
        for _ in _chunks_of(tx, statement, chunk):
            pass
        times[name] = time.perf_counter() - t
    return times


def cold_start(uri: str, password: str, person: str, folder: Path) -> tuple[float, float]:
    """(seconds to /healthz ok, seconds to the first closestRoles answer) from ``trellis serve``'s spawn."""
    port = free_port()
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": password,
           "HOST": "127.0.0.1", "PORT": str(port), "TRELLIS_DATA": str(folder / "store.json"), "TRELLIS_DEMO": "1",
           "TRELLIS_SECRET": "bench-neo4j-scale-secret-0123456789abcdef"}
    env.pop("TRELLIS_DATASET", None)
    query = json.dumps({"query": f'{{ closestRoles(from: {{personId: "{person}"}}, limit: 3) {{ role {{ id }} gap }} }}'})
    log = open(os.environ.get("BENCH_SERVE_LOG", folder / "serve.log"), "w")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    healthy = answered = 0.0
    try:
        base = f"http://127.0.0.1:{port}"
        while not healthy:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as r:
                    if json.load(r).get("status") == "ok":
                        healthy = time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
            if proc.poll() is not None or time.perf_counter() - started > 600:
                raise RuntimeError(f"trellis serve did not start: see {folder / 'serve.log'}")
        token = _token(env, person)
        request = urllib.request.Request(f"{base}/graphql", data=query.encode(), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=900) as r:
            body = json.load(r)
        assert body.get("data", {}).get("closestRoles"), body
        answered = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    return healthy, answered


def _token(env: dict[str, str], person: str) -> str:
    return subprocess.run([sys.executable, "-m", "server.cli", "token", "--person", person, "--role", "HR"], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1].strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--roles", type=int, default=10_000)
    ap.add_argument("--competencies", type=int, default=200)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--requirements", type=int, default=20)
    ap.add_argument("--uri")
    ap.add_argument("--password", default="trellis-test")
    ap.add_argument("--chunk", type=int, default=READ_CHUNK)
    ap.add_argument("--turns", type=int, default=2)
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--no-baseline", action="store_true", help="skip the old reader (~15 min at 1M people)")
    args = ap.parse_args()

    t = time.perf_counter()
    org = generate_organisation(args.roles, args.competencies, args.people, seed=42, requirements=args.requirements)
    print(f"generated in {time.perf_counter() - t:.1f} s: {org.counts()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        rows: list[tuple[str, float]] = []
        uri = args.uri
        if not uri:
            os.environ.setdefault("NEO4J_JAVA_OPTS", "-Xms1g -Xmx2g")
            server = Neo4jServer(Path(tmp) / "neo4j").start()
            uri = server.uri
        try:
            if server:
                with Neo4jStore(uri, "neo4j", args.password, timeout=120) as writer:
                    t = time.perf_counter()
                    writer.replace(org, batch=5000)
                    rows.append(("import (`replace`, batches of 5,000)", time.perf_counter() - t))
                    print(f"import: {rows[-1][1]:.1f} s", flush=True)
            driver = neo4j.GraphDatabase.driver(uri, auth=("neo4j", args.password), notifications_min_severity="OFF")
            for turn in range(args.turns):
                old_s = None
                if not args.no_baseline:
                    with driver.session(default_access_mode=neo4j.READ_ACCESS) as s:
                        t = time.perf_counter()
                        parts, _ = s.execute_read(old_read)
                        old_s = time.perf_counter() - t
                        print(f"[{turn}] old read-back (big part only): {old_s:.1f} s "
                              + json.dumps({k: round(v, 1) for k, v in parts.items()}), flush=True)
                with driver.session(default_access_mode=neo4j.READ_ACCESS) as s:
                    parts = s.execute_read(new_queries_only, args.chunk)
                    print(f"[{turn}] new queries only: {sum(parts.values()):.1f} s "
                          + json.dumps({k: round(v, 1) for k, v in parts.items()}), flush=True)
                with Neo4jStore(uri, "neo4j", args.password, timeout=120, read_chunk=args.chunk) as reader:
                    t = time.perf_counter()
                    back = reader.organisation()
                    t_read = time.perf_counter() - t
                    t = time.perf_counter()
                    build_projection(back, reader.version())
                    t_proj = time.perf_counter() - t
                print(f"[{turn}] new read-back (whole graph): {t_read:.1f} s; projection built in {t_proj:.1f} s",
                      flush=True)
                if turn == 0:
                    assert back == org, "Neo4j gave back a different organisation"
                    rows += [("read-back, the old reader's big part (baseline)", old_s)] if old_s is not None else []
                    rows += [("read-back of the whole graph", t_read),
                             ("  of which Neo4j's queries", sum(parts.values())),
                             ("projection build after the read", t_proj)]
                del back
            driver.close()
            if not args.no_serve:
                healthy, answered = cold_start(uri, args.password, min(org.people), Path(tmp))
                print(f"cold start: /healthz ok after {healthy:.1f} s, first closestRoles answer after "
                      f"{answered:.1f} s", flush=True)
                rows.append(("cold start → first `closestRoles` answer", answered))
            print(f"\n| {len(org.roles):,} roles, {len(org.people):,} people, {len(org.assessments):,} assessments "
                  "| s |\n| --- | ---: |")
            for label, seconds in rows:
                print(f"| {label} | {seconds:.1f} |")
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main()
