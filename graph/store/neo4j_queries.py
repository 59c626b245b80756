"""Every Cypher statement of the Neo4j store, named and parameterised.

Writes take ``$rows`` (a batch, sent with ``UNWIND``) and are idempotent (``MERGE``
on ids), so an import that stopped midway completes when run again. Every write
transaction also runs :data:`BUMP_VERSION`, so API processes rebuild their
projection when, and only when, the graph changed.
"""

from __future__ import annotations

LABELS = ("Framework", "Competency", "Indicator", "JobFamily", "Track", "Level", "Role", "Person",
          "Assessment", "Evidence", "LearningResource", "Plan", "TrellisMeta", "AuditEntry")

CONSTRAINTS = [f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
               for label in LABELS]

# --- version ---------------------------------------------------------------------

BUMP_VERSION = """
MERGE (m:TrellisMeta {id: 'store'})
SET m.version = coalesce(m.version, 0) + 1
RETURN m.version AS version
"""

READ_VERSION = "MATCH (m:TrellisMeta {id: 'store'}) RETURN m.version AS version"

LOCK_STORE = """
MERGE (m:TrellisMeta {id: 'store'})
SET m.locked = coalesce(m.locked, 0) + 1
"""
"""Taken first by every edit: the write lock on the store's one meta node, held to the commit, so edits are
checked against the version and written one after the other (a concurrent edit waits, then sees the new version)."""

# --- writes (batched) --------------------------------------------------------------

MERGE_FRAMEWORK = """
UNWIND $rows AS row
MERGE (f:Framework {id: row.id})
SET f.name = row.name, f.version = row.version, f.validity_days = row.validity_days,
    f.scale_names = row.scale_names, f.scale_descriptions = row.scale_descriptions
"""

MERGE_COMPETENCIES = """
UNWIND $rows AS row
MERGE (c:Competency {id: row.id})
SET c.name = row.name, c.category = row.category, c.description = row.description
"""

MERGE_INDICATORS = """
UNWIND $rows AS row
MATCH (c:Competency {id: row.competency})
MERGE (i:Indicator {id: row.id})
SET i.text = row.text, i.ord = row.ord
MERGE (c)-[h:HAS_INDICATOR]->(i)
SET h.level = row.level
"""

MERGE_FAMILIES = "UNWIND $rows AS row MERGE (n:JobFamily {id: row.id}) SET n.name = row.name"
MERGE_TRACKS = "UNWIND $rows AS row MERGE (n:Track {id: row.id}) SET n.name = row.name"
MERGE_LEVELS = "UNWIND $rows AS row MERGE (n:Level {id: row.id}) SET n.name = row.name, n.rank = row.rank"

DETACH_ROLE_LINKS = """
UNWIND $rows AS row
MATCH (r:Role {id: row.id})-[x:IN_FAMILY|ON_TRACK|AT_LEVEL|REQUIRES|PROGRESSES_TO|CAN_MOVE_TO]->()
DELETE x
"""

MERGE_ROLES = """
UNWIND $rows AS row
MERGE (r:Role {id: row.id})
SET r.title = row.title, r.description = row.description
"""

LINK_ROLE_FAMILY = """
UNWIND $rows AS row
MATCH (r:Role {id: row.id}), (f:JobFamily {id: row.family})
MERGE (r)-[:IN_FAMILY]->(f)
"""

LINK_ROLE_TRACK = """
UNWIND $rows AS row
MATCH (r:Role {id: row.id}), (t:Track {id: row.track})
MERGE (r)-[:ON_TRACK]->(t)
"""

LINK_ROLE_LEVEL = """
UNWIND $rows AS row
MATCH (r:Role {id: row.id}), (l:Level {id: row.level})
MERGE (r)-[:AT_LEVEL]->(l)
"""

MERGE_REQUIREMENTS = """
UNWIND $rows AS row
MATCH (r:Role {id: row.role}), (c:Competency {id: row.competency})
MERGE (r)-[q:REQUIRES]->(c)
SET q.level = row.level, q.weight = row.weight, q.essential = row.essential, q.ord = row.ord
"""

