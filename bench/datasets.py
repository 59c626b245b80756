"""Public datasets at scale: import time, projection build, memory and query latency, for
each dataset of ../shared/data and each store (embedded and a real Neo4j started here).

    .venv/bin/python bench/datasets.py [--datasets onet,esco,ddat,ftprog] [--queries 200]

Latencies are at the engine (no HTTP), median and p95 over ``--queries`` random queries:
``closestRoles`` (limit 10) and ``gap`` from a role profile, ``careerPath`` (k=1) between two
random roles over curated and inferred moves (the dataset's ``infer_moves_gap``, as served).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import transfer  # noqa: E402
from graph.document import from_document  # noqa: E402
from graph.engine import Engine  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.store.neo4j import Neo4jStore  # noqa: E402
from graph.thresholds import Thresholds  # noqa: E402
from server.datasets import DATASETS, shared_data  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


def latency(fn, args_list):  # type: ignore[no-untyped-def]
    times = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(name: str, store, org, queries: int, password: str) -> dict:  # type: ignore[no-untyped-def]
    spec = DATASETS[name]
    t = time.perf_counter()
    replace = store.replace
    replace(org) if isinstance(store, EmbeddedStore) else replace(org, batch=5000)
    t_import = time.perf_counter() - t
    before = rss_mib()
    thresholds = dataclasses.replace(Thresholds(), infer_moves_gap=spec.infer_moves_gap)
    if isinstance(store, Neo4jStore):   # another process: reads the graph back, not the snapshot it just wrote
        store = Neo4jStore(store.uri, store.user, password, store.database, store.timeout)
    engine = Engine(store, thresholds)
    t = time.perf_counter()
    proj = engine.projection()
    t_proj = time.perf_counter() - t
    t = time.perf_counter()
    engine.career_paths((None, proj.role_ids[0], None), proj.role_ids[-1])   # builds the step graph once
    t_steps = time.perf_counter() - t
    rng = random.Random(7)
    roles = list(proj.role_ids)
    pairs = [(rng.choice(roles), rng.choice(roles)) for _ in range(queries)]
    closest = latency(lambda a: engine.closest_roles((None, a, None), 10), [(a,) for a, _ in pairs])
    gap = latency(lambda a, b: engine.gap((None, a, None), b), pairs)
    path = latency(lambda a, b: engine.career_paths((None, a, None), b), pairs)
    if isinstance(store, Neo4jStore):
        store.close()
    return {"import": t_import, "projection": t_proj, "step graph": t_steps, "memory": rss_mib() - before,
            "closest": closest, "gap": gap, "path": path}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", default="onet,esco,ddat,ftprog")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Neo4jServer(Path(tmp) / "neo4j").start()
        try:
            for name in args.datasets.split(","):
                spec = DATASETS[name]
                t = time.perf_counter()
                loaded = transfer.read(shared_data() / spec.folder, spec.format)
                org = from_document(loaded.document)
                t_read = time.perf_counter() - t
                counts = org.counts()
                print(f"{name}: read and checked in {t_read:.1f} s: {counts['roles']} roles, "
                      f"{counts['competencies']} competencies, {counts['requirements']} requirements", flush=True)
                for kind in ("embedded", "neo4j"):
                    if kind == "embedded":
                        store = EmbeddedStore(Path(tmp) / f"{name}.json", seed=False)
                    else:
                        store = Neo4jStore(server.uri, "neo4j", server.password, timeout=60)
                        store.clear()
                    r = measure(name, store, org, args.queries, server.password)
                    store.close()
                    rows.append((name, kind, t_read, r))
                    print(f"  {kind}: import {r['import']:.1f} s, projection {r['projection']:.1f} s, "
                          f"step graph {r['step graph']:.1f} s, +{r['memory']:.0f} MiB; "
                          f"closestRoles {r['closest'][0]:.1f}/{r['closest'][1]:.1f} ms, "
                          f"gap {r['gap'][0]:.1f}/{r['gap'][1]:.1f} ms, "
                          f"careerPath {r['path'][0]:.1f}/{r['path'][1]:.1f} ms (median/p95)", flush=True)
        finally:
            server.stop()
    print("\n| dataset | store | read+check s | import s | projection s | step graph s | memory MiB | "
          "closestRoles ms | gap ms | careerPath ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, kind, t_read, r in rows:
        print(f"| {name} | {kind} | {t_read:.1f} | {r['import']:.1f} | {r['projection']:.1f} | {r['step graph']:.1f} | "
              f"{r['memory']:.0f} | {r['closest'][0]:.1f} / {r['closest'][1]:.1f} | {r['gap'][0]:.1f} / "
              f"{r['gap'][1]:.1f} | {r['path'][0]:.1f} / {r['path'][1]:.1f} |")


if __name__ == "__main__":
    main()
