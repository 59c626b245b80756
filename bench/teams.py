"""teamHeatmap (top manager) and skillsInventory against one pass over the people matrix (issue 15), same run.

The floor is ``profiles @ x``: every stored level read once. Beside it: the heatmap's gaps (what a query for
``topGaps`` costs: totals and counts, two sparse products over ``graph.teams.credits``), the same with the names
of the people below, the heatmap's cells as arrays (built only when a query asks for cells: one entry per
requirement of each person's role, 20M at L), the inventory, and building the credits (once per projection,
the first heatmap or inventory; a write carries them over).

    .venv/bin/python bench/teams.py --size L --cache /tmp/h15c
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.loopback import write_organisation  # noqa: E402
from bench.machine import machine  # noqa: E402
from bench.scale import median_s  # noqa: E402
from graph.inventory import skills_inventory  # noqa: E402
from graph.projection import build_projection  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph import teams  # noqa: E402
from graph.teams import team_heatmap  # noqa: E402


def measure(size: str, cache: str | None, runs: int) -> dict[str, float | int | str]:
    folder = Path(cache) / size if cache else Path(tempfile.mkdtemp(prefix="trellis-teams-"))
    write_organisation(size, folder)
    proj = build_projection(EmbeddedStore(folder / "store.json").organisation(), "bench")
    top = proj.person_ids[0]                             # the generator's top manager (as bench/scale.py)
    heat = team_heatmap(proj, top)                       # caches of the role side: once per projection
    skills_inventory(proj)
    x = np.ones(len(proj.comp_ids))
    row: dict[str, float | int | str] = {"size": size, "people": len(heat.placed), "stored": proj.profiles.nnz,
                                         "cells": heat.cell_count}
    row["floor"] = 1000 * median_s(lambda: proj.profiles @ x, max(runs, 5))
    row["gaps"] = 1000 * median_s(lambda: team_heatmap(proj, top).top_gaps, runs)
    row["names"] = 1000 * median_s(lambda: [tuple(g.people_below) for g in team_heatmap(proj, top).top_gaps], runs)
    row["with cells"] = 1000 * median_s(lambda: team_heatmap(proj, top).grid, runs)
    row["inventory"] = 1000 * median_s(lambda: skills_inventory(proj), runs)

    def rebuild() -> None:
        teams._CREDITS.pop(proj, None)
        teams.credits(proj)
    row["credits"] = 1000 * median_s(rebuild, min(runs, 3))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="S,M,L")
    ap.add_argument("--cache", help="keep each generated store in DIR/<size>/ and reuse it")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    rows = []
    for size in args.sizes.split(","):
        rows.append(measure(size, args.cache, args.runs))
        print(rows[-1], file=sys.stderr, flush=True)
    print(f"Medians of {args.runs} runs; {machine(['numpy', 'scipy'])}\n")
    print("| size | people | stored levels | cells | one pass ms | teamHeatmap gaps ms | ÷ pass | with names ms | "
          "with cells ms | ÷ pass | skillsInventory ms | ÷ pass | credits built once ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        f = float(r["floor"])
        print(f"| {r['size']} | {r['people']:,} | {r['stored']:,} | {r['cells']:,} | {f:.1f} | {r['gaps']:.1f} | "
              f"{float(r['gaps']) / f:.1f}× | {r['names']:.1f} | {r['with cells']:.1f} | "
              f"{float(r['with cells']) / f:.1f}× | "
              f"{r['inventory']:.1f} | {float(r['inventory']) / f:.1f}× | {r['credits']:.0f} |")


if __name__ == "__main__":
    main()
