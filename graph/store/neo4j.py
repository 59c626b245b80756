"""The Neo4j store: the store of record, through the official driver.

The whole graph is read back in one managed read transaction (routed to readers,
so a cluster works unchanged), big collections in chunks of lists, between two reads
of the store's version: Neo4j reads committed data query by query, so a read that a
write overlapped is made again (in the end under the store's lock); writes run in managed write transactions
with the driver's retries, in batches of ``UNWIND $rows``. All Cypher lives in
:mod:`graph.store.neo4j_queries`. Failures become :class:`~graph.errors.Unavailable`
within a bounded time (``timeout``), with a message that names the setting to check.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import Any

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable

from ..audit import AuditEntry
from ..changes import changed_parts
from ..document import indicator_order
from ..edits import Edit
from ..errors import BadInput, StaleVersion, TrellisError, Unavailable
from ..model import (
    Assessment, Category, Competency, Development, Evidence, Framework, Indicator, Interest, JobFamily,
    LearningResource, Level, Move, MoveKind, Nomination, Organisation, Person, Requirement, ResourceKind, Role,
    SavedPlan, SavedPlanItem, ScaleLevel, Source, Track, default_scale, no_gc, unchecked,
)
from ..progress import Progress
from . import neo4j_queries as q

__all__ = ["Neo4jStore"]

log = logging.getLogger("trellis.neo4j")

BATCH = 2000

READ_CHUNK = 20_000
"""Nodes (roles, people, assessments) per record when the whole graph is read back."""

OPTIMISTIC_READS = 3
"""Reads of the whole graph that may each be spoiled by a write committing meanwhile, before one is made
under the store's lock (which waits for the write in progress, and holds off the next ones until it is done)."""


