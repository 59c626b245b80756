"""Soak (issue 13): minutes of mixed reads and writes against the real server, on each store.

Why: the other benchmarks time one query at the engine. This one runs the whole server (uvicorn, Strawberry,
the store) for a long stretch under steady load. It looks for what only shows over time or under concurrency:
5xx answers, writes acknowledged and then lost (checked across a restart), memory that keeps growing, and
latency that drifts.

    .venv/bin/python bench/soak.py [--minutes 10] [--stores embedded,neo4j] [--concurrency 8] [--results]

For each store the script starts ``python -m server.cli serve`` on a free loopback port, on a fresh store with the
sample organisation (``TRELLIS_DATA=<tmp>/store.json TRELLIS_DEMO=1``). For ``neo4j`` it first starts a real
Neo4j 5.26 from ``ops/neo4j`` (``tests/neo4j_server.py``; build the jar first with
``make ops/neo4j/target/trellis-neo4j.jar``) and runs ``trellis seed``. Then, in order:

1. baseline: ``{ __typename }`` at the same concurrency for ``--baseline-seconds``. This is the floor of one
   GraphQL request through the same server (HTTP, auth, the per-request projection check);
2. soak: ``--concurrency`` asyncio clients (httpx2), each sending one request after another for ``--minutes``.
   About 80% are reads, taken from the site's own queries (site/js): closestRoles up and lateral, careerPath
   k=3, successors, teamHeatmap with topGaps, the person page and its standing, gap, developmentPlan,
   personTrend, talentPool. The other 20% are writes: recordAssessments check-ins with evidence (by the
   person's manager), createJobFamily (HR), setInterest (by the person), nominate (HR). Each request is signed
   with the token of the person the site would use. The identity of every acknowledged write is recorded
   (assessment ids, family ids, (person, role) pairs);
3. the baseline again, on the store the soak has grown;
4. every acknowledged write is read back through the API, on the live server and again after a restart
   (SIGTERM, start on the same store). Missing writes are counted.

The server's RSS (``/proc/<pid>/status`` VmRSS) is sampled at start, when the soak starts, every minute, at the
end, and after the restart. For Neo4j the JVM's RSS is sampled too. The run fails (exit 1) on any 5xx, any
transport error, any ``INTERNAL_SERVER_ERROR`` or any missing write. ``--results`` writes the tables into
bench/RESULTS.md, replacing this benchmark's previous section. Client and server share the machine. On a
2-core box the client takes part of the CPU, so compare the soak's throughput with the baseline from the
same run, not with absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.auth import Access, issue_token, load_secret  # noqa: E402
from bench.machine import machine, write_section  # noqa: E402
from tests.neo4j_server import Neo4jServer  # noqa: E402
from tests.trellis_server import TrellisServer  # noqa: E402

HR_PERSON = "margaret-okonkwo"      # Head of People in the sample organisation
SECTION = "## Soak (issue 13)"
LOGS = Path(tempfile.gettempdir()) / f"trellis-soak-{os.getpid()}"   # the servers' logs, kept
ALIASES = 25                        # per read-back query (the server allows 30)
FAILING_CODES = {"INTERNAL_SERVER_ERROR"}

# --- the site's queries (site/js) ------------------------------------------------------------------------

MATCH = ("fragment M on RoleMatch { role { id title level { rank name } track { id name } family { id name } } "
         "distance gap readiness verdict }")
CLOSEST = ("query Closest($p: ProfileInput!) { up: closestRoles(from: $p, direction: UP, limit: 5) { ...M } "
           "lateral: closestRoles(from: $p, direction: LATERAL, limit: 5) { ...M } } " + MATCH)
PATHS = """query Paths($p: ProfileInput!, $t: ID!, $k: Int!) {
  careerPath(from: $p, to: $t, k: $k) { totalGap directGap steps { gap role { id title level { rank name } track { id name } } } }
}"""
SUCCESSORS = """query Successors($role: ID!, $limit: Int!, $manager: ID) {
  successors(role: $role, limit: $limit, manager: $manager) {
    role { id title level { rank name } }
    benchStrength poolSize
    candidates { person { id name role { id title } } gap readiness bucket nominated interested }
  }
}"""
HEATMAP = """query Team($manager: ID!, $depth: Int) { teamHeatmap(manager: $manager, depth: $depth) {
    manager { id name role { id title } }
    people { id name role { id title } }
    competencies { id name category }
    cells { person { id } competency { id } required current deficit weight }
    topGaps { competency { id name } totalDeficit peopleBelow { id name } } } }"""
COMPETENCY = "id name category description"
PERSON_PAGE = f"""query PersonPage($id: ID!) {{
  person(id: $id) {{
    id name email since
    role {{ id title level {{ rank name }} requirements {{ level weight essential competency {{ {COMPETENCY} }} }} }}
    manager {{ id name }}
    reports {{ id name }}
    proficiencies {{ level source at evidence competency {{ {COMPETENCY} }} }}
    interests {{ role {{ id title level {{ rank name }} }} at }}
  }}
}}"""
STANDING = """query Standing($p: ProfileInput!, $role: ID!) {
  gap(from: $p, to: $role) {
    totalGap readiness verdict proofGaps
    items { competency { id name } required current deficit weight essential status evidence proofGap }
  }
  closestRoles(from: $p, limit: 3) { role { id title level { rank name } } gap readiness verdict }
}"""
GAP = """query Gap($p: ProfileInput!, $t: ID!) {
  gap(from: $p, to: $t) {
    role { id title level { rank name } }
    totalGap readiness verdict proofGaps
    items { competency { id name category indicators { level text } } required current deficit weight essential status evidence proofGap indicators { level text } }
  }
}"""
PLAN = """query Plan($p: ProfileInput!, $t: ID!) {
  developmentPlan(from: $p, to: $t) {
    totalHours
    items { resource { id title kind hours url } competency { id name } fromLevel toLevel indicators { level text } }
    uncovered { competency { id name } fromLevel toLevel }
  }
}"""
TREND = """query PersonTrend($id: ID!, $target: ID) {
  personTrend(personId: $id, target: $target) {
    target { id title level { rank name } }
    points { at gap readiness verdict }
    competencies { competency { id name category } required points { at level } }
  }
}"""
MEMBER = "person { id name role { id title } } nominatedBy { id name } at note gap readiness bucket interested"
POOL = f"query TalentPool($role: ID!, $manager: ID) {{ talentPool(role: $role, manager: $manager) {{ {MEMBER} }} }}"
RECORD = ("mutation RecordCheckIn($input: [AssessmentInput!]!) { recordAssessments(input: $input) { "
          "id level source at note evidence { kind note at } competency { id name } } }")
CREATE_FAMILY = "mutation CreateFamily($input: NamedInput!) { createJobFamily(input: $input) { id name } }"
INTERESTS = "interests { role { id title level { rank name } } at }"
SET_INTEREST = (f"mutation SetInterest($person: ID!, $role: ID!, $interested: Boolean!) {{ "
                f"setInterest(personId: $person, roleId: $role, interested: $interested) {{ id {INTERESTS} }} }}")
NOMINATE = (f"mutation Nominate($role: ID!, $person: ID!, $note: String) {{ "
            f"nominate(roleId: $role, personId: $person, note: $note) {{ {MEMBER} }} }}")
BASELINE = "{ __typename }"

READS = {"closestRoles": 20, "careerPath": 15, "successors": 10, "successors (team)": 5, "teamHeatmap": 10,
         "person page": 10, "standing": 10, "gap": 5, "developmentPlan": 5, "personTrend": 5, "talentPool": 5}
WRITES = {"recordAssessments": 50, "createJobFamily": 15, "setInterest": 15, "nominate": 20}


# --- processes ---------------------------------------------------------------------------------------------

def rss_kib(pid: int) -> int | None:
    """VmRSS of a process in KiB (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc/*/stat's parent ids)."""
    parents: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents[ppid].append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


# --- measuring -------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Sample:
    op: str
    kind: str          # "read", "write" or "baseline"
    t: float           # seconds since the phase started (when the answer arrived)
    ms: float
    status: str        # HTTP status, or "transport:<error>"
    codes: tuple[str, ...]
    ok: bool


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank, q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


class Client:
    """An httpx2 AsyncClient posting GraphQL with the site's Accept header; every answer becomes a Sample."""

    def __init__(self, url: str, concurrency: int) -> None:
        self.url = url + "/graphql"
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(120.0),
                                      limits=httpx.Limits(max_connections=concurrency,
                                                          max_keepalive_connections=concurrency))
        self.samples: list[Sample] = []
        self.t0 = time.perf_counter()

    async def close(self) -> None:
        await self.http.aclose()

    async def post(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
                   op: str = "", kind: str = "read") -> dict[str, Any] | None:
        """The data when the answer had no errors, else None (the Sample says why)."""
        headers = {"content-type": "application/json", "accept": "application/graphql-response+json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        start = time.perf_counter()
        data: dict[str, Any] | None = None
        codes: tuple[str, ...] = ()
        try:
            resp = await self.http.post(self.url, json={"query": query, "variables": variables or {}}, headers=headers)
            status = str(resp.status_code)
            try:
                body = resp.json()
            except ValueError:
                body = {}
                codes = ("NOT_JSON",)
            errors = body.get("errors") or []
            codes = codes or tuple(str((e.get("extensions") or {}).get("code", "NO_CODE")) for e in errors)
            if resp.status_code == 200 and not errors and isinstance(body.get("data"), dict):
                data = body["data"]
        except httpx.TransportError as exc:
            status = f"transport:{type(exc).__name__}"
        end = time.perf_counter()
        if op:
            self.samples.append(Sample(op, kind, end - self.t0, (end - start) * 1000, status, codes, data is not None))
        return data


@dataclasses.dataclass
class Org:
    """What the load is drawn from: the sample organisation as the API answers it."""
    max_level: int
    people: dict[str, dict[str, Any]]        # id -> {role, rank, manager, reports, competencies}
    roles: dict[str, int]                    # id -> level rank
    nominated: set[tuple[str, str]]          # (role, person) already in a talent pool


@dataclasses.dataclass
class Acked:
    """The identity of every acknowledged write."""
    assessments: dict[tuple[str, str], list[tuple[str, int, str]]] = dataclasses.field(
        default_factory=lambda: defaultdict(list))    # (person, competency) -> [(id, level, note)]
    families: set[str] = dataclasses.field(default_factory=set)
    interests: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    nominations: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    duplicate_ids: int = 0
    duplicates: list[str] = dataclasses.field(default_factory=list)    # a few examples, for the report

    def count(self) -> int:
        return (sum(len(v) for v in self.assessments.values()) + len(self.families) + len(self.interests)
                + len(self.nominations))


class Load:
    """The soak's request mix, with the tokens the site would use."""

    def __init__(self, org: Org, tokens: dict[tuple[str, Access], str], store: str, rng: random.Random) -> None:
        self.org, self.tokens, self.store, self.rng = org, tokens, store, rng
        self.acked = Acked()
        self.seen_ids: dict[str, str] = {}            # assessment id -> what the first acknowledgement said
        self.families = 0
        self.checkins = 0
        self.managed = [p for p, v in org.people.items() if v["manager"]]
        self.managers = [p for p, v in org.people.items() if v["reports"]]
        self.holders = [p for p, v in org.people.items() if v["role"]]

    def token(self, person: str, access: Access) -> str:
        return self.tokens[(person, access)]

    @property
    def hr(self) -> str:
        return self.token(HR_PERSON, Access.HR)

    def viewer_of(self, person: str) -> str:
        """The token of someone who may see the person's page: their manager, else HR."""
        manager = self.org.people[person]["manager"]
        return self.token(manager, Access.MANAGER) if manager else self.hr

    def target(self, person: str) -> str:
        """A role above the person's own (any other role when there is none)."""
        rank = self.org.people[person]["rank"]
        own = self.org.people[person]["role"]
        up = [r for r, k in self.org.roles.items() if k > rank and r != own]
        return self.rng.choice(up or [r for r in self.org.roles if r != own])

    async def read(self, c: Client) -> None:
        op = self.rng.choices(list(READS), weights=list(READS.values()))[0]
        rng, p = self.rng, self.rng.choice(self.holders)
        me = self.token(p, Access.EMPLOYEE)
        prof = {"personId": p}
        if op == "closestRoles":
            await c.post(CLOSEST, {"p": prof}, me, op)
        elif op == "careerPath":
            await c.post(PATHS, {"p": prof, "t": self.target(p), "k": 3}, me, op)
        elif op == "successors":
            await c.post(SUCCESSORS, {"role": rng.choice(list(self.org.roles)), "limit": 30, "manager": None},
                         self.hr, op)
        elif op == "successors (team)":
            m = rng.choice(self.managers)
            await c.post(SUCCESSORS, {"role": rng.choice(list(self.org.roles)), "limit": 30, "manager": m},
                         self.token(m, Access.MANAGER), op)
        elif op == "teamHeatmap":
            m = rng.choice(self.managers)
            await c.post(HEATMAP, {"manager": m, "depth": None}, self.token(m, Access.MANAGER), op)
        elif op == "person page":
            await c.post(PERSON_PAGE, {"id": p}, self.viewer_of(p), op)
        elif op == "standing":
            await c.post(STANDING, {"p": prof, "role": self.org.people[p]["role"]}, self.viewer_of(p), op)
        elif op == "gap":
            await c.post(GAP, {"p": prof, "t": self.target(p)}, me, op)
        elif op == "developmentPlan":
            await c.post(PLAN, {"p": prof, "t": self.target(p)}, me, op)
        elif op == "personTrend":
            await c.post(TREND, {"id": p, "target": None}, me, op)
        else:
            await c.post(POOL, {"role": rng.choice(list(self.org.roles)), "manager": None}, self.hr, op)

    async def write(self, c: Client) -> None:
        op = self.rng.choices(list(WRITES), weights=list(WRITES.values()))[0]
        rng = self.rng
        if op == "nominate":
            free = self._free_nomination()
            if free is None:
                op = "recordAssessments"
            else:
                role, person = free
                self.org.nominated.add(free)                 # claimed before it is sent: never nominated twice
                data = await c.post(NOMINATE, {"role": role, "person": person, "note": "soak: on the slate"},
                                    self.hr, op, "write")
                if data is not None:
                    self.acked.nominations.add(free)
                return
        if op == "recordAssessments":
            p = rng.choice(self.managed)
            comps = self.org.people[p]["competencies"]
            chosen = rng.sample(comps, k=min(len(comps), rng.randint(1, 3)))
            kind = rng.choice(["1-on-1", "feedback", "review"])
            self.checkins += 1
            items = [{"personId": p, "competencyId": comp, "level": rng.randint(1, self.org.max_level),
                      "source": "MANAGER", "note": f"soak check-in {self.checkins} item {n} ({self.store})",
                      "evidence": [{"kind": kind, "note": "observed in the soak"}]} for n, comp in enumerate(chosen)]
            data = await c.post(RECORD, {"input": items}, self.token(self.org.people[p]["manager"], Access.MANAGER),
                                op, "write")
            if data is not None:
                for rec in data["recordAssessments"]:
                    said = f"{p}/{rec['competency']['id']} level {rec['level']} note {rec['note']!r}"
                    if rec["id"] in self.seen_ids:
                        self.acked.duplicate_ids += 1
                        if len(self.acked.duplicates) < 3:
                            self.acked.duplicates.append(f"{rec['id']}: {self.seen_ids[rec['id']]} and then {said}")
                    self.seen_ids.setdefault(rec["id"], said)
                    self.acked.assessments[(p, rec["competency"]["id"])].append((rec["id"], rec["level"], rec["note"]))
        elif op == "createJobFamily":
            self.families += 1
            fid = f"soak-{self.store}-{self.families:05d}"
            data = await c.post(CREATE_FAMILY, {"input": {"id": fid, "name": f"Soak family {self.families}"}},
                                self.hr, op, "write")
            if data is not None:
                self.acked.families.add(data["createJobFamily"]["id"])
        else:
            p = rng.choice(self.holders)
            role = self.target(p)
            data = await c.post(SET_INTEREST, {"person": p, "role": role, "interested": True},
                                self.token(p, Access.EMPLOYEE), op, "write")
            if data is not None:
                self.acked.interests.add((p, role))

    def _free_nomination(self) -> tuple[str, str] | None:
        for _ in range(50):
            p = self.rng.choice(self.holders)
            pair = (self.target(p), p)
            if pair not in self.org.nominated:
                return pair
        return None


async def run_for(seconds: float, concurrency: int, step: Any) -> None:
    """``concurrency`` workers, each awaiting ``step()`` again and again until ``seconds`` have passed."""
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            await step()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


# --- one store ---------------------------------------------------------------------------------------------

def chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


async def load_org(c: Client, hr: str) -> Org:
    data = await c.post("""{ framework { scale { level } } roles(first: 100) { totalCount nodes { id level { rank } } }
      people(first: 100) { totalCount nodes { id role { id level { rank } requirements { competency { id } } }
        manager { id } reports { id } } } }""", token=hr)
    assert data, "could not read the organisation"
    assert data["people"]["totalCount"] <= 100 and data["roles"]["totalCount"] <= 100, "expected the sample organisation"
    roles = {r["id"]: (r["level"] or {}).get("rank", 0) for r in data["roles"]["nodes"]}
    people = {}
    for n in data["people"]["nodes"]:
        role = n["role"]
        people[n["id"]] = {"role": role["id"] if role else None,
                           "rank": (role["level"] or {}).get("rank", 0) if role else 0,
                           "manager": (n["manager"] or {}).get("id"), "reports": [r["id"] for r in n["reports"]],
                           "competencies": [q["competency"]["id"] for q in role["requirements"]] if role else []}
    nominated: set[tuple[str, str]] = set()
    for part in chunks(sorted(roles), ALIASES):
        q = "{ " + " ".join(f"r{i}: talentPool(role: {json.dumps(r)}) {{ person {{ id }} }}" for i, r in enumerate(part)) + " }"
        got = await c.post(q, token=hr)
        assert got is not None, "could not read the talent pools"
        nominated |= {(r, m["person"]["id"]) for i, r in enumerate(part) for m in got[f"r{i}"]}
    return Org(max(s["level"] for s in data["framework"]["scale"]), people, roles, nominated)


async def verify(c: Client, hr: str, acked: Acked) -> dict[str, int]:
    """How many acknowledged writes the server does not answer with now (per kind; ``unverifiable``: more
    than 100 assessments of one person and competency, beyond what one answer lists)."""
    missing: Counter[str] = Counter()
    data = await c.post("{ jobFamilies { id } }", token=hr)
    assert data is not None, "could not read the job families back"
    missing["createJobFamily"] = len(acked.families - {f["id"] for f in data["jobFamilies"]})

    roles = sorted({r for r, _ in acked.nominations})
    for part in chunks(roles, ALIASES):
        q = "{ " + " ".join(f"r{i}: talentPool(role: {json.dumps(r)}) {{ person {{ id }} }}" for i, r in enumerate(part)) + " }"
        got = await c.post(q, token=hr)
        assert got is not None, "could not read the talent pools back"
        have = {(r, m["person"]["id"]) for i, r in enumerate(part) for m in got[f"r{i}"]}
        missing["nominate"] += len({n for n in acked.nominations if n[0] in part} - have)

    people = sorted({p for p, _ in acked.interests})
    for part in chunks(people, ALIASES):
        q = "{ " + " ".join(f"p{i}: person(id: {json.dumps(p)}) {{ interests {{ role {{ id }} }} }}"
                            for i, p in enumerate(part)) + " }"
        got = await c.post(q, token=hr)
        assert got is not None, "could not read the interests back"
        have = {(p, i["role"]["id"]) for n, p in enumerate(part) for i in got[f"p{n}"]["interests"]}
        missing["setInterest"] += len({x for x in acked.interests if x[0] in part} - have)

    pairs = sorted(acked.assessments)
    for part in chunks(pairs, ALIASES):
        q = "{ " + " ".join(f"a{i}: person(id: {json.dumps(p)}) {{ assessments(competency: {json.dumps(k)}, first: 100) "
                            "{ id level note } }" for i, (p, k) in enumerate(part)) + " }"
        got = await c.post(q, token=hr)
        assert got is not None, "could not read the assessments back"
        for i, pair in enumerate(part):
            found = got[f"a{i}"]["assessments"]
            stored = {(a["id"], a["level"], a["note"]) for a in found}    # the same id with other content is lost
            lost = sum(1 for rec in acked.assessments[pair] if rec not in stored)
            if lost and len(found) >= 100:
                missing["unverifiable"] += lost
            else:
                missing["recordAssessments"] += lost
    return dict(missing)


@dataclasses.dataclass
class StoreRun:
    store: str
    minutes: float
    samples: list[Sample]
    baseline_before: list[Sample]
    baseline_after: list[Sample]
    rss: list[tuple[str, int]]                   # (when, KiB)
    jvm_rss: list[tuple[str, int]]
    acked: Acked
    missing_live: dict[str, int]
    missing_restart: dict[str, int]
    exit_code: int | None
    graceful: bool
    log: Path

    def reads(self) -> list[float]:
        return [s.ms for s in self.samples if s.kind == "read"]

    def writes(self) -> list[float]:
        return [s.ms for s in self.samples if s.kind == "write"]

    def statuses(self) -> Counter[str]:
        return Counter(s.status for s in self.samples)

    def codes(self) -> Counter[str]:
        return Counter(code for s in self.samples for code in s.codes)

    def five_xx(self) -> int:
        return sum(1 for s in self.samples + self.baseline_before + self.baseline_after
                   if s.status.startswith("5") or s.status.startswith("transport"))

    def failures(self) -> list[str]:
        out = []
        if self.five_xx():
            out.append(f"{self.five_xx()} answers with a 5xx status or no answer at all")
        bad = {c: n for c, n in self.codes().items() if c in FAILING_CODES}
        if bad:
            out.append(f"GraphQL errors {bad}")
        for when, missing in (("live", self.missing_live), ("after restart", self.missing_restart)):
            if sum(missing.values()):
                out.append(f"missing writes {when}: {missing}")
        if not self.graceful:
            out.append("no clean shutdown in the server log on SIGTERM")
        if self.acked.duplicate_ids:
            out.append(f"{self.acked.duplicate_ids} assessment ids acknowledged twice")
        return out


async def baseline(c: Client, seconds: float, concurrency: int, label: str) -> list[Sample]:
    before = len(c.samples)
    c.t0 = time.perf_counter()

    async def step() -> None:
        await c.post(BASELINE, op=label, kind="baseline")

    await run_for(seconds, concurrency, step)
    out = c.samples[before:]
    del c.samples[before:]
    return out


async def soak_store(server: TrellisServer, store: str, args: argparse.Namespace, jvm: int | None) -> StoreRun:
    rng = random.Random(args.seed)
    rss: list[tuple[str, int]] = []
    jvm_rss: list[tuple[str, int]] = []

    def sample_rss(when: str) -> None:
        if (kib := rss_kib(server.pid)) is not None:
            rss.append((when, kib))
        if jvm and (kib := rss_kib(jvm)) is not None:
            jvm_rss.append((when, kib))

    sample_rss("started")
    secret = load_secret("", server.folder)
    c = Client(server.url, args.concurrency)
    try:
        hr = issue_token(secret, HR_PERSON, Access.HR)
        org = await load_org(c, hr)
        tokens = {(HR_PERSON, Access.HR): hr}
        for pid, person in org.people.items():
            tokens[(pid, Access.EMPLOYEE)] = issue_token(secret, pid, Access.EMPLOYEE)
            if person["reports"]:
                tokens[(pid, Access.MANAGER)] = issue_token(secret, pid, Access.MANAGER)
        load = Load(org, tokens, store, rng)
        print(f"[{store}] {len(org.people)} people, {len(org.roles)} roles, {len(org.nominated)} nominations; "
              f"baseline {args.baseline_seconds:g} s", flush=True)
        before = await baseline(c, args.baseline_seconds, args.concurrency, "baseline before")
        sample_rss("soak start")

        c.samples.clear()
        c.t0 = time.perf_counter()
        seconds = args.minutes * 60

        async def step() -> None:
            await (load.write(c) if rng.random() < args.write_share else load.read(c))

        async def monitor() -> None:
            minute = 0
            while (minute + 1) * 60 < seconds:
                await asyncio.sleep(c.t0 + (minute + 1) * 60 - time.perf_counter())
                minute += 1
                sample_rss(f"minute {minute}")
                done = c.samples
                print(f"[{store}] minute {minute}: {len(done)} requests, {sum(not s.ok for s in done)} errors, "
                      f"RSS {rss[-1][1] / 1024:.0f} MiB", flush=True)

        mon = asyncio.create_task(monitor())
        await run_for(seconds, args.concurrency, step)
        mon.cancel()
        sample_rss("soak end")
        samples = list(c.samples)
        print(f"[{store}] soak done: {len(samples)} requests; baseline again, then reading back "
              f"{load.acked.count()} writes", flush=True)
        after = await baseline(c, args.baseline_seconds, args.concurrency, "baseline after")
        missing_live = await verify(c, hr, load.acked)
    finally:
        await c.close()

    exit_code = server.stop()
    graceful = "Application shutdown complete" in server.log.read_text(errors="replace")
    server.start(timeout=120)
    c = Client(server.url, args.concurrency)
    try:
        missing_restart = await verify(c, hr, load.acked)
    finally:
        await c.close()
    sample_rss("after restart + read-back")
    return StoreRun(store, args.minutes, samples, before, after, rss, jvm_rss, load.acked, missing_live,
                    missing_restart, exit_code, graceful, LOGS / f"{store}-server.log")


def run_store(store: str, args: argparse.Namespace) -> StoreRun:
    with tempfile.TemporaryDirectory(prefix=f"soak-{store}-") as tmp:
        folder = Path(tmp)
        neo4j = Neo4jServer(folder / "neo4j") if store == "neo4j" else None
        server = TrellisServer(folder, neo4j_uri=neo4j.uri if neo4j else None,
                               neo4j_password=neo4j.password if neo4j else None)
        try:
            jvm = None
            if neo4j:
                print("[neo4j] starting Neo4j", flush=True)
                neo4j.start()
                assert neo4j.proc is not None
                java = [p for p in [neo4j.proc.pid, *descendants(neo4j.proc.pid)]
                        if "java" in Path(f"/proc/{p}/comm").read_text()]
                jvm = java[0] if java else None
                server.cli("seed")
            server.start(timeout=120)
            return asyncio.run(soak_store(server, store, args, jvm))
        finally:
            server.stop()
            if neo4j:
                neo4j.stop()
            keep = LOGS / f"{store}-server.log"             # outside the repository, kept for a post-mortem
            keep.parent.mkdir(parents=True, exist_ok=True)
            if server.log.exists():
                keep.write_bytes(server.log.read_bytes())


# --- reporting -----------------------------------------------------------------------------------------------

def ms3(values: list[float]) -> str:
    return " / ".join(f"{pct(values, q):.1f}" for q in (50, 95, 99)) if values else "–"


def rate(samples: list[Sample]) -> float:
    return len(samples) / max(max((s.t for s in samples), default=0), 1e-9)


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def fmt_counter(counter: Counter[str] | dict[str, int]) -> str:
    items = [(k, v) for k, v in sorted(counter.items()) if v]
    return ", ".join(f"{k} {v:,}" for k, v in items) or "none"


def summary_table(runs: list[StoreRun]) -> str:
    names = [r.store for r in runs]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, values: Iterable[str]) -> None:
        rows.append((label, list(values)))

    row("minutes", (f"{r.minutes:g}" for r in runs))
    row("requests (reads + writes)", (f"{len(r.samples):,} ({sum(s.kind == 'read' for s in r.samples):,} + "
                                      f"{sum(s.kind == 'write' for s in r.samples):,})" for r in runs))
    row("throughput req/s", (f"{rate(r.samples):.1f}" for r in runs))
    row("baseline `{__typename}` req/s before / after", (f"{rate(r.baseline_before):.0f} / {rate(r.baseline_after):.0f}"
                                                        for r in runs))
    row("soak ÷ baseline (before) throughput", (f"{rate(r.samples) / max(rate(r.baseline_before), 1e-9):.2f}"
                                               for r in runs))
    row("baseline ms p50 / p95 / p99 (before)", (ms3([s.ms for s in r.baseline_before]) for r in runs))
    row("baseline ms p50 / p95 / p99 (after)", (ms3([s.ms for s in r.baseline_after]) for r in runs))
    row("read ms p50 / p95 / p99", (ms3(r.reads()) for r in runs))
    row("write ms p50 / p95 / p99", (ms3(r.writes()) for r in runs))
    row("HTTP statuses", (fmt_counter(r.statuses()) for r in runs))
    row("GraphQL error codes", (fmt_counter(r.codes()) for r in runs))
    row("5xx or no answer (must be 0)", (str(r.five_xx()) for r in runs))
    row("server RSS MiB: start → soak start → end", (
        f"{mib(dict(r.rss)['started'])} → {mib(dict(r.rss)['soak start'])} → {mib(dict(r.rss)['soak end'])}"
        for r in runs))
    row("RSS growth during the soak MiB (last half)", (
        f"{(dict(r.rss)['soak end'] - dict(r.rss)['soak start']) / 1024:+.0f} ({half_growth(r.rss) / 1024:+.0f})"
        for r in runs))
    row("RSS after restart + read-back MiB", (mib(dict(r.rss).get("after restart + read-back", 0)) for r in runs))
    row("Neo4j JVM RSS MiB: soak start → end", (
        f"{mib(dict(r.jvm_rss)['soak start'])} → {mib(dict(r.jvm_rss)['soak end'])}" if r.jvm_rss else "–"
        for r in runs))
    row("acknowledged writes", (f"{r.acked.count():,} ({sum(len(v) for v in r.acked.assessments.values()):,} "
                                f"assessments, {len(r.acked.families)} families, {len(r.acked.interests)} interests, "
                                f"{len(r.acked.nominations)} nominations)" for r in runs))
    row("missing live / after restart (must be 0)", (f"{sum(r.missing_live.values())} / "
                                                    f"{sum(r.missing_restart.values())}" for r in runs))
    row("restart: SIGTERM exit code, clean shutdown logged", (f"{r.exit_code}, {'yes' if r.graceful else '**no**'}"
                                                              for r in runs))
    out = ["| | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    out += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(out)


def half_growth(rss: list[tuple[str, int]]) -> int:
    """RSS growth over the second half of the soak (from the minute sample nearest the middle to the end)."""
    soak = [(w, k) for w, k in rss if w == "soak start" or w.startswith("minute") or w == "soak end"]
    if len(soak) < 2:
        return 0
    mid = soak[(len(soak) - 1) // 2]
    return soak[-1][1] - mid[1]


def ops_table(runs: list[StoreRun]) -> str:
    ops = list(READS) + list(WRITES)
    head = "| operation | " + " | ".join(f"{r.store} n | {r.store} ms p50 / p95 / p99 | {r.store} errors"
                                          for r in runs) + " |"
    out = [head, "| --- |" + " ---: | ---: | ---: |" * len(runs)]
    for op in ops:
        cells = []
        for r in runs:
            mine = [s for s in r.samples if s.op == op]
            errs = Counter(code for s in mine if not s.ok for code in (s.codes or (s.status,)))
            cells.append(f"{len(mine):,} | {ms3([s.ms for s in mine])} | {fmt_counter(errs) if errs else 0}")
        kind = "write" if op in WRITES else "read"
        out.append(f"| {op} ({kind}) | " + " | ".join(cells) + " |")
    return "\n".join(out)


def timeline_table(runs: list[StoreRun]) -> str:
    out = ["| store | minute | requests | errors | read p95 ms | write p95 ms | server RSS MiB | JVM RSS MiB |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in runs:
        rss, jvm = dict(r.rss), dict(r.jvm_rss)
        minutes = max(1, int(-(-r.minutes // 1)))
        for m in range(minutes):
            mine = [s for s in r.samples if m * 60 <= s.t < (m + 1) * 60]
            when = f"minute {m + 1}" if f"minute {m + 1}" in rss else "soak end"
            out.append(f"| {r.store} | {m + 1} | {len(mine):,} | {sum(not s.ok for s in mine)} | "
                       f"{pct([s.ms for s in mine if s.kind == 'read'], 95):.1f} | "
                       f"{pct([s.ms for s in mine if s.kind == 'write'], 95):.1f} | "
                       f"{mib(rss[when]) if when in rss else '–'} | {mib(jvm[when]) if when in jvm else '–'} |")
    return "\n".join(out)


PACKAGES = ["strawberry-graphql", "starlette", "uvicorn", "neo4j", "httpx2"]
NEO4J = "Neo4j 5.26.30 (ops/neo4j, heap -Xmx768m)"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def write_results(text: str) -> None:
    write_section(SECTION.removeprefix("## "), text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="soak length per store (default 10)")
    ap.add_argument("--stores", default="embedded,neo4j", help="comma-separated: embedded, neo4j")
    ap.add_argument("--concurrency", type=int, default=8, help="clients sending at once (default 8)")
    ap.add_argument("--write-share", type=float, default=0.2, help="share of writes (default 0.2)")
    ap.add_argument("--baseline-seconds", type=float, default=20.0, help="each baseline phase (default 20)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--results", action="store_true", help="write the tables into bench/RESULTS.md")
    args = ap.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    if not stores or set(stores) - {"embedded", "neo4j"}:
        ap.error("--stores: embedded and/or neo4j")

    def terminated(signum: int, frame: Any) -> None:
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, terminated)
    started, load_start = dt.datetime.now(), load_average()
    runs = []
    for store in stores:
        run = run_store(store, args)
        runs.append(run)
        print(f"[{store}] done: {len(run.samples):,} requests, failures: {run.failures() or 'none'}", flush=True)
    load_end = load_average()
    summary, ops, timeline = summary_table(runs), ops_table(runs), timeline_table(runs)
    print()
    print(summary)
    print()
    print(ops)
    print()
    print(timeline)
    failures = [f"{r.store}: {f}" for r in runs for f in r.failures()]
    missing_detail = "; ".join(f"{r.store} live {fmt_counter(r.missing_live)}, after restart "
                               f"{fmt_counter(r.missing_restart)}" for r in runs)
    print()
    print("missing by kind: " + missing_detail)
    for r in runs:
        for example in r.acked.duplicates:
            print(f"{r.store}: the same assessment id acknowledged twice: {example}")
    print(f"servers' logs: {LOGS}")
    print("FAILED: " + "; ".join(failures) if failures else "OK: no 5xx, no lost write")
    if args.results:
        cmd = "`.venv/bin/python bench/soak.py " + " ".join(sys.argv[1:]) + "`"
        write_results(
            f"Command: {cmd}. Machine: {machine(PACKAGES, NEO4J)}. {started:%Y-%m-%d}, started {started:%H:%M}; load average "
            f"(1/5/15 min) {load_start} at the start and {load_end} at the end. The machine was shared with other "
            f"work during the run, and the client runs on the same 2 cores as the server (and Neo4j), so read "
            f"throughput against the `{{__typename}}` baseline measured on the same server in the same run.\n\n"
            f"Each store: a fresh sample organisation, {args.concurrency} concurrent asyncio clients (httpx2, "
            f"keep-alive), {1 - args.write_share:.0%} reads / {args.write_share:.0%} writes, each request signed "
            f"as the person the site would use (the person, their manager, or HR). Latency is measured at the "
            f"client, from sending to the whole answer. \"5xx or no answer\" counts 5xx statuses and transport "
            f"errors over the soak and both baselines. Writes are read back through the API on the live server and "
            f"again after a restart (SIGTERM, then start on the same store).\n\n"
            f"{summary}\n\nPer operation (the site's queries from site/js; ms at the client):\n\n{ops}\n\n"
            f"Per minute:\n\n{timeline}\n\n"
            f"Missing by kind: {missing_detail}. Outcome: "
            + ("**failed**: " + "; ".join(failures) if failures else "no 5xx, no lost write") + ".\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