MERGE_MOVES = """
UNWIND $rows AS row
MATCH (a:Role {id: row.source}), (b:Role {id: row.target})
FOREACH (_ IN CASE WHEN row.kind = 'PROGRESSES_TO' THEN [1] ELSE [] END | MERGE (a)-[:PROGRESSES_TO]->(b))
FOREACH (_ IN CASE WHEN row.kind = 'CAN_MOVE_TO' THEN [1] ELSE [] END | MERGE (a)-[:CAN_MOVE_TO]->(b))
"""

MERGE_RESOURCES = """
UNWIND $rows AS row
MERGE (lr:LearningResource {id: row.id})
SET lr.title = row.title, lr.kind = row.kind, lr.hours = row.hours, lr.url = row.url
WITH lr, row
OPTIONAL MATCH (lr)-[old:DEVELOPS]->()
DELETE old
WITH DISTINCT lr, row
UNWIND row.develops AS d
MATCH (c:Competency {id: d.competency})
CREATE (lr)-[:DEVELOPS {from_level: d.from_level, to_level: d.to_level, ord: d.ord}]->(c)
"""

MERGE_PEOPLE = """
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
SET p.name = row.name, p.email = row.email
WITH p
OPTIONAL MATCH (p)-[old:HOLDS|REPORTS_TO]->()
DELETE old
"""

LINK_PERSON_ROLE = """
UNWIND $rows AS row
MATCH (p:Person {id: row.id}), (r:Role {id: row.role})
CREATE (p)-[:HOLDS {since: row.since}]->(r)
"""

MERGE_REPORTING = """
UNWIND $rows AS row
MATCH (p:Person {id: row.id}), (m:Person {id: row.manager})
MERGE (p)-[:REPORTS_TO]->(m)
"""

MERGE_ASSESSMENTS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (c:Competency {id: row.competency})
MERGE (a:Assessment {id: row.id})
SET a.level = row.level, a.source = row.source, a.at = row.at, a.note = row.note
MERGE (p)-[:ASSESSED]->(a)
MERGE (a)-[:OF]->(c)
WITH a, row
OPTIONAL MATCH (a)-[:EVIDENCED_BY]->(old:Evidence)
DETACH DELETE old
WITH DISTINCT a, row
UNWIND row.evidence AS e
CREATE (a)-[:EVIDENCED_BY]->(:Evidence {id: e.id, kind: e.kind, note: e.note, at: e.at, ord: e.ord})
"""

MERGE_PLANS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (r:Role {id: row.role})
MERGE (n:Plan {id: row.id})
SET n.saved = row.saved
WITH n, p, r, row
OPTIONAL MATCH (n)-[old:TARGETS|INCLUDES]->()
DELETE old
WITH DISTINCT n, p, r, row
MERGE (p)-[:HAS_PLAN]->(n)
CREATE (n)-[:TARGETS]->(r)
WITH n, row
UNWIND row.items AS i
MATCH (lr:LearningResource {id: i.resource})
CREATE (n)-[:INCLUDES {competency: i.competency, from_level: i.from_level, to_level: i.to_level, done: i.done,
                       ord: i.ord}]->(lr)
"""

MERGE_NOMINATIONS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (r:Role {id: row.role})
MERGE (p)-[n:NOMINATED_FOR]->(r)
SET n.by = row.by, n.at = row.at, n.note = row.note
"""

MERGE_INTERESTS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person}), (r:Role {id: row.role})
MERGE (p)-[i:INTERESTED_IN]->(r)
SET i.at = row.at
"""

DELETE_PAIRS = {
    kind: f"""
UNWIND $rows AS row
MATCH (:Person {{id: row.person}})-[x:{kind}]->(:Role {{id: row.role}})
DELETE x
""" for kind in ("NOMINATED_FOR", "INTERESTED_IN")
}

