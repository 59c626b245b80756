"""What one mutation costs the Neo4j store before it talks to the server: planning the writes.

    .venv/bin/python bench/mutation.py [--people 100000] [--roles 10000] [--competencies 200]

The store writes only what an edit changed. It finds that by diffing the organisation before and after;
the baseline diffs the two whole organisations (what it did before), the store now diffs only what the
edit replaced (``graph.changes.changed_parts``). Both plans are checked to be the same, in the same
run, for three kinds of edit on a generated organisation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import edits  # noqa: E402
from graph.document import from_document, to_document  # noqa: E402
from graph.generate import generate  # noqa: E402
from graph.model import Source  # noqa: E402
from graph.store.neo4j import _edit_plan  # noqa: E402


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--roles", type=int, default=10_000)
    ap.add_argument("--competencies", type=int, default=200)
    args = ap.parse_args()
    org = from_document(generate(roles=args.roles, competencies=args.competencies, people=args.people, seed=42))
    person, role = next(iter(org.people.values())), next(iter(org.roles.values()))
    comp = next(iter(org.competencies))
    cases = {
        "recordAssessment": lambda o: edits.record_assessment(o, person.id, comp, 3, Source.MANAGER, dt.date(2026, 11, 1)),
        "updatePerson (new manager)": lambda o: edits.update_person(
            o, person.id, person.name, person.email, person.role_id, person.since, None),
        "setRequirement": lambda o: edits.set_requirement(o, role.id, comp, 4, 2.0),
    }
    print(f"organisation: {len(org.roles)} roles, {len(org.people)} people, {len(org.assessments)} assessments")
    print("\n| edit | whole diff s | cut-down diff s | speed-up |\n| --- | ---: | ---: | ---: |")
    for name, make in cases.items():
        edit = make(org)
        old_copy, new_copy = from_document(to_document(org)), from_document(to_document(edit.org))
        whole, t_whole = timed(_edit_plan, old_copy, new_copy)
        cut, t_cut = timed(_edit_plan, org, edit.org)
        assert sorted(map(repr, whole[0])) == sorted(map(repr, cut[0])) and whole[1] == cut[1], name
        print(f"| {name} | {t_whole:.2f} | {t_cut:.3f} | {t_whole / t_cut:.0f}x |")


if __name__ == "__main__":
    main()
