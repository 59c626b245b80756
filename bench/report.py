"""Run the benchmarks and regenerate their tables in ``bench/RESULTS.md`` (``make bench``).

    .venv/bin/python bench/report.py [--only scale,refresh] [--sizes S,M] [--soak-minutes 2] [--list]

Each benchmark runs in its own process (its output shows as it goes); its markdown tables, the command, the
machine (CPU, cores, memory, OS, Python and library versions) and the date replace what was generated under its
heading in RESULTS.md before. The analysis written around each table is kept: re-read it when the figures move.
Sizes L and the soak take long (L: ~10 min and ~8 GiB; the soak: minutes per store), so they are opt-in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine, write_section  # noqa: E402

PACKAGES = ["numpy", "scipy", "networkx", "strawberry-graphql", "starlette", "uvicorn", "neo4j"]


@dataclass(frozen=True)
class Bench:
    name: str
    title: str
    args: tuple[str, ...]


def benches(sizes: str, soak_minutes: float) -> list[Bench]:
    return [
        Bench("engine", "Engine vs the plain-loop reference (issue 2)", ("bench/engine.py",)),
        Bench("import", "Import into each store (issue 3)", ("bench/import.py",)),
        Bench("mutation", "One mutation on the Neo4j store at scale (issue 4)", ("bench/mutation.py",)),
        Bench("datasets", "Public datasets at scale (issue 6)", ("bench/datasets.py",)),
        Bench("scale", "Organisation scale (issue 15)",
              ("bench/scale.py", "--sizes", sizes, "--store", sizes, "--queries", "5")),
        Bench("refresh", "Refreshing the projection after a write (issue 15)",
              ("bench/refresh.py", "--sizes", sizes, "--writes", "5", "--engine", sizes.split(",")[-1])),
        Bench("teams", "teamHeatmap and skillsInventory against one pass (issue 15)", ("bench/teams.py", "--sizes", sizes)),
        Bench("paths", "careerPath over the step arrays (issue 15)",
              ("bench/paths.py", "--sizes", sizes, "--infer-sizes", "S", "--infer", "25", "--queries", "5")),
        Bench("neo4j", "Neo4j at organisation scale (issue 15)", ("bench/neo4j_scale.py", "--turns", "1")),
        Bench("loopback", "HTTP on loopback (issues 13 and 15)", ("bench/loopback.py", "--seconds", "6")),
        Bench("workers", "Several workers (issue 15)", ("bench/workers.py", "--size", sizes.split(",")[0])),
        Bench("soak", "Soak (issue 13)", ("bench/soak.py", "--minutes", f"{soak_minutes:g}")),
    ]


def tables(output: str) -> str:
    """The markdown tables in a benchmark's output, one after another."""
    out: list[str] = []
    for line in output.splitlines():
        if line.startswith("|"):
            out.append(line)
        elif out and out[-1]:
            out.append("")
    return "\n".join(out).strip()


def run(bench: Bench) -> str:
    """Run ``bench``, echoing its output, and answer what it printed."""
    proc = subprocess.Popen([sys.executable, *bench.args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        lines.append(line)
    if proc.wait():
        raise SystemExit(f"{bench.args[0]} failed (exit {proc.returncode}); RESULTS.md keeps its previous figures")
    return "".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="comma-separated benchmark names (default: all but the soak)")
    ap.add_argument("--sizes", default="S,M", help="generated sizes for scale, refresh and paths (S, M, L)")
    ap.add_argument("--soak-minutes", type=float, default=2.0)
    ap.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = ap.parse_args()
    known = benches(args.sizes, args.soak_minutes)
    if args.list:
        for b in known:
            print(f"{b.name:10} {' '.join(b.args)}")
        return
    wanted = [n for n in args.only.split(",") if n] or [b.name for b in known if b.name != "soak"]
    unknown = sorted(set(wanted) - {b.name for b in known})
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; --list shows them")
    for bench in (b for b in known if b.name in wanted):
        print(f"== {bench.name}: {' '.join(bench.args)}", flush=True)
        found = tables(run(bench))
        if not found:
            raise SystemExit(f"{bench.args[0]} printed no table; RESULTS.md keeps its previous figures")
        write_section(bench.title, f"Command: `.venv/bin/python {' '.join(bench.args)}` ({dt.date.today().isoformat()}). "
                                   f"Machine: {machine(PACKAGES)}.\n\n{found}")
        print(f"== {bench.name}: written to bench/RESULTS.md under \"{bench.title}\"", flush=True)


if __name__ == "__main__":
    main()
