"""Deterministic synthetic organisations of any size, for tests and benchmarks.

The same arguments always give the same document. Roles sit on ladders per job
family and track; each family draws its requirements mostly from its own slice
of the competencies, so closeness and paths have structure to find.

>>> doc = generate(roles=20, competencies=30, people=50, seed=7)
>>> len(doc["roles"]), len(doc["competencies"]), len(doc["people"])
(20, 30, 50)
>>> generate(roles=20, competencies=30, people=50, seed=7) == doc
True
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

__all__ = ["generate"]

_CATEGORIES = ("TECHNICAL", "KNOWLEDGE", "BEHAVIOURAL", "LEADERSHIP")
_SOURCES = ("SELF", "PEER", "MANAGER", "ASSESSED")
_KINDS = ("COURSE", "MENTORING", "PROJECT", "READING", "CERTIFICATION")
_LEVELS = 6


def generate(roles: int = 100, competencies: int = 50, people: int = 500, seed: int = 0,
             assessments_per_person: int = 8, today: dt.date = dt.date(2026, 11, 1)) -> dict[str, Any]:
    """An organisation document (see :mod:`graph.document`)."""
    if min(roles, competencies) < 1 or people < 0:
        raise ValueError("roles and competencies must be at least 1, people at least 0")
    rng = np.random.default_rng(seed)
    comps = [{"id": f"c{i:04d}", "name": f"Competency {i}", "category": _CATEGORIES[i % 4],
              "description": f"Synthetic competency {i}.",
              "indicators": {lv: [f"Shows competency {i} at level {lv}."] for lv in range(1, 6)}}
             for i in range(competencies)]
    n_fam = max(1, roles // 10)
    families = [{"id": f"f{i:03d}", "name": f"Family {i}"} for i in range(n_fam)]
    slice_size = max(3, competencies // n_fam)
    role_docs: list[dict[str, Any]] = []
    ladders: dict[tuple[int, str], dict[int, list[str]]] = {}
    for i in range(roles):
        fam = i % n_fam
        k = (i // n_fam) % _LEVELS + 1
        track = "management" if (i // (n_fam * _LEVELS)) % 3 == 2 else "ic"
        own = [(fam * slice_size + j) % competencies for j in range(slice_size)]
        n_req = min(competencies, int(rng.integers(6, 13)))
        pool = own + [int(x) for x in rng.choice(competencies, size=min(competencies, 6), replace=False)]
        chosen = list(dict.fromkeys(int(x) for x in rng.permutation(pool)))[:n_req]
        reqs = [{"competency": f"c{c:04d}", "level": int(np.clip(k // 2 + 1 + rng.integers(-1, 2), 1, 5)),
                 "weight": float(rng.choice([0.5, 1.0, 1.0, 1.5, 2.0])), "essential": bool(rng.random() < 0.2)}
                for c in chosen]
        rid = f"r{i:05d}"
        role_docs.append({"id": rid, "title": f"Role {i} (F{fam} L{k})", "description": "", "family": f"f{fam:03d}",
                          "track": track, "level": f"l{k}", "requires": reqs})
        ladders.setdefault((fam, track), {}).setdefault(k, []).append(rid)
    progresses: list[list[str]] = []
    lateral: list[list[str]] = []
    total = {r["id"]: sum(q["level"] * q["weight"] for q in r["requires"]) for r in role_docs}
    for ladder in ladders.values():
        for k in sorted(ladder):
            for a in ladder[k]:
                nxt = [b for b in ladder.get(k + 1, []) if total[b] >= total[a]]   # a promotion asks more
                if nxt:
                    progresses.append([a, nxt[int(rng.integers(len(nxt)))]])
    for _ in range(roles // 4):
        x, y = (int(v) for v in rng.integers(roles, size=2))
        if x != y:
            lateral.append([f"r{x:05d}", f"r{y:05d}"])
    lateral = [list(p) for p in dict.fromkeys(tuple(p) for p in lateral)]

    people_docs: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []
    for i in range(people):
        role = role_docs[int(rng.integers(roles))]
        pid = f"p{i:06d}"
        people_docs.append({"id": pid, "name": f"Person {i}", "email": f"person{i}@example.org", "role": role["id"],
                            "since": (today - dt.timedelta(days=int(rng.integers(30, 2000)))).isoformat(),
                            "manager": f"p{(i - 1) // 8:06d}" if i else None})
        for q in role["requires"][:assessments_per_person]:
            assessments.append({
                "id": f"a{len(assessments):08d}", "person": pid, "competency": q["competency"],
                "level": int(np.clip(q["level"] + rng.integers(-2, 2), 0, 5)),
                "source": _SOURCES[int(rng.integers(4))],
                "at": (today - dt.timedelta(days=int(rng.integers(0, 500)))).isoformat(), "note": "", "evidence": []})
    resources = []
    for i in range(competencies * 2):
        lo = int(rng.integers(0, 5))
        resources.append({"id": f"lr{i:05d}", "title": f"Resource {i}", "kind": _KINDS[i % 5],
                          "hours": float(rng.integers(2, 60)), "url": "",
                          "develops": [{"competency": f"c{i % competencies:04d}", "from": lo,
                                        "to": min(5, lo + int(rng.integers(1, 3)))}]})
    return {
        "framework": {"id": f"synthetic-{seed}", "name": "Synthetic framework", "version": "1", "validity_days": 365},
        "scale": [{"level": i, "name": n, "description": ""} for i, n in
                  enumerate(["Awareness", "Working", "Practitioner", "Advanced", "Expert"], 1)],
        "competencies": comps, "families": families,
        "tracks": [{"id": "ic", "name": "IC"}, {"id": "management", "name": "MANAGEMENT"}],
        "levels": [{"id": f"l{k}", "rank": k, "name": f"Level {k}"} for k in range(1, _LEVELS + 1)],
        "roles": role_docs, "moves": {"progresses_to": progresses, "can_move_to": lateral},
        "resources": resources, "people": people_docs, "assessments": assessments,
    }