def _chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jStore:
    """A store on a Neo4j server (``bolt://`` or ``neo4j://`` URI)."""

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j", timeout: float = 5.0,
                 read_chunk: int = READ_CHUNK) -> None:
        self.uri, self.user, self.database, self.timeout = uri, user, database, timeout
        self.read_chunk = read_chunk
        try:
            self._driver = GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=min(timeout, 5.0),
                connection_acquisition_timeout=timeout, max_transaction_retry_time=timeout,
                liveness_check_timeout=1.0, user_agent="trellis",
                notifications_min_severity="OFF")
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise BadInput(f"NEO4J_URI '{uri}' is not a Neo4j URI: {exc}") from None
        self._ready = False
        self._lock = threading.Lock()
        self._reading = threading.Lock()
        self._known: tuple[str, Organisation] | None = None
        """The last (version, organisation) this process read or wrote: no need to read it again."""

    # --- errors -------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except TrellisError:
            raise
        except AuthError:
            raise Unavailable(f"Neo4j at {self.uri} refused user '{self.user}': check NEO4J_USER and "
                              "NEO4J_PASSWORD.") from None
        except ClientError as exc:
            if "DatabaseNotFound" in (exc.code or ""):
                raise Unavailable(f"Neo4j at {self.uri} has no database '{self.database}': check "
                                  "NEO4J_DATABASE.") from None
            raise
        except (ServiceUnavailable, neo4j.exceptions.SessionExpired, neo4j.exceptions.TransientError,
                DriverError, OSError) as exc:
            raise Unavailable(f"The Neo4j store at {self.uri} is unavailable ({type(exc).__name__}); "
                              "check that it is running and NEO4J_URI.") from None
        except Neo4jError as exc:
            if exc.code and exc.code.startswith("Neo.TransientError"):
                raise Unavailable(f"The Neo4j store at {self.uri} is unavailable: {exc.message}") from None
            raise

    def _setup(self) -> None:
        """Constraints (and with them the id indexes) first, idempotently, once per process."""
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                for statement in q.CONSTRAINTS:
                    self._driver.execute_query(statement, database_=self.database)
                self._ready = True

    # --- the store contract -----------------------------------------------------------

    def version(self) -> str:
        with self._errors():
            records, _, _ = self._driver.execute_query(q.READ_VERSION, database_=self.database,
                                                       routing_=RoutingControl.READ)
        return str(records[0]["version"]) if records else "0"

    def healthy(self) -> bool:
        try:
            self.version()
            return True
        except Unavailable:
            return False

    def check(self) -> None:
        """Raise :class:`Unavailable` with a message naming the setting when the store is unusable."""
        with self._errors():
            self._driver.verify_connectivity()
            self._setup()
        self.version()

    def describe(self) -> str:
        return f"Neo4j at {self.uri}"

    def organisation(self) -> Organisation:
        known = self._known
        if known is not None and known[0] == self.version():
            return known[1]
        with self._reading:                 # one read at a time: a caller that waited gets what it read
            known = self._known
            if known is not None and known[0] == self.version():
                return known[1]
            with self._errors(), no_gc():
                version, org = self._read()
            self._known = (version, org)
        return org

    def _read(self) -> tuple[str, Organisation]:
        """The whole graph at one version: read optimistically, again if a write committed meanwhile, and
        in the end under the store's lock (so a store that is written without a pause is still read)."""
        for attempt in range(OPTIMISTIC_READS):
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                before, after, org = session.execute_read(_read_organisation, self.read_chunk)
            if before == after:
                return before, org
            log.info("The graph changed while it was read (version %s to %s): reading it again", before, after)
        with self._driver.session(database=self.database) as session:
            before, after, org = session.execute_write(_read_locked, self.read_chunk)
        return after, org

    def replace(self, org: Organisation, progress: Progress | None = None, batch: int = BATCH) -> None:
        """Make ``org`` the whole content, in batches: each batch is one transaction, every write is a
        MERGE on ids, so an import stopped midway leaves whole batches and running it again completes it."""
        with self._errors():
            self._setup()
            with self._driver.session(database=self.database) as session:
                for step, statements, rows in _import_plan(org):
                    done = 0
                    for chunk in _chunks(rows, batch):
                        session.execute_write(_write_batch, statements, chunk)
                        done += len(chunk)
                        if progress:
                            progress(step, done, len(rows))
                    if not rows and progress:
                        progress(step, 0, 0)
                version = session.execute_write(_delete_missing, org)
                if progress:
                    progress("cleanup", 1, 1)
        self._known = (version, org)

    def commit(self, edit: Edit, base_version: str, audit: AuditEntry) -> str:
        """One edit, one write transaction: only what changed is written, with its audit entry,
        unless the store changed since ``base_version`` (then CONFLICT). Answers the new version."""
        old = edit.base if edit.base is not None else self.organisation()
        plan = _edit_plan(old, edit.org)
        with self._errors():
            self._setup()
            with self._driver.session(database=self.database) as session:
                version = session.execute_write(_commit, base_version, plan, audit)
        self._known = (version, edit.org)
        return str(version)

    def audit_trail(self, subject: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[AuditEntry]]:
        """Newest first; ``subject`` filters by prefix (``Role:`` or ``Role:senior-engineer``)."""
        with self._errors():
            total, _, _ = self._driver.execute_query(q.COUNT_AUDIT, subject=subject, database_=self.database,
                                                     routing_=RoutingControl.READ)
            rows, _, _ = self._driver.execute_query(q.READ_AUDIT, subject=subject, limit=limit, offset=offset,
                                                    database_=self.database, routing_=RoutingControl.READ)
        return int(total[0]["total"]), [AuditEntry(**r.data()) for r in rows]

    def clear(self) -> None:
        """Delete everything, in batches (tests, and a replace that starts from nothing)."""
        with self._errors(), self._driver.session(database=self.database) as session:
            while session.execute_write(_delete_some, 10000):
                pass

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- transaction functions ---------------------------------------------------------


def _write_batch(tx: ManagedTransaction, statements: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    for statement in statements:
        tx.run(statement, rows=list(rows)).consume()
    tx.run(q.BUMP_VERSION).consume()


_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "requirements": lambda r: (r["role"], r["competency"]),
    "moves": lambda r: (r["source"], r["target"], r["kind"]),
    "nominations": lambda r: (r["person"], r["role"]),
    "interests": lambda r: (r["person"], r["role"]),
}
_PAIR_STEPS = {"nominations": "NOMINATED_FOR", "interests": "INTERESTED_IN"}
_NODE_STEPS = {"competencies": "Competency", "indicators": "Indicator", "families": "JobFamily", "tracks": "Track",
               "levels": "Level", "roles": "Role", "people": "Person", "assessments": "Assessment",
               "resources": "LearningResource", "plans": "Plan"}

