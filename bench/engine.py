"""Engine benchmark: the vectorised engine against the plain-loop reference
(tests/graph/reference.py), in the same run, on a generated organisation.

    .venv/bin/python bench/engine.py [--roles 2000 --competencies 200 --people 2000 --queries 20]

Prints median milliseconds per query for each side and the speed-up ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.closeness import closest_roles  # noqa: E402
from graph.document import from_document  # noqa: E402
from graph.generate import generate  # noqa: E402
from graph.paths import career_paths, step_graph  # noqa: E402
from graph.profiles import resolve_profile  # noqa: E402
from graph.projection import build_projection  # noqa: E402
from graph.succession import successors  # noqa: E402
from tests.graph import reference as ref  # noqa: E402


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--roles", type=int, default=2000)
    ap.add_argument("--competencies", type=int, default=200)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=20)
    args = ap.parse_args()

    t = time.perf_counter()
    org = from_document(generate(args.roles, args.competencies, args.people, seed=1))
    load = time.perf_counter() - t
    t = time.perf_counter()
    proj = build_projection(org, "bench")
    build = time.perf_counter() - t
    print(f"organisation: {args.roles} roles, {args.competencies} competencies, {args.people} people, "
          f"{len(org.assessments)} assessments; document {load:.2f}s, projection {build:.2f}s")

    people = list(proj.person_ids[: args.queries])
    roles = list(proj.role_ids[: args.queries])
    rows = []

    def closest_engine() -> None:
        for pid in people:
            closest_roles(proj, resolve_profile(proj, person_id=pid), 10)

    specificity = ref.specificity(org)     # once per organisation, as the projection does

    def closest_reference() -> None:
        for pid in people:
            own = org.people[pid].role_id
            ref.closest_roles(org, ref.effective_levels(org, pid), own, ref.rank_of(org, own),
                              ref.person_importance(org, pid), u=specificity)

    rows.append(("closestRoles", median_ms(closest_engine, 3) / len(people),
                 median_ms(closest_reference, 1) / len(people)))

    def succ_engine() -> None:
        for rid in roles:
            successors(proj, rid, 10)

    levels = {pid: ref.effective_levels(org, pid) for pid in org.people}

    def succ_reference() -> None:
        for rid in roles[:3]:
            pool = sorted(org.people)
            bench = 0
            for pid in pool:
                if org.people[pid].role_id == rid:
                    continue
                r = ref.readiness(levels[pid], org.roles[rid])
                bench += r >= 0.7
            sorted(pool, key=lambda p: (ref.gap(levels[p], org.roles[rid]), p))

    rows.append(("successors (profiles precomputed)", median_ms(succ_engine, 3) / len(roles),
                 median_ms(succ_reference, 1) / 3))

    step_graph(proj)

    def path_engine() -> None:
        for pid, rid in zip(people, reversed(roles)):
            career_paths(proj, resolve_profile(proj, person_id=pid), rid, k=1)

    def path_reference() -> None:
        for pid, rid in zip(people, reversed(roles)):
            ref.cheapest_path_gap(org, levels[pid], org.people[pid].role_id, rid)

    rows.append(("careerPath k=1 (step graph cached)", median_ms(path_engine, 3) / len(people),
                 median_ms(path_reference, 1) / len(people)))

    print("\n| query | engine ms/query | reference ms/query | speed-up |\n| --- | ---: | ---: | ---: |")
    for name, eng, base in rows:
        ratio = base / eng if base == base else float("nan")
        print(f"| {name} | {eng:.2f} | {base:.2f} | {ratio:.1f}x |")


if __name__ == "__main__":
    main()
