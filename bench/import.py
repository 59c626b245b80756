"""Import benchmark: one generated organisation imported into the embedded store and
into a real Neo4j (started here from ops/neo4j), side by side in one run.

    .venv/bin/python bench/import.py [--roles 10000 --competencies 200 --people 100000]

Reports rows per second for each store, and the time to build the engine's
projection from each (reading the whole graph back plus building the arrays).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.document import from_document  # noqa: E402
from graph.engine import Engine  # noqa: E402
from graph.generate import generate  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.store.neo4j import Neo4jStore  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    print(f"  {label}: {dt:.1f} s", flush=True)
    return out, dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--roles", type=int, default=10_000)
    ap.add_argument("--competencies", type=int, default=200)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5_000)
    args = ap.parse_args()

    print(f"generating {args.roles} roles, {args.competencies} competencies, {args.people} people", flush=True)
    doc, _ = timed("generate", lambda: generate(args.roles, args.competencies, args.people, seed=42))
    org, _ = timed("check the document", lambda: from_document(doc))
    counts = org.counts()
    rows = sum(counts.values())
    print(f"  {rows:,} rows: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()), flush=True)
    results = []

    with tempfile.TemporaryDirectory() as tmp:
        print("embedded store", flush=True)
        store = EmbeddedStore(Path(tmp) / "store.json", seed=False)
        _, t_import = timed("import", lambda: store.replace(org))
        _, t_proj = timed("projection (read file + build)",
                          lambda: Engine(EmbeddedStore(Path(tmp) / "store.json", seed=False)).projection())
        results.append(("embedded", t_import, t_proj))

        print("neo4j (ops/neo4j, fresh data folder)", flush=True)
        server = Neo4jServer(Path(tmp) / "neo4j").start()
        try:
            neo = Neo4jStore(server.uri, "neo4j", server.password, timeout=60)
            _, t_import = timed("import", lambda: neo.replace(org, batch=args.batch))
            reader = Neo4jStore(server.uri, "neo4j", server.password, timeout=60)   # another process: reads it all
            _, t_proj = timed("projection (read graph + build)", lambda: Engine(reader).projection())
            reader.close()
            _, t_again = timed("import again (idempotent)", lambda: neo.replace(org, batch=args.batch))
            assert neo.organisation() == org, "Neo4j gave back a different organisation"
            neo.close()
            results.append(("neo4j", t_import, t_proj))
        finally:
            server.stop()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{'store':10} {'import s':>9} {'rows/s':>10} {'projection s':>13}")
    for name, t_import, t_proj in results:
        print(f"{name:10} {t_import:9.1f} {rows / t_import:10,.0f} {t_proj:13.1f}")
    emb, neo4j = results
    print(f"Neo4j import takes {neo4j[1] / emb[1]:.1f}x the embedded store's time; "
          f"projection {neo4j[2] / emb[2]:.1f}x. Python peak RSS {peak:,.0f} MiB.")


if __name__ == "__main__":
    main()