EditPlan = tuple[list[tuple[list[str], list[dict[str, Any]]]], dict[str, list[Any]]]


def _row_id(row: dict[str, Any]) -> Any:
    return row["id"]


def _edit_plan(old: Organisation, new: Organisation) -> EditPlan:
    """What to write (changed rows, with what depends on them) and what to delete, to go from old to new."""
    old, new = changed_parts(old, new)
    before = {step: rows for step, _, rows in _import_plan(old)}
    writes: list[tuple[list[str], list[dict[str, Any]]]] = []
    removed: dict[str, list[Any]] = {}
    changed_roles: set[str] = set()
    changed_people: set[str] = set()
    for step, statements, rows in _import_plan(new):
        key = _KEYS.get(step, _row_id)
        old_rows = {key(r): r for r in before[step]}
        new_keys = {key(r) for r in rows}
        changed = [r for r in rows if old_rows.get(key(r)) != r
                   or (step in ("requirements",) and r["role"] in changed_roles)
                   or (step == "moves" and r["source"] in changed_roles)
                   or (step == "reporting lines" and r["id"] in changed_people)]
        if step == "roles":
            changed_roles = {r["id"] for r in changed}
        if step == "people":
            changed_people = {r["id"] for r in changed}
        if changed:
            writes.append((statements, changed))
        gone = [k for k in old_rows if k not in new_keys]
        if gone and step in _NODE_STEPS:
            removed[_NODE_STEPS[step]] = gone
        elif gone and step == "requirements":
            removed["requirements"] = [{"role": r, "competency": c} for r, c in gone]
        elif gone and step == "moves":
            removed["moves"] = [{"source": s, "target": t, "kind": k} for s, t, k in gone]
        elif gone and step in _PAIR_STEPS:
            removed[step] = [{"person": p, "role": r} for p, r in gone]
    return writes, removed


def _commit(tx: ManagedTransaction, base_version: str, plan: EditPlan, audit: AuditEntry) -> str:
    tx.run(q.LOCK_STORE).consume()                   # then the version read below is the last committed one
    record = tx.run(q.READ_VERSION).single()
    current = str(record["version"]) if record and record["version"] is not None else "0"
    if current != base_version:
        raise StaleVersion("The organisation changed while this edit was prepared; try again.")
    writes, removed = plan
    if "requirements" in removed:
        tx.run(q.DELETE_REQUIREMENTS, rows=removed["requirements"]).consume()
    if "moves" in removed:
        tx.run(q.DELETE_MOVES, rows=removed["moves"]).consume()
    for step, kind in _PAIR_STEPS.items():
        if step in removed:
            tx.run(q.DELETE_PAIRS[kind], rows=removed[step]).consume()
    for statements, rows in writes:
        for statement in statements:
            tx.run(statement, rows=rows).consume()
    for label, statement in q.DELETE_NODES.items():
        if label in removed:
            tx.run(statement, ids=removed[label]).consume()
    tx.run(q.DELETE_ORPHAN_EVIDENCE).consume()
    tx.run(q.CREATE_AUDIT, **audit.as_dict()).consume()
    return str(tx.run(q.BUMP_VERSION).single(strict=True)["version"])


def _read_locked(tx: ManagedTransaction, chunk: int) -> tuple[str, str, Organisation]:
    """The whole graph under the store's lock: every write transaction writes the meta node (edits first,
    import batches last), so none commits while this one holds it."""
    tx.run(q.LOCK_STORE).consume()
    return _read_organisation(tx, chunk)


