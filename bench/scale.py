"""Trellis at organisation scale (issue 15): each query on generated organisations S, M and L, against its
floor or baseline measured in the same run, and how its time grows from size to size.

    .venv/bin/python bench/scale.py [--sizes S,M,L] [--store S,M] [--queries 5] [--results]

Sizes (200 competencies, about 20 requirements per role, ladders and laterals, 8 assessments per person):
S 2,000 roles / 20,000 people, M 10,000 / 100,000, L 50,000 / 1,000,000. Organisations are built with
``graph.generate.generate_organisation`` (no document in between). Sizes left out are extrapolated from the
two largest measured ones with the growth exponent (and marked so). ``--store`` also writes each of those sizes
into an embedded store (a JSON file naming a side file of columns, see ``graph/store/columns.py``) and times
opening it in another process, as a second worker would (read, check, build the model, project); at S and M
also the earlier format (the whole organisation as one JSON document) as the baseline, in the same run.
``--results`` writes the table into bench/RESULTS.md (replacing this benchmark's previous section).

Floors and baselines, per query:

* closestRoles: the floor is a minimal dense float32 numpy reduction over the same roles x competencies matrix
  (the gap of one profile to every role, ``(max(R - p, 0) * W).sum(1)``); the baseline is the plain-Python
  reference of the property tests (``tests/graph/reference.py``), one profile.
* successors, teamHeatmap (the top manager, everyone under them), skillsInventory: the floor is reading the
  people x competencies CSR matrix once (one sparse matrix-vector product).
* careerPath k=3: time per request divided by the step graph's edges (ns per edge), beside one single-source
  ``scipy.sparse.csgraph.dijkstra`` over the same edges.
* projection: ``build_projection`` from the organisation in memory (time, growth of the process's RSS).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.closeness import closest_roles  # noqa: E402
from graph.generate import generate_organisation  # noqa: E402
from graph.inventory import skills_inventory  # noqa: E402
from graph.paths import career_paths, step_graph  # noqa: E402
from graph.profiles import resolve_profile  # noqa: E402
from graph.projection import build_projection  # noqa: E402
from graph.succession import successors  # noqa: E402
from graph.teams import team_heatmap  # noqa: E402
from bench.machine import machine, write_section  # noqa: E402
from tests.graph import reference as ref  # noqa: E402

SIZES = {"S": (2_000, 20_000), "M": (10_000, 100_000), "L": (50_000, 1_000_000)}
COMPETENCIES, REQUIREMENTS, SEED = 200, 20, 1


def rss_gib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**30


def median_s(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def per_query(fn: Callable[[Any], object], args: list[Any]) -> float:
    """Median seconds per call over ``args``."""
    times = []
    for a in args:
        t = time.perf_counter()
        fn(a)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def reachable_targets(proj: Any, rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(person, target) pairs where the target is 2 to 4 curated moves from the person's role."""
    out: list[tuple[str, str]] = []
    tries = 0
    while len(out) < n and tries < 200 * n:
        tries += 1
        pid = rng.choice(proj.person_ids)
        own = proj.role_ids[proj.person_role[proj.person_index[pid]]]
        far = [v for v, d in nx.single_source_shortest_path_length(proj.moves, own, cutoff=4).items() if d >= 2]
        if far:
            out.append((pid, rng.choice(sorted(far))))
    return out