DELETE_MISSING_PAIRS = {
    kind: f"MATCH (p:Person)-[x:{kind}]->(r:Role) WHERE NOT [p.id, r.id] IN $pairs DELETE x"
    for kind in ("NOMINATED_FOR", "INTERESTED_IN")
}

DELETE_MISSING = {
    label: f"MATCH (n:{label}) WHERE NOT n.id IN $ids DETACH DELETE n"
    for label in ("Competency", "Indicator", "JobFamily", "Track", "Level", "Role", "Person", "Assessment",
                  "LearningResource", "Plan", "Framework")
}

DELETE_ORPHAN_EVIDENCE = "MATCH (e:Evidence) WHERE NOT (e)<-[:EVIDENCED_BY]-() DELETE e"

DELETE_EVERYTHING_BATCH = """
MATCH (n) WHERE NOT n:TrellisMeta
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
"""

# --- reads (a whole snapshot: see graph.store.neo4j._read_organisation) ----------------
# The big collections (roles with their requirements, people, assessments) are read in chunks of ``$limit``
# nodes after the id ``$after`` (keyset pagination on the id index), each chunk one record of lists: a
# record per row costs the driver and Python several times what its values do.

READ_FRAMEWORK = """
MATCH (f:Framework)
RETURN f.id AS id, f.name AS name, f.version AS version, f.validity_days AS validity_days,
       f.scale_names AS scale_names, f.scale_descriptions AS scale_descriptions
ORDER BY f.id LIMIT 1
"""

READ_COMPETENCIES = """
MATCH (c:Competency)
RETURN c.id AS id, c.name AS name, c.category AS category, c.description AS description
ORDER BY id
"""

READ_INDICATORS = """
MATCH (c:Competency)-[h:HAS_INDICATOR]->(i:Indicator)
RETURN c.id AS competency, h.level AS level, i.text AS text, i.ord AS ord
ORDER BY competency, level, ord
"""

READ_SIMPLE = {
    "families": "MATCH (n:JobFamily) RETURN n.id AS id, n.name AS name ORDER BY id",
    "tracks": "MATCH (n:Track) RETURN n.id AS id, n.name AS name ORDER BY id",
    "levels": "MATCH (n:Level) RETURN n.id AS id, n.name AS name, n.rank AS rank ORDER BY id",
}

READ_ROLES = """
MATCH (r:Role) WHERE r.id > $after
WITH r ORDER BY r.id LIMIT $limit
RETURN collect([r.id, r.title, r.description,
                COLLECT { MATCH (r)-[:IN_FAMILY]->(f:JobFamily) RETURN f.id },
                COLLECT { MATCH (r)-[:ON_TRACK]->(t:Track) RETURN t.id },
                COLLECT { MATCH (r)-[:AT_LEVEL]->(l:Level) RETURN l.id },
                [(r)-[q:REQUIRES]->(c:Competency) | [c.id, q.level, q.weight, q.essential]]]) AS rows
"""
"""One chunk of roles after ``$after`` in id order (the id index gives the order: no sort), each as
[id, title, description, [family], [track], [level], [[competency, level, weight, essential], ...]]."""

READ_MOVES = """
MATCH (a:Role)-[m:PROGRESSES_TO|CAN_MOVE_TO]->(b:Role)
WITH a.id AS source, b.id AS target, type(m) AS kind
ORDER BY kind, source, target
RETURN collect(source) AS source, collect(target) AS target, collect(kind) AS kind
"""

READ_PEOPLE = """
MATCH (p:Person) WHERE p.id > $after
WITH p ORDER BY p.id LIMIT $limit
OPTIONAL MATCH (p)-[h:HOLDS]->(r:Role)
OPTIONAL MATCH (p)-[:REPORTS_TO]->(m:Person)
RETURN collect([p.id, p.name, p.email, r.id, h.since, m.id]) AS rows
"""
"""One chunk of people after ``$after`` in id order, each as [id, name, email, role, since, manager]."""