def _delete_missing(tx: ManagedTransaction, org: Organisation) -> str:
    ids = {
        "Framework": [org.framework.id], "Competency": list(org.competencies),
        "Indicator": [i.id for i in org.indicators], "JobFamily": list(org.families), "Track": list(org.tracks),
        "Level": list(org.levels), "Role": list(org.roles), "Person": list(org.people),
        "Assessment": [a.id for a in org.assessments], "LearningResource": list(org.resources),
        "Plan": list(org.plans),
    }
    for label, statement in q.DELETE_MISSING.items():
        tx.run(statement, ids=ids[label]).consume()
    pairs = {"NOMINATED_FOR": [[n.person_id, n.role_id] for n in org.nominations],
             "INTERESTED_IN": [[i.person_id, i.role_id] for i in org.interests]}
    for kind, statement in q.DELETE_MISSING_PAIRS.items():
        tx.run(statement, pairs=pairs[kind]).consume()
    tx.run(q.DELETE_ORPHAN_EVIDENCE).consume()
    return str(tx.run(q.BUMP_VERSION).single(strict=True)["version"])


def _delete_some(tx: ManagedTransaction, limit: int) -> int:
    deleted = tx.run(q.DELETE_EVERYTHING_BATCH, limit=limit).single(strict=True)["deleted"]
    tx.run(q.BUMP_VERSION).consume()
    return int(deleted)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _import_plan(org: Organisation) -> list[tuple[str, list[str], list[dict[str, Any]]]]:
    """(step name, statements run per batch, rows) in dependency order, straight from the model."""
    fw = org.framework
    people = [{"id": p.id, "name": p.name, "email": p.email, "role": p.role_id, "since": _iso(p.since),
               "manager": p.manager_id} for p in org.people.values()]
    return [
        ("framework", [q.MERGE_FRAMEWORK], [{
            "id": fw.id, "name": fw.name, "version": fw.version, "validity_days": fw.validity_days,
            "scale_names": [s.name for s in fw.scale], "scale_descriptions": [s.description for s in fw.scale]}]),
        ("competencies", [q.MERGE_COMPETENCIES],
         [{"id": c.id, "name": c.name, "category": c.category.value, "description": c.description}
          for c in org.competencies.values()]),
        ("indicators", [q.MERGE_INDICATORS],
         [{"id": i.id, "competency": i.competency_id, "level": i.level, "text": i.text,
           "ord": int(i.id.rsplit("-", 1)[1])} for i in org.indicators]),
        ("families", [q.MERGE_FAMILIES], [{"id": f.id, "name": f.name} for f in org.families.values()]),
        ("tracks", [q.MERGE_TRACKS], [{"id": t.id, "name": t.name} for t in org.tracks.values()]),
        ("levels", [q.MERGE_LEVELS], [{"id": lv.id, "rank": lv.rank, "name": lv.name} for lv in org.levels.values()]),
        ("roles", [q.DETACH_ROLE_LINKS, q.MERGE_ROLES, q.LINK_ROLE_FAMILY, q.LINK_ROLE_TRACK, q.LINK_ROLE_LEVEL],
         [{"id": r.id, "title": r.title, "description": r.description, "family": r.family_id,
           "track": r.track_id, "level": r.level_id} for r in org.roles.values()]),
        ("requirements", [q.MERGE_REQUIREMENTS],
         [{"role": r.id, "ord": n, "competency": req.competency_id, "level": req.level, "weight": req.weight,
           "essential": req.essential} for r in org.roles.values() for n, req in enumerate(r.requirements)]),
        ("moves", [q.MERGE_MOVES], [{"source": m.source, "target": m.target, "kind": m.kind.value} for m in org.moves]),
        ("resources", [q.MERGE_RESOURCES],
         [{"id": r.id, "title": r.title, "kind": r.kind.value, "hours": r.hours, "url": r.url,
           "develops": [{"competency": d.competency_id, "from_level": d.from_level, "to_level": d.to_level, "ord": n}
                        for n, d in enumerate(r.develops)]} for r in org.resources.values()]),
        ("people", [q.MERGE_PEOPLE, q.LINK_PERSON_ROLE], people),
        ("reporting lines", [q.MERGE_REPORTING], [p for p in people if p["manager"]]),
        ("assessments", [q.MERGE_ASSESSMENTS],
         [{"id": a.id, "person": a.person_id, "competency": a.competency_id, "level": a.level,
           "source": a.source.value, "at": _iso(a.at), "note": a.note,
           "evidence": [{"id": f"{a.id}#{n}", "ord": n, "kind": e.kind, "note": e.note, "at": _iso(e.at)}
                        for n, e in enumerate(a.evidence)]} for a in org.assessments]),
        ("plans", [q.MERGE_PLANS],
         [{"id": sp.person_id, "person": sp.person_id, "role": sp.role_id, "saved": _iso(sp.saved),
           "items": [{"resource": i.resource_id, "competency": i.competency_id, "from_level": i.from_level,
                      "to_level": i.to_level, "done": _iso(i.done), "ord": n} for n, i in enumerate(sp.items)]}
          for sp in org.plans.values()]),
        ("nominations", [q.MERGE_NOMINATIONS],
         [{"role": n.role_id, "person": n.person_id, "by": n.by, "at": _iso(n.at), "note": n.note}
          for n in org.nominations]),
        ("interests", [q.MERGE_INTERESTS],
         [{"person": i.person_id, "role": i.role_id, "at": _iso(i.at)} for i in org.interests]),
    ]