def measure(name: str, queries: int, store: bool) -> dict[str, Any]:
    roles, people = SIZES[name]
    row: dict[str, Any] = {"size": name, "roles": roles, "people": people}
    before = rss_gib()
    t = time.perf_counter()
    org = generate_organisation(roles, COMPETENCIES, people, seed=SEED, requirements=REQUIREMENTS)
    row["generate s"] = time.perf_counter() - t
    row["organisation GiB"] = rss_gib() - before
    counts = org.counts()
    row["requirements"], row["assessments"], row["moves"] = counts["requirements"], counts["assessments"], counts["moves"]
    print(f"{name}: {roles} roles, {people} people, {counts['requirements']} requirements, "
          f"{counts['assessments']} assessments, {counts['moves']} moves; generated in {row['generate s']:.1f} s "
          f"(+{row['organisation GiB']:.2f} GiB)", flush=True)
    before = rss_gib()
    t = time.perf_counter()
    proj = build_projection(org, name)
    row["projection s"] = time.perf_counter() - t
    row["projection GiB"] = rss_gib() - before
    print(f"  projection {row['projection s']:.1f} s, +{row['projection GiB']:.2f} GiB", flush=True)

    rng = random.Random(7)
    pids = rng.sample(proj.person_ids, queries)
    profiles = [resolve_profile(proj, person_id=p) for p in pids]

    # closestRoles against the dense float32 floor and the plain-Python reference
    dense_req = np.asarray(proj.required.toarray(), dtype=np.float32)
    dense_w = np.asarray(proj.weight.toarray(), dtype=np.float32)
    closest_roles(proj, profiles[0])                                     # role shapes: once per projection
    row["closestRoles ms"] = 1000 * per_query(lambda p: closest_roles(proj, p, 10), profiles)
    vectors = [p.levels.astype(np.float32) for p in profiles]
    row["closestRoles floor ms"] = 1000 * per_query(
        lambda v: (np.maximum(dense_req - v, 0.0) * dense_w).sum(axis=1), vectors)
    del dense_req, dense_w
    u = ref.specificity(org)
    one = pids[0]
    own = org.people[one].role_id
    levels, importance = ref.effective_levels(org, one), ref.person_importance(org, one)
    t = time.perf_counter()
    ref.closest_roles(org, levels, own, ref.rank_of(org, own), importance, u=u)
    row["closestRoles reference ms"] = 1000 * (time.perf_counter() - t)
    print(f"  closestRoles {row['closestRoles ms']:.1f} ms, floor {row['closestRoles floor ms']:.1f} ms, "
          f"reference {row['closestRoles reference ms']:.0f} ms", flush=True)

    # one pass over the people matrix: the floor of successors, teamHeatmap and skillsInventory
    x = np.ones(len(proj.comp_ids))
    row["people pass ms"] = 1000 * median_s(lambda: proj.profiles @ x, max(5, queries))

    rids = rng.sample(proj.role_ids, queries)
    t = time.perf_counter()
    successors(proj, rids[0], 10)                                        # the column copy: once per projection
    row["successors first ms"] = 1000 * (time.perf_counter() - t)
    row["successors ms"] = 1000 * per_query(lambda r: successors(proj, r, 10), rids)
    print(f"  successors {row['successors ms']:.1f} ms (first {row['successors first ms']:.0f} ms), "
          f"one pass {row['people pass ms']:.1f} ms", flush=True)

    top = proj.person_ids[0]
    team_heatmap(proj, top, profiles=proj.profiles)                      # requirement positions: once
    row["teamHeatmap ms"] = 1000 * median_s(lambda: team_heatmap(proj, top), 3)
    if people <= 100_000:
        heat = team_heatmap(proj, top)
        t = time.perf_counter()
        row["heat cells"] = len(heat.cells)
        row["heat cells s"] = time.perf_counter() - t
    row["skillsInventory ms"] = 1000 * median_s(lambda: skills_inventory(proj), 3)
    print(f"  teamHeatmap(top) {row['teamHeatmap ms']:.0f} ms, skillsInventory {row['skillsInventory ms']:.0f} ms",
          flush=True)

    # careerPath k=3 over the cached step graph
    t = time.perf_counter()
    graph = step_graph(proj)
    row["step graph s"] = time.perf_counter() - t
    row["edges"] = graph.number_of_edges()
    pairs = reachable_targets(proj, rng, queries)
    resolved = [(resolve_profile(proj, person_id=p), target) for p, target in pairs]
    row["careerPath ms"] = 1000 * per_query(lambda a: career_paths(proj, a[0], a[1], k=3), resolved)
    nodes = list(graph.nodes())
    at = {n: i for i, n in enumerate(nodes)}
    edges = [(at[u], at[v], d["weight"] + 1e-12) for u, v, d in graph.edges(data=True)]
    us, vs, ws = (np.asarray(c) for c in zip(*edges))
    matrix = sparse.csr_matrix((ws, (us, vs)), shape=(len(nodes), len(nodes)))
    starts = [at[proj.role_ids[p.role]] for p, _ in resolved]
    row["dijkstra ms"] = 1000 * per_query(lambda s: csgraph.dijkstra(matrix, indices=s, min_only=True), starts)
    print(f"  careerPath k=3 {row['careerPath ms']:.1f} ms over {row['edges']} edges "
          f"(step graph {row['step graph s']:.1f} s), one csgraph Dijkstra {row['dijkstra ms']:.1f} ms", flush=True)

    if store:
        del proj, graph
        store_rows(row, org, name)
    return row


