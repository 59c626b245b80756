"""Deterministic synthetic organisations of any size, for tests and benchmarks.

The same arguments always give the same document. Roles sit on ladders per job
family and track; each family draws its requirements mostly from its own slice
of the competencies, so closeness and paths have structure to find.

>>> doc = generate(roles=20, competencies=30, people=50, seed=7)
>>> len(doc["roles"]), len(doc["competencies"]), len(doc["people"])
(20, 30, 50)
>>> generate(roles=20, competencies=30, people=50, seed=7) == doc
True

``requirements`` sets how many requirements a role has on average (each role draws between
``requirements - requirements // 4`` and ``requirements + requirements // 4``, at most one per
competency). Without it the generator keeps its original draws (6 to 12 candidates per role, about
8 requirements after duplicates), so its documents stay byte for byte what they were. With it the
draws are vectorised over all roles, people and assessments (another random stream: the same
arguments still always give the same organisation), and :func:`generate_organisation` builds the
:class:`~graph.model.Organisation` directly, without a document in between: what makes a million
people and eight million assessments fit in memory and minutes.

>>> org = generate_organisation(roles=20, competencies=30, people=50, seed=7, requirements=12)
>>> from graph.document import from_document
>>> from_document(generate(roles=20, competencies=30, people=50, seed=7, requirements=12)) == org
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import (Assessment, Category, Competency, Development, Framework, Indicator, JobFamily,
                    LearningResource, Level, Move, MoveKind, Organisation, Person, Requirement, ResourceKind,
                    Role, ScaleLevel, Source, Track)

__all__ = ["generate", "generate_organisation"]

_CATEGORIES = ("TECHNICAL", "KNOWLEDGE", "BEHAVIOURAL", "LEADERSHIP")
_SOURCES = ("SELF", "PEER", "MANAGER", "ASSESSED")
_KINDS = ("COURSE", "MENTORING", "PROJECT", "READING", "CERTIFICATION")
_LEVELS = 6


def _check(roles: int, competencies: int, people: int, requirements: int | None) -> None:
    if min(roles, competencies) < 1 or people < 0:
        raise ValueError("roles and competencies must be at least 1, people at least 0")
    if requirements is not None and requirements < 1:
        raise ValueError(f"requirements must be at least 1, not {requirements}")


def generate(roles: int = 100, competencies: int = 50, people: int = 500, seed: int = 0,
             assessments_per_person: int = 8, today: dt.date = dt.date(2026, 11, 1),
             requirements: int | None = None) -> dict[str, Any]:
    """An organisation document (see :mod:`graph.document`); ``requirements``: per role, on average."""
    _check(roles, competencies, people, requirements)
    if requirements is not None:
        return _document(_draw(roles, competencies, people, seed, assessments_per_person, requirements), today)
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


def generate_organisation(roles: int = 100, competencies: int = 50, people: int = 500, seed: int = 0,
                          assessments_per_person: int = 8, today: dt.date = dt.date(2026, 11, 1),
                          requirements: int | None = None) -> Organisation:
    """``from_document(generate(...))`` with the same arguments, built directly when ``requirements`` is given
    (no document, no per-field checks: the values are valid by construction)."""
    _check(roles, competencies, people, requirements)
    if requirements is None:
        from .document import from_document

        return from_document(generate(roles, competencies, people, seed, assessments_per_person, today))
    return _organisation(_draw(roles, competencies, people, seed, assessments_per_person, requirements), today)


_WEIGHTS = np.asarray([0.5, 1.0, 1.0, 1.5, 2.0])
_SCALE = ("Awareness", "Working", "Practitioner", "Advanced", "Expert")


@dataclass(frozen=True)
class _Drawn:
    """A generated organisation as columns (the scalable scheme)."""

    seed: int
    roles: int
    competencies: int
    families: int
    role_level: np.ndarray        # per role: level rank 1..6
    role_manager: np.ndarray      # per role: on the management track
    req_ptr: np.ndarray           # roles + 1: each role's requirement entries (in drawn order)
    req_col: np.ndarray
    req_level: np.ndarray
    req_weight: np.ndarray
    req_essential: np.ndarray
    progresses: list[tuple[int, int]]
    lateral: list[tuple[int, int]]
    person_role: np.ndarray
    person_since: np.ndarray      # days before today
    a_person: np.ndarray
    a_col: np.ndarray
    a_level: np.ndarray
    a_source: np.ndarray
    a_days: np.ndarray
    res_from: np.ndarray
    res_to: np.ndarray
    res_hours: np.ndarray


def _draw(roles: int, competencies: int, people: int, seed: int, assessments_per_person: int,
          requirements: int) -> _Drawn:
    rng = np.random.default_rng(seed)
    n_fam = max(1, roles // 10)
    index = np.arange(roles)
    fam = index % n_fam
    level = (index // n_fam) % _LEVELS + 1
    manager = (index // (n_fam * _LEVELS)) % 3 == 2
    spread = requirements // 4
    n_req = np.minimum(competencies, rng.integers(requirements - spread, requirements + spread + 1, size=roles))
    # A family's own slice holds at least as many competencies as a role asks for; each role draws about
    # half of its requirements from it, the rest from anywhere.
    size = min(competencies, max(3, competencies // n_fam, requirements))
    cols: list[np.ndarray] = []
    for i in range(roles):
        own = (fam[i] * size + np.arange(size)) % competencies
        extra = rng.choice(competencies, size=int(n_req[i]), replace=False)
        pool = rng.permutation(np.concatenate([own, extra]))
        _, first = np.unique(pool, return_index=True)
        cols.append(pool[np.sort(first)][:n_req[i]])
    counts = np.asarray([len(c) for c in cols], dtype=np.int64)
    ptr = np.concatenate([[0], np.cumsum(counts)])
    col = np.concatenate(cols).astype(np.int64) if cols else np.zeros(0, dtype=np.int64)
    entries = len(col)
    owner = np.repeat(index, counts)
    req_level = np.clip(level[owner] // 2 + 1 + rng.integers(-1, 2, size=entries), 1, 5)
    req_weight = _WEIGHTS[rng.integers(len(_WEIGHTS), size=entries)]
    essential = rng.random(entries) < 0.2

    total = np.bincount(owner, weights=req_level * req_weight, minlength=roles)
    ladders: dict[tuple[int, bool], dict[int, list[int]]] = {}
    for i in range(roles):
        ladders.setdefault((int(fam[i]), bool(manager[i])), {}).setdefault(int(level[i]), []).append(i)
    pick = rng.random(roles)
    progresses: list[tuple[int, int]] = []
    for ladder in ladders.values():
        for k in sorted(ladder):
            for a in ladder[k]:
                nxt = [b for b in ladder.get(k + 1, []) if total[b] >= total[a]]   # a promotion asks more
                if nxt:
                    progresses.append((a, nxt[int(pick[a] * len(nxt))]))
    pairs = rng.integers(roles, size=(roles // 4, 2))
    lateral = list(dict.fromkeys((int(x), int(y)) for x, y in pairs if x != y))

    person_role = rng.integers(roles, size=people)
    since = rng.integers(30, 2000, size=people)
    per_person = np.minimum(assessments_per_person, counts[person_role])
    a_person = np.repeat(np.arange(people), per_person)
    start = np.concatenate([[0], np.cumsum(per_person)])[:-1]
    entry = ptr[person_role][a_person] + (np.arange(len(a_person)) - start[a_person])
    n_a = len(entry)
    a_level = np.clip(req_level[entry] + rng.integers(-2, 2, size=n_a), 0, 5)
    a_source = rng.integers(4, size=n_a)
    a_days = rng.integers(0, 500, size=n_a)
    res_from = rng.integers(0, 5, size=competencies * 2)
    res_to = np.minimum(5, res_from + rng.integers(1, 3, size=competencies * 2))
    res_hours = rng.integers(2, 60, size=competencies * 2).astype(np.float64)
    return _Drawn(seed, roles, competencies, n_fam, level, manager, ptr, col, req_level, req_weight, essential,
                  progresses, lateral, person_role, since, a_person, col[entry], a_level, a_source, a_days,
                  res_from, res_to, res_hours)


def _role_id(i: int) -> str:
    return f"r{i:05d}"


def _document(d: _Drawn, today: dt.date) -> dict[str, Any]:
    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    comps = [{"id": f"c{i:04d}", "name": f"Competency {i}", "category": _CATEGORIES[i % 4],
              "description": f"Synthetic competency {i}.",
              "indicators": {lv: [f"Shows competency {i} at level {lv}."] for lv in range(1, 6)}}
             for i in range(d.competencies)]
    role_docs = []
    for i in range(d.roles):
        lo, hi = d.req_ptr[i], d.req_ptr[i + 1]
        k, f = int(d.role_level[i]), i % d.families
        role_docs.append({
            "id": _role_id(i), "title": f"Role {i} (F{f} L{k})", "description": "", "family": f"f{f:03d}",
            "track": "management" if d.role_manager[i] else "ic", "level": f"l{k}",
            "requires": [{"competency": f"c{int(c):04d}", "level": int(lv), "weight": float(w), "essential": bool(e)}
                         for c, lv, w, e in zip(d.req_col[lo:hi], d.req_level[lo:hi], d.req_weight[lo:hi],
                                                d.req_essential[lo:hi])]})
    n_people = len(d.person_role)
    people_docs = [{"id": f"p{i:06d}", "name": f"Person {i}", "email": f"person{i}@example.org",
                    "role": _role_id(int(d.person_role[i])), "since": day(int(d.person_since[i])),
                    "manager": f"p{(i - 1) // 8:06d}" if i else None} for i in range(n_people)]
    assessments = [{"id": f"a{n:08d}", "person": f"p{int(p):06d}", "competency": f"c{int(c):04d}", "level": int(lv),
                    "source": _SOURCES[int(s)], "at": day(int(a)), "note": "", "evidence": []}
                   for n, (p, c, lv, s, a) in enumerate(zip(d.a_person, d.a_col, d.a_level, d.a_source, d.a_days))]
    resources = [{"id": f"lr{i:05d}", "title": f"Resource {i}", "kind": _KINDS[i % 5], "hours": float(d.res_hours[i]),
                  "url": "", "develops": [{"competency": f"c{i % d.competencies:04d}", "from": int(d.res_from[i]),
                                           "to": int(d.res_to[i])}]}
                 for i in range(d.competencies * 2)]
    return {
        "framework": {"id": f"synthetic-{d.seed}", "name": "Synthetic framework", "version": "1",
                      "validity_days": 365},
        "scale": [{"level": i, "name": n, "description": ""} for i, n in enumerate(_SCALE, 1)],
        "competencies": comps, "families": [{"id": f"f{i:03d}", "name": f"Family {i}"} for i in range(d.families)],
        "tracks": [{"id": "ic", "name": "IC"}, {"id": "management", "name": "MANAGEMENT"}],
        "levels": [{"id": f"l{k}", "rank": k, "name": f"Level {k}"} for k in range(1, _LEVELS + 1)],
        "roles": role_docs,
        "moves": {"progresses_to": [[_role_id(a), _role_id(b)] for a, b in d.progresses],
                  "can_move_to": [[_role_id(a), _role_id(b)] for a, b in d.lateral]},
        "resources": resources, "people": people_docs, "assessments": assessments,
    }


def _organisation(d: _Drawn, today: dt.date) -> Organisation:
    """What :func:`graph.document.from_document` builds from :func:`_document`, without the document."""
    comp_ids = [f"c{i:04d}" for i in range(d.competencies)]
    competencies = {cid: Competency(cid, f"Competency {i}", Category(_CATEGORIES[i % 4]), f"Synthetic competency {i}.")
                    for i, cid in enumerate(comp_ids)}
    indicators = tuple(sorted((Indicator(f"{cid}-{lv}-1", cid, lv, f"Shows competency {i} at level {lv}.")
                               for i, cid in enumerate(comp_ids) for lv in range(1, 6)),
                              key=lambda ind: (ind.competency_id, ind.level, 1)))
    families = {f"f{i:03d}": JobFamily(f"f{i:03d}", f"Family {i}") for i in range(d.families)}
    tracks = {"ic": Track("ic", "IC"), "management": Track("management", "MANAGEMENT")}
    levels = {f"l{k}": Level(f"l{k}", k, f"Level {k}") for k in range(1, _LEVELS + 1)}
    role_ids = [_role_id(i) for i in range(d.roles)]
    roles: dict[str, Role] = {}
    cols, lvls, wts, ess = (d.req_col.tolist(), d.req_level.tolist(), d.req_weight.tolist(),
                            d.req_essential.tolist())
    for i, rid in enumerate(role_ids):
        lo, hi = int(d.req_ptr[i]), int(d.req_ptr[i + 1])
        reqs = sorted((Requirement(comp_ids[c], lv, w, e) for c, lv, w, e in
                       zip(cols[lo:hi], lvls[lo:hi], wts[lo:hi], ess[lo:hi])), key=lambda q: q.competency_id)
        k, f = int(d.role_level[i]), i % d.families
        roles[rid] = Role(rid, f"Role {i} (F{f} L{k})", f"f{f:03d}", "management" if d.role_manager[i] else "ic",
                          f"l{k}", "", tuple(reqs))
    moves = sorted([Move(role_ids[a], role_ids[b], MoveKind.PROGRESSES_TO) for a, b in d.progresses]
                   + [Move(role_ids[a], role_ids[b], MoveKind.CAN_MOVE_TO) for a, b in d.lateral],
                   key=lambda m: (m.kind.value, m.source, m.target))
    days = [today - dt.timedelta(days=n) for n in range(2000)]
    n_people = len(d.person_role)
    person_ids = [f"p{i:06d}" for i in range(n_people)]
    people = {pid: Person(pid, f"Person {i}", f"person{i}@example.org", role_ids[r], days[s],
                          person_ids[(i - 1) // 8] if i else None)
              for i, (pid, r, s) in enumerate(zip(person_ids, d.person_role.tolist(), d.person_since.tolist()))}
    sources = [Source(s) for s in _SOURCES]
    assessments = [Assessment(f"a{n:08d}", person_ids[p], comp_ids[c], lv, sources[s], days[a])
                   for n, (p, c, lv, s, a) in enumerate(zip(d.a_person.tolist(), d.a_col.tolist(), d.a_level.tolist(),
                                                            d.a_source.tolist(), d.a_days.tolist()))]
    if len(assessments) >= 10 ** 8:      # the ids stop sorting as numbers
        assessments.sort(key=lambda a: a.id)
    resources = {}
    for i in range(d.competencies * 2):
        rid = f"lr{i:05d}"
        resources[rid] = LearningResource(rid, f"Resource {i}", ResourceKind(_KINDS[i % 5]), float(d.res_hours[i]), "",
                                          (Development(comp_ids[i % d.competencies], int(d.res_from[i]),
                                                       int(d.res_to[i])),))
    framework = Framework(f"synthetic-{d.seed}", "Synthetic framework", "1", 365,
                          tuple(ScaleLevel(i, n, "") for i, n in enumerate(_SCALE, 1)))
    return Organisation(framework, competencies, indicators, families, tracks, levels, roles, tuple(moves), people,
                        tuple(assessments), resources)