READ_ASSESSMENTS = """
MATCH (p:Person)-[:ASSESSED]->(a:Assessment)-[:OF]->(c:Competency) WHERE a.id > $after
WITH p, a, c ORDER BY a.id LIMIT $limit
RETURN collect(a.id) AS id, collect(p.id) AS person, collect(c.id) AS competency, collect(a.level) AS level,
       collect(a.source) AS source, collect(a.at) AS at, collect(coalesce(a.note, '')) AS note
"""
"""One chunk of assessments after ``$after`` in id order, as parallel lists (no value is null: ``collect``
would drop it and shift the lists)."""

READ_EVIDENCE = """
MATCH (a:Assessment)-[:EVIDENCED_BY]->(e:Evidence) WHERE e.id > $after
WITH a, e ORDER BY e.id LIMIT $limit
RETURN collect([e.id, a.id, e.ord, e.kind, e.note, e.at]) AS rows
"""
"""One chunk of evidence after ``$after`` in id order (what few assessments have: not asked of every one)."""

READ_RESOURCES = """
MATCH (lr:LearningResource)
RETURN lr.id AS id, lr.title AS title, lr.kind AS kind, lr.hours AS hours, lr.url AS url
ORDER BY id
"""

READ_DEVELOPS = """
MATCH (lr:LearningResource)-[d:DEVELOPS]->(c:Competency)
RETURN lr.id AS resource, c.id AS competency, d.from_level AS from_level, d.to_level AS to_level, d.ord AS ord
ORDER BY resource, ord
"""

READ_PLANS = """
MATCH (p:Person)-[:HAS_PLAN]->(n:Plan)-[:TARGETS]->(r:Role)
RETURN p.id AS person, r.id AS role, n.saved AS saved
ORDER BY person
"""

READ_PLAN_ITEMS = """
MATCH (p:Person)-[:HAS_PLAN]->(:Plan)-[i:INCLUDES]->(lr:LearningResource)
RETURN p.id AS person, lr.id AS resource, i.competency AS competency, i.from_level AS from_level,
       i.to_level AS to_level, i.done AS done, i.ord AS ord
ORDER BY person, ord
"""

READ_NOMINATIONS = """
MATCH (p:Person)-[n:NOMINATED_FOR]->(r:Role)
RETURN r.id AS role, p.id AS person, n.by AS by, n.at AS at, n.note AS note
ORDER BY role, person
"""

READ_INTERESTS = """
MATCH (p:Person)-[i:INTERESTED_IN]->(r:Role)
RETURN p.id AS person, r.id AS role, i.at AS at
ORDER BY person, role
"""

# --- single edits (one transaction each) ------------------------------------------------

DELETE_NODES = {
    label: f"MATCH (n:{label}) WHERE n.id IN $ids DETACH DELETE n"
    for label in ("Competency", "Indicator", "JobFamily", "Track", "Level", "Role", "Person", "Assessment",
                  "LearningResource", "Plan")
}

DELETE_REQUIREMENTS = """
UNWIND $rows AS row
MATCH (:Role {id: row.role})-[q:REQUIRES]->(:Competency {id: row.competency})
DELETE q
"""

DELETE_MOVES = """
UNWIND $rows AS row
MATCH (:Role {id: row.source})-[m:PROGRESSES_TO|CAN_MOVE_TO]->(:Role {id: row.target})
WHERE type(m) = row.kind
DELETE m
"""

CREATE_AUDIT = """
CREATE (:AuditEntry {id: $id, at: $at, actor: $actor, access: $access, action: $action, subject: $subject,
                     before: $before, after: $after})
"""

READ_AUDIT = """
MATCH (e:AuditEntry)
WHERE $subject IS NULL OR e.subject STARTS WITH $subject
RETURN e.id AS id, e.at AS at, e.actor AS actor, e.access AS access, e.action AS action, e.subject AS subject,
       e.before AS before, e.after AS after
ORDER BY e.at DESC, e.id DESC
SKIP $offset LIMIT $limit
"""

COUNT_AUDIT = """
MATCH (e:AuditEntry)
WHERE $subject IS NULL OR e.subject STARTS WITH $subject
RETURN count(e) AS total
"""