def _rows(tx: ManagedTransaction, statement: str) -> list[dict[str, Any]]:
    result = tx.run(statement)
    keys = result.keys()
    return [dict(zip(keys, values)) for values in result.values()]


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _chunks_of(tx: ManagedTransaction, statement: str, chunk: int) -> Iterator[list[Any]]:
    """The values of each chunk's one record, chunk after chunk, until one comes back empty; ``after`` is the
    last id of the chunk before (the first value of its first column's last item, or that item itself)."""
    after = ""
    while True:
        values = tx.run(statement, after=after, limit=chunk).single(strict=True).values()
        first = values[0]
        if not first:
            return
        yield values
        last = first[-1]
        after = last[0] if isinstance(last, list) else last


def _version(tx: ManagedTransaction) -> str:
    record = tx.run(q.READ_VERSION).single()
    return str(record["version"]) if record and record["version"] is not None else "0"


_PERSON: Callable[..., Person] = unchecked(Person)
_ASSESSMENT: Callable[..., Assessment] = unchecked(Assessment)


def _person(id: str, name: str, email: str | None, role: str | None, since: str | None, manager: str | None,
            days: dict[str | None, dt.date | None]) -> Person:
    """``Person(...)`` without the frozen dataclass' ``__init__``:
    the values come from a graph that only valid people were written to."""
    return _PERSON(id, name, email or "", role,
                   days[since] if since in days else days.setdefault(since, _day(since)), manager)