OPEN = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from graph.projection import build_projection
from graph.store.embedded import EmbeddedStore
t = time.perf_counter()
store = EmbeddedStore(sys.argv[1], seed=False)
opened = time.perf_counter() - t
build_projection(store.organisation(), "store")
print(json.dumps({"open": opened, "projection": time.perf_counter() - t,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))
"""


@contextlib.contextmanager
def peak_rss() -> Iterator[list[float]]:
    """The highest RSS (GiB) seen while the block runs (sampled every 10 ms)."""
    import threading

    peak, done = [rss_gib()], threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], rss_gib())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak[0] = max(peak[0], rss_gib())


def open_elsewhere(path: Path) -> dict[str, float]:
    """Open the store and build its projection in a fresh process, as a second worker would:
    (open s, open + projection s, peak RSS GiB of that process)."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", OPEN, str(path), str(ROOT)], check=True, capture_output=True,
                         text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def store_rows(row: dict[str, Any], org: Any, name: str) -> None:
    """The embedded store at this size: write it (time, RSS growth), then open it and build the projection in
    another process (time, peak RSS). At S and M also the earlier format (one JSON document) as the baseline."""
    import json

    from graph.document import to_document
    from graph.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.json"
        before = rss_gib()
        with peak_rss() as peak:
            t = time.perf_counter()
            EmbeddedStore(path, seed=False).replace(org)
            row["store write s"] = time.perf_counter() - t
        row["store write GiB"] = peak[0] - before
        row["store file GiB"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**30
        got = open_elsewhere(path)
        row["store open s"], row["store projection s"], row["store peak GiB"] = (
            got["open"], got["projection"], got["peak"])
        print(f"  embedded store: written in {row['store write s']:.1f} s (peak +{row['store write GiB']:.2f} GiB, "
              f"{row['store file GiB']:.3f} GiB of files); another process opens it in {row['store open s']:.1f} s, "
              f"projection from it {row['store projection s']:.1f} s, peak RSS {row['store peak GiB']:.2f} GiB",
              flush=True)
    if name in ("S", "M"):                   # the earlier format: one JSON document
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "store.json"
            t = time.perf_counter()
            path.write_text(json.dumps({"version": "json", "organisation": to_document(org), "audit": []}))
            row["json write s"] = time.perf_counter() - t
            row["json file GiB"] = path.stat().st_size / 2**30
            got = open_elsewhere(path)
            row["json open s"], row["json projection s"], row["json peak GiB"] = (
                got["open"], got["projection"], got["peak"])
        print(f"  JSON store (earlier format): written in {row['json write s']:.1f} s "
              f"({row['json file GiB']:.3f} GiB); opened in {row['json open s']:.1f} s, projection from it "
              f"{row['json projection s']:.1f} s, peak RSS {row['json peak GiB']:.2f} GiB "
              f"(columns: {row['json projection s'] / row['store projection s']:.1f}× faster)", flush=True)


# query, the size it grows with, the row key, the floor key (or None)
QUERIES = [
    ("closestRoles", "requirements", "closestRoles ms"),
    ("successors", "assessments", "successors ms"),
    ("careerPath k=3", "edges", "careerPath ms"),
    ("teamHeatmap (top manager)", "assessments", "teamHeatmap ms"),
    ("skillsInventory", "assessments", "skillsInventory ms"),
    ("projection", "assessments", "projection s"),
    ("embedded store -> projection", "assessments", "store projection s"),
]


def exponent(rows: list[dict[str, Any]], size_key: str, key: str, a: str, b: str) -> float | None:
    ra = next((r for r in rows if r["size"] == a), None)
    rb = next((r for r in rows if r["size"] == b), None)
    if not ra or not rb or key not in ra or key not in rb or ra[key] <= 0 or rb[key] <= 0:
        return None
    return math.log(rb[key] / ra[key]) / math.log(rb[size_key] / ra[size_key])


def extrapolate(rows: list[dict[str, Any]], wanted: list[str]) -> None:
    """Fill in a missing size's times from the two largest measured ones (marked ``extrapolated``)."""
    order = list(SIZES)
    for name in wanted:
        if any(r["size"] == name for r in rows):
            continue
        roles, people = SIZES[name]
        last = max(rows, key=lambda r: order.index(r["size"]))
        row: dict[str, Any] = {"size": name, "roles": roles, "people": people, "extrapolated": True,
                               "requirements": last["requirements"] * roles / last["roles"],
                               "assessments": last["assessments"] * people / last["people"],
                               "edges": last["edges"] * roles / last["roles"]}
        for _, size_key, key in QUERIES:
            have = [r for r in rows if key in r]
            if len(have) < 2:
                continue
            have.sort(key=lambda r: order.index(r["size"]))
            lo, hi = have[-2], have[-1]
            e = math.log(hi[key] / lo[key]) / math.log(hi[size_key] / lo[size_key])
            row[key] = hi[key] * (row[size_key] / hi[size_key]) ** e
        rows.append(row)


def table(rows: list[dict[str, Any]]) -> str:
    rows = sorted(rows, key=lambda r: list(SIZES).index(r["size"]))
    names = [r["size"] + ("*" if r.get("extrapolated") else "") for r in rows]
    big = rows[-1]
    out = ["| query | target | " + " | ".join(names) + " | growth S→M | growth M→L | met on " + names[-1] + " |",
           "| --- | --- | " + " | ".join("---:" for _ in rows) + " | ---: | ---: | --- |"]

    def growth(size_key: str, key: str) -> tuple[str, str]:
        sm = exponent(rows, size_key, key, "S", "M")
        ml = exponent(rows, size_key, key, "M", "L")
        return (f"{sm:.2f}" if sm is not None else "–", f"{ml:.2f}" if ml is not None else "–")

    def cells(fmt: Callable[[dict[str, Any]], str]) -> str:
        return " | ".join(fmt(r) for r in rows)

    def line(query: str, target: str, fmt: Callable[[dict[str, Any]], str], size_key: str, key: str,
             met: str) -> None:
        g = growth(size_key, key)
        out.append(f"| {query} | {target} | {cells(fmt)} | {g[0]} | {g[1]} | {met} |")

    def ms(key: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{r[key]:.1f} ms" if key in r else "–"

    def ratio(key: str, base: str, inverse: bool = False) -> Callable[[dict[str, Any]], str]:
        def f(r: dict[str, Any]) -> str:
            if key not in r or base not in r:
                return "–"
            return f"{(r[base] / r[key]) if inverse else (r[key] / r[base]):.1f}×"
        return f

    def ok(cond: Callable[[], bool]) -> str:
        try:
            return "yes" if cond() else "**no**"
        except KeyError:
            return "–"


    line("closestRoles", "time", ms("closestRoles ms"), "requirements", "closestRoles ms", "")
    line("  ÷ dense float32 floor", "≤ 5×", ratio("closestRoles ms", "closestRoles floor ms"), "requirements",
         "closestRoles floor ms",
         ok(lambda: big["closestRoles ms"] <= 5 * big["closestRoles floor ms"]))
    line("  plain-Python reference ÷", "≥ 50×", ratio("closestRoles ms", "closestRoles reference ms", True),
         "requirements", "closestRoles reference ms",
         ok(lambda: big["closestRoles reference ms"] >= 50 * big["closestRoles ms"]))
    line("successors (everyone, limit 10)", "time", ms("successors ms"), "assessments", "successors ms", "")
    line("  ÷ one pass over the people matrix", "≤ 5×", ratio("successors ms", "people pass ms"), "assessments",
         "people pass ms", ok(lambda: big["successors ms"] <= 5 * big["people pass ms"]))
    line("careerPath k=3", "time", ms("careerPath ms"), "edges", "careerPath ms", "")
    line("  per edge of the step graph", "≤ 50 ns",
         lambda r: f"{1e6 * r['careerPath ms'] / r['edges']:.0f} ns" if "careerPath ms" in r else "–",
         "edges", "careerPath ms", ok(lambda: 1e6 * big["careerPath ms"] / big["edges"] <= 50))
    line("  one csgraph Dijkstra, per edge", "(reference)",
         lambda r: f"{1e6 * r['dijkstra ms'] / r['edges']:.0f} ns" if "dijkstra ms" in r else "–",
         "edges", "dijkstra ms", "")
    line("teamHeatmap (top manager)", "time", ms("teamHeatmap ms"), "assessments", "teamHeatmap ms", "")
    line("  ÷ one pass over the people matrix", "one pass (≤ 5×)", ratio("teamHeatmap ms", "people pass ms"),
         "assessments", "teamHeatmap ms",
         ok(lambda: big["teamHeatmap ms"] <= 5 * big["people pass ms"]))
    line("skillsInventory", "time", ms("skillsInventory ms"), "assessments", "skillsInventory ms", "")
    line("  ÷ one pass over the people matrix", "one pass (≤ 5×)", ratio("skillsInventory ms", "people pass ms"),
         "assessments", "skillsInventory ms",
         ok(lambda: big["skillsInventory ms"] <= 5 * big["people pass ms"]))
    line("projection (from the organisation)", "≤ 60 s", lambda r: f"{r['projection s']:.1f} s",
         "assessments", "projection s", ok(lambda: big["projection s"] <= 60))
    line("  memory (RSS growth)", "≤ 2 GiB",
         lambda r: f"{r['projection GiB']:.2f} GiB" if "projection GiB" in r else "–", "assessments",
         "projection GiB", ok(lambda: big["projection GiB"] <= 2))
    line("projection from the embedded store", "≤ 60 s",
         lambda r: f"{r['store projection s']:.1f} s" if "store projection s" in r else "–",
         "assessments", "store projection s",
         ok(lambda: big["store projection s"] <= 60))
    line("  of which opening the store", "(time)",
         lambda r: f"{r['store open s']:.1f} s" if "store open s" in r else "–", "assessments", "store open s", "")
    line("  earlier JSON format ÷ columns", "(baseline)",
         lambda r: (f"{r['json projection s']:.1f} s, {r['json projection s'] / r['store projection s']:.1f}×"
                    if "json projection s" in r and "store projection s" in r else "–"),
         "assessments", "json projection s", "")
    line("  store files on disk", "(size)",
         lambda r: (f"{r['store file GiB']:.3f} GiB" + (f" (JSON {r['json file GiB']:.3f})" if "json file GiB" in r
                                                        else "") if "store file GiB" in r else "–"),
         "assessments", "store file GiB", "")
    line("  peak RSS of the opening process", "(memory)",
         lambda r: (f"{r['store peak GiB']:.2f} GiB" + (f" (JSON {r['json peak GiB']:.2f})" if "json peak GiB" in r
                                                        else "") if "store peak GiB" in r else "–"),
         "assessments", "store peak GiB", "")
    line("writing the embedded store", "(time)",
         lambda r: (f"{r['store write s']:.1f} s" + (f" (JSON {r['json write s']:.1f})" if "json write s" in r
                                                     else "") if "store write s" in r else "–"),
         "assessments", "store write s", "")
    line("generate the organisation", "(setup)", lambda r: f"{r['generate s']:.1f} s" if "generate s" in r else "–",
         "assessments", "generate s", "")
    return "\n".join(out)


PACKAGES = ["numpy", "scipy", "networkx"]


def write_results(text: str) -> None:
    write_section("Organisation scale (issue 15)", text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="S,M,L")
    ap.add_argument("--store", default="S,M", help="sizes also opened from an embedded store file ('' for none)")
    ap.add_argument("--queries", type=int, default=5)
    ap.add_argument("--results", action="store_true", help="write the table into bench/RESULTS.md")
    args = ap.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    stores = {s for s in args.store.split(",") if s}
    rows = [measure(s, args.queries, s in stores) for s in sizes]
    if len(rows) >= 2:
        extrapolate(rows, list(SIZES))
    text = table(rows)
    print()
    print(text)
    if args.results:
        missing = [s for s in SIZES if s not in sizes]
        note = (f"Sizes marked * were not run ({', '.join(missing)}): extrapolated from the two largest measured "
                f"sizes with the measured growth exponent.\n\n" if missing else "")
        cmd = "`.venv/bin/python bench/scale.py " + " ".join(sys.argv[1:]) + "`"
        write_results(f"Command: {cmd}. Machine: {machine(PACKAGES)}. {dt.date.today().isoformat()}.\n\n"
                      f"{note}{text}\n")


if __name__ == "__main__":
    main()
