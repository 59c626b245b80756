"""Refreshing the projection after one write (issue 15): one recordAssessment-like edit's incremental refresh
against the full ``build_projection`` of the same organisation, in the same run, and the first queries after
the refresh against the same queries on a warm projection.

    .venv/bin/python bench/refresh.py [--sizes S,M,L] [--writes 5] [--engine M]

Sizes as ``bench/scale.py`` (200 competencies, about 20 requirements per role, 8 assessments per person):
S 2,000 roles / 20,000 people, M 10,000 / 100,000, L 50,000 / 1,000,000. Per size:

* refresh: ``refresh_projection`` after ``record_assessment`` (median of ``--writes`` writes, each on the
  previous refresh, with the closeness, succession and heatmap caches warm) vs ``build_projection``;
* closestRoles / successors first: the first call on the refreshed projection vs the same call again (warm);
* ``--engine``: at those sizes, ``Engine.apply(record_assessment, ...)`` end to end on an embedded store
  (the edit, the store's own commit and the refresh) vs the next ``engine.projection()`` read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import edits  # noqa: E402
from graph.closeness import closest_roles  # noqa: E402
from graph.engine import Engine  # noqa: E402
from graph.generate import generate_organisation  # noqa: E402
from graph.model import Source  # noqa: E402
from graph.profiles import resolve_profile  # noqa: E402
from graph.projection import build_projection, edit_hint, refresh_projection  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.succession import successors  # noqa: E402
from bench.machine import machine  # noqa: E402

SIZES = {"S": (2_000, 20_000), "M": (10_000, 100_000), "L": (50_000, 1_000_000)}
COMPETENCIES, REQUIREMENTS, SEED = 200, 20, 42


def timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def measure(name: str, writes: int) -> dict[str, Any]:
    roles, people = SIZES[name]
    org = generate_organisation(roles, COMPETENCIES, people, seed=SEED, requirements=REQUIREMENTS)
    build_s, proj = timed(lambda: build_projection(org, "v0"))
    rng = random.Random(3)
    row: dict[str, Any] = {"size": name, "build s": build_s}
    refresh, edit_s, first_close, warm_close, first_succ, warm_succ = [], [], [], [], [], []
    for n in range(writes):
        pid = rng.choice(proj.person_ids)
        rid = proj.role_ids[int(proj.person_role[proj.person_index[pid]])]
        successors(proj, rid)                                       # caches warm on the projection written to
        closest_roles(proj, resolve_profile(proj, person_id=pid))
        cid = rng.choice(proj.comp_ids)
        t, done = timed(lambda: edits.record_assessment(org, pid, cid, rng.randint(1, 5), Source.MANAGER,
                                                        dt.date(2026, 6, 1)))
        edit_s.append(t)
        t, new = timed(lambda: refresh_projection(proj, done.org, f"v{n + 1}", edit_hint(done.action, done.subject)))
        assert new is not None
        refresh.append(t)
        me = resolve_profile(new, person_id=pid)
        first_close.append(timed(lambda: closest_roles(new, me))[0])
        warm_close.append(timed(lambda: closest_roles(new, me))[0])
        first_succ.append(timed(lambda: successors(new, rid))[0])
        warm_succ.append(timed(lambda: successors(new, rid))[0])
        org, proj = done.org, new
    med = statistics.median
    row.update({"refresh ms": med(refresh) * 1e3, "edit s": med(edit_s),
                "closest first ms": med(first_close) * 1e3, "closest warm ms": med(warm_close) * 1e3,
                "successors first ms": med(first_succ) * 1e3, "successors warm ms": med(warm_succ) * 1e3})
    t, _ = timed(lambda: proj.profiles)
    row["profiles built ms"] = t * 1e3
    return row


def engine_apply(name: str, writes: int) -> dict[str, Any]:
    roles, people = SIZES[name]
    org = generate_organisation(roles, COMPETENCIES, people, seed=SEED, requirements=REQUIREMENTS)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "s.json", seed=False)
        store.replace(org)
        engine = Engine(store)
        build_s, proj = timed(engine.projection)
        rng = random.Random(5)
        apply_s, read_s = [], []
        for _ in range(writes):
            pid = rng.choice(proj.person_ids)
            cid = rng.choice(proj.comp_ids)
            apply_s.append(timed(lambda: engine.apply(edits.record_assessment, pid, cid, 3, Source.MANAGER,
                                                      dt.date(2026, 6, 1)))[0])
            read_s.append(timed(engine.projection)[0])
            assert engine.projection().version == store.version()
        return {"size": name, "apply s": statistics.median(apply_s), "read after ms": statistics.median(read_s) * 1e3,
                "build s": build_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--writes", type=int, default=5)
    parser.add_argument("--engine", default="", help="sizes for Engine.apply end to end on an embedded store")
    args = parser.parse_args()
    print(machine(["numpy", "scipy", "networkx"]))
    print()
    print("| size | build_projection s | refresh ms | refresh / build | closestRoles first / warm ms | "
          "successors first / warm ms | profiles built on demand ms | record_assessment edit s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in [s for s in args.sizes.split(",") if s]:
        r = measure(name, args.writes)
        print(f"| {name} | {r['build s']:.2f} | {r['refresh ms']:.2f} | {r['refresh ms'] / 1e3 / r['build s']:.5f} | "
              f"{r['closest first ms']:.1f} / {r['closest warm ms']:.1f} | "
              f"{r['successors first ms']:.1f} / {r['successors warm ms']:.1f} | {r['profiles built ms']:.0f} | "
              f"{r['edit s']:.3f} |", flush=True)
    if args.engine:
        print()
        print("| size | Engine.apply(record_assessment) s | next projection() ms | full build s | apply / build |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in [s for s in args.engine.split(",") if s]:
            r = engine_apply(name, args.writes)
            print(f"| {name} | {r['apply s']:.3f} | {r['read after ms']:.3f} | {r['build s']:.2f} | "
                  f"{r['apply s'] / r['build s']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