def _read_organisation(tx: ManagedTransaction, chunk: int = READ_CHUNK) -> tuple[str, str, Organisation]:
    """(version before, version after, the whole graph): the two versions are equal when no write committed
    while it was read, and then the organisation is the graph at that version (Neo4j reads committed data,
    query by query, so one transaction alone is no snapshot).

    A few queries: the small collections as rows, roles (with their requirements), people and assessments
    in chunks of ``chunk`` as lists. The model is built directly: what was written passed the field rules,
    and the constraints keep ids unique, so nothing is checked again.
    """
    version = _version(tx)
    fws = _rows(tx, q.READ_FRAMEWORK)
    fw = fws[0] if fws else None
    scale = (tuple(ScaleLevel(i + 1, n, d or "") for i, (n, d) in enumerate(zip(fw["scale_names"],
                                                                               fw["scale_descriptions"])))
             if fw and fw["scale_names"] else default_scale())
    framework = (Framework(fw["id"], fw["name"], str(fw["version"]), int(fw["validity_days"]), scale) if fw
                 else Framework("framework", "Competency framework", scale=scale))
    indicators: list[Indicator] = []
    for (competency, level), rows in groupby(_rows(tx, q.READ_INDICATORS), key=lambda r: (r["competency"], r["level"])):
        indicators += [Indicator(f"{competency}-{level}-{n}", competency, level, r["text"])
                       for n, r in enumerate(rows, 1)]
    develops: dict[str, list[Development]] = defaultdict(list)
    for row in _rows(tx, q.READ_DEVELOPS):
        develops[row["resource"]].append(Development(row["competency"], row["from_level"], row["to_level"]))
    items: dict[str, list[SavedPlanItem]] = defaultdict(list)
    for row in _rows(tx, q.READ_PLAN_ITEMS):
        items[row["person"]].append(SavedPlanItem(row["resource"], row["competency"], row["from_level"],
                                                  row["to_level"], _day(row["done"])))
    competencies = {r["id"]: Competency(r["id"], r["name"], Category(r["category"]), r["description"] or "")
                    for r in _rows(tx, q.READ_COMPETENCIES)}
    simple = {key: _rows(tx, statement) for key, statement in q.READ_SIMPLE.items()}
    roles: dict[str, Role] = {}
    for (rows,) in _chunks_of(tx, q.READ_ROLES, chunk):
        for id, title, description, family, track, level, requires in rows:
            roles[id] = Role(id, title, family[0] if family else None, track[0] if track else None,
                             level[0] if level else None, description or "",
                             tuple(sorted((Requirement(c, lv, float(w), bool(e)) for c, lv, w, e in requires),
                                          key=_competency)))
    source, target, kind = tx.run(q.READ_MOVES).single(strict=True).values()
    kinds = {k.value: k for k in MoveKind}
    moves = tuple(Move(s, t, kinds[k]) for s, t, k in zip(source, target, kind))
    resources = {r["id"]: LearningResource(r["id"], r["title"], ResourceKind(r["kind"]), float(r["hours"]),
                                           r["url"] or "", tuple(develops.get(r["id"], ())))
                 for r in _rows(tx, q.READ_RESOURCES)}
    days: dict[str | None, dt.date | None] = {None: None, "": None}
    people: dict[str, Person] = {}
    for (rows,) in _chunks_of(tx, q.READ_PEOPLE, chunk):
        people.update((id, _person(id, name, email, role, since, manager, days))
                      for id, name, email, role, since, manager in rows)
    assessments = _read_assessments(tx, chunk, days)
    plans = {r["person"]: SavedPlan(r["person"], r["role"], dt.date.fromisoformat(r["saved"]),
                                    tuple(items.get(r["person"], ()))) for r in _rows(tx, q.READ_PLANS)}
    nominations = tuple(Nomination(r["role"], r["person"], r["by"], dt.date.fromisoformat(r["at"]), r["note"] or "")
                        for r in _rows(tx, q.READ_NOMINATIONS))
    interests = tuple(Interest(r["person"], r["role"], dt.date.fromisoformat(r["at"]))
                      for r in _rows(tx, q.READ_INTERESTS))
    org = Organisation(
        framework, competencies, tuple(sorted(indicators, key=indicator_order)),
        {r["id"]: JobFamily(r["id"], r["name"]) for r in simple["families"]},
        {r["id"]: Track(r["id"], r["name"]) for r in simple["tracks"]},
        {r["id"]: Level(r["id"], int(r["rank"]), r["name"]) for r in simple["levels"]},
        roles, moves, people, assessments, resources, plans, nominations, interests)
    return version, _version(tx), org


def _competency(requirement: Requirement) -> str:
    return requirement.competency_id


def _first(item: tuple[int, str, str, dt.date | None]) -> int:
    return item[0]


def _read_assessments(tx: ManagedTransaction, chunk: int,
                      days: dict[str | None, dt.date | None]) -> tuple[Assessment, ...]:
    sources = {s.value: s for s in Source}
    out: list[Assessment] = []
    append = out.append
    found: dict[str, list[tuple[int, str, str, dt.date | None]]] = defaultdict(list)
    for (rows,) in _chunks_of(tx, q.READ_EVIDENCE, chunk):
        for _, assessment, ord, kind, note, at in rows:
            found[assessment].append((ord or 0, kind, note or "", _day(at)))
    evidence = {id: tuple(Evidence(kind, note, at) for _, kind, note, at in sorted(items, key=_first))
                for id, items in found.items()}
    for ids, persons, competencies, levels, kinds, ats, notes in _chunks_of(tx, q.READ_ASSESSMENTS, chunk):
        if not len(ids) == len(persons) == len(competencies) == len(levels) == len(kinds) == len(ats):
            raise BadInput("An assessment in Neo4j has no level, source or date: it was not written by Trellis.")
        for id, person, competency, level, kind, at, note in zip(ids, persons, competencies, levels, kinds, ats,
                                                                 notes):
            append(_ASSESSMENT(id, person, competency, level, sources[kind],
                               days[at] if at in days else days.setdefault(at, _day(at)), note,
                               evidence.get(id, ()) if evidence else ()))
    return tuple(out)
