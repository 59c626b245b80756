"""careerPath k=3 on generated organisations (issue 15): the CSR search of graph/paths.py per edge of the
step graph, beside one plain ``scipy.sparse.csgraph.dijkstra(min_only=True)`` from the same start and the
networkx search it replaced (``tests/graph/reference_paths.py``), all in the same run.

    .venv/bin/python bench/paths.py [--sizes S,M,L] [--infer-sizes S] [--infer 4.0] [--people 1000] [--queries 5]

Sizes are bench/scale.py's role counts (S 2,000, M 10,000, L 50,000; 200 competencies, about 20 requirements
per role), with ``--people`` people only: the paths read the role side. Per size and move set (curated only;
with inferred moves, ``infer_moves_gap=--infer``, on ``--infer-sizes``), two kinds of request: a person's
profile to a role 2 to 4 curated moves from their role, and the same person's levels typed in without a role
(the virtual start) to the same role. "edges" counts the step graph as bench/scale.py does: the moves plus the
virtual start's link to every role. Times are medians per request; the Dijkstra runs on the step matrix (for a
typed-in profile: with one more row, the start, priced from the profile), its build not timed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.gaps import gaps_to_roles  # noqa: E402
from graph.generate import generate_organisation  # noqa: E402
from graph.paths import career_paths, step_matrix  # noqa: E402
from graph.profiles import resolve_profile  # noqa: E402
from graph.projection import build_projection  # noqa: E402
from graph.thresholds import Thresholds  # noqa: E402
from bench.machine import machine  # noqa: E402
from tests.graph import reference_paths as old  # noqa: E402

SIZES = {"S": 2_000, "M": 10_000, "L": 50_000}
COMPETENCIES, REQUIREMENTS, SEED = 200, 20, 1


def per_query(fn: Callable[[Any], object], args: list[Any]) -> float:
    times = []
    for a in args:
        t = time.perf_counter()
        fn(a)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def pairs(proj: Any, rng: random.Random, n: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for _ in range(200 * n):
        if len(out) == n:
            break
        pid = rng.choice(proj.person_ids)
        r = int(proj.person_role[proj.person_index[pid]])
        if r < 0:
            continue
        far = [v for v, d in nx.single_source_shortest_path_length(proj.moves, proj.role_ids[r], cutoff=4).items()
               if d >= 2]
        if far:
            out.append((pid, rng.choice(sorted(far))))
    return out


def measure(size: str, infer: float | None, people: int, queries: int) -> list[dict[str, Any]]:
    roles = SIZES[size]
    proj = build_projection(generate_organisation(roles, COMPETENCIES, people, seed=SEED, requirements=REQUIREMENTS))
    t = Thresholds(infer_moves_gap=infer)
    began = time.perf_counter()
    m = step_matrix(proj, t)
    build_s = time.perf_counter() - began
    began = time.perf_counter()
    old.step_graph(proj, t)
    old_build_s = time.perf_counter() - began
    edges = m.edges + roles
    n = roles
    base = m.matrix.copy()
    base.data = base.data + 1e-12        # csgraph drops explicit zeros: keep the zero-gap moves
    asked = pairs(proj, random.Random(7), queries)
    rows = []
    for kind in ("person", "typed in"):
        if kind == "person":
            reqs = [(resolve_profile(proj, person_id=p), target) for p, target in asked]
        else:
            reqs = [(resolve_profile(proj, proficiencies={c: int(v) for c, v in zip(proj.comp_ids, proj.person_levels(
                proj.person_index[p])) if v}), target) for p, target in asked]
        # the same answers, then the times
        for prof, target in reqs:
            got = [(p.steps, p.total_gap) for p in career_paths(proj, prof, target, k=3, t=t)]
            want = [(tuple((s.role_id, s.gap) for s in p.steps), p.total_gap)
                    for p in old.career_paths(proj, prof, target, k=3, t=t)]
            assert [(tuple((s.role_id, s.gap) for s in steps), g) for steps, g in got] == want, (prof.role, target)
        new_s = per_query(lambda a: career_paths(proj, a[0], a[1], k=3, t=t), reqs)
        old_s = per_query(lambda a: old.career_paths(proj, a[0], a[1], k=3, t=t), reqs)
        if kind == "person":
            starts = [(base, p.role) for p, _ in reqs]
        else:
            starts = []
            for p, _ in reqs:
                first = gaps_to_roles(proj, p.levels) + 1e-12
                row = sparse.csr_matrix((first, (np.zeros(n, dtype=np.int64), np.arange(n))), shape=(1, n))
                grown = sparse.vstack([sparse.hstack([base, sparse.csr_matrix((n, 1))]),
                                       sparse.hstack([row, sparse.csr_matrix((1, 1))])]).tocsr()
                starts.append((grown, n))
        dijkstra_s = per_query(lambda a: csgraph.dijkstra(a[0], indices=a[1], min_only=True), starts)
        rows.append({"size": size, "moves": "curated" if infer is None else f"inferred < {infer:g}",
                     "edges": edges, "profile": kind, "build s": build_s, "old build s": old_build_s,
                     "ms": 1000 * new_s, "ns/edge": 1e9 * new_s / edges, "dijkstra ms": 1000 * dijkstra_s,
                     "old ms": 1000 * old_s})
        r = rows[-1]
        print(f"  {size} {r['moves']} {kind}: {r['ms']:.2f} ms ({r['ns/edge']:.1f} ns/edge), "
              f"dijkstra {r['dijkstra ms']:.2f} ms, networkx {r['old ms']:.1f} ms", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="S,M,L")
    ap.add_argument("--infer-sizes", default="S", help="sizes also measured with inferred moves ('' for none)")
    ap.add_argument("--infer", type=float, default=4.0, help="infer_moves_gap for those")
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=5)
    args = ap.parse_args()
    rows: list[dict[str, Any]] = []
    for size in [s for s in args.sizes.split(",") if s]:
        rows += measure(size, None, args.people, args.queries)
        if size in args.infer_sizes.split(","):
            rows += measure(size, args.infer, args.people, args.queries)
    print(f"careerPath k=3, {args.queries} requests per row (median), {args.people} people; "
          f"{machine(['numpy', 'scipy', 'networkx'])}\n")
    print("| size | moves | edges | profile | careerPath ms | ns/edge | one csgraph Dijkstra ms | ratio "
          "| networkx ms | speed-up | step matrix s (networkx graph s) |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['size']} | {r['moves']} | {r['edges']:,} | {r['profile']} | {r['ms']:.2f} | {r['ns/edge']:.1f} "
              f"| {r['dijkstra ms']:.2f} | {r['ms'] / r['dijkstra ms']:.2f} | {r['old ms']:.1f} "
              f"| {r['old ms'] / r['ms']:.1f}x | {r['build s']:.1f} ({r['old build s']:.1f}) |")


if __name__ == "__main__":
    main()
