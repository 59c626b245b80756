"""Reading the whole graph back from Neo4j: in chunks, at one version, whatever writes happen meanwhile."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from graph import edits
from graph.audit import entry
from graph.document import to_document
from graph.generate import generate_organisation
from graph.model import Evidence, Organisation, Source
from graph.seeds import sample_organisation
from graph.store import neo4j as store_module
from graph.store import neo4j_queries as q
from graph.store.neo4j import OPTIMISTIC_READS, Neo4jStore
from tests.neo4j_server import Neo4jServer

DAY = dt.date(2026, 10, 1)


def with_evidence(org: Organisation) -> Organisation:
    """Some assessments with several pieces of evidence, some with notes: what the generator leaves out."""
    assessments = tuple(dataclasses.replace(a, note=f"note {n}" if n % 3 == 0 else "",
                                            evidence=tuple(Evidence(f"kind-{k}", f"seen {k}", DAY - dt.timedelta(k))
                                                           for k in range(n % 4)))
                        for n, a in enumerate(org.assessments))
    return dataclasses.replace(org, assessments=assessments)


ORGS = {
    "sample": sample_organisation(),
    "generated": with_evidence(generate_organisation(roles=40, competencies=25, people=120, seed=5, requirements=8)),
}


def document(org: Organisation) -> dict[str, Any]:
    """``to_document``, its lists of things with ids in id order (a store keeps no insertion order)."""
    doc = to_document(org)
    return {key: sorted(value, key=lambda item: item["id"])
            if isinstance(value, list) and value and isinstance(value[0], dict) and "id" in value[0] else value
            for key, value in doc.items()}


def open_neo4j(server: Neo4jServer, chunk: int = 7) -> Neo4jStore:
    return Neo4jStore(server.uri, "neo4j", server.password, read_chunk=chunk)


@pytest.fixture
def writer(neo4j_server: Neo4jServer) -> Iterator[Neo4jStore]:
    store = open_neo4j(neo4j_server)
    store.clear()
    yield store
    store.close()


@pytest.mark.parametrize("name", ORGS)
@pytest.mark.parametrize("chunk", [1, 7, 40, 10_000])
def test_what_is_read_back_is_what_was_written(writer: Neo4jStore, neo4j_server: Neo4jServer, name: str,
                                               chunk: int) -> None:
    """Chunks of one, of a few, of exactly the roles (40), and one chunk for everything."""
    org = ORGS[name]
    writer.replace(org)
    with open_neo4j(neo4j_server, chunk) as reader:       # another process: nothing known, all read
        back = reader.organisation()
    assert document(back) == document(org)
    assert back == org


def test_an_empty_graph_reads_back_empty(writer: Neo4jStore, neo4j_server: Neo4jServer) -> None:
    with open_neo4j(neo4j_server) as reader:
        back = reader.organisation()
    assert (back.roles, back.people, back.assessments, back.moves) == ({}, {}, (), ())


def edit_of(org: Organisation, n: int) -> edits.Edit:
    """Rename the first person (read in the first chunk: a read that went on would miss it) and record an
    assessment (read later: a read that went on would see it)."""
    first = org.people[min(org.people)]
    renamed = edits.update_person(org, first.id, f"Renamed {n}", first.email, first.role_id, first.since,
                                  first.manager_id).org
    both = edits.record_assessment(renamed, first.id, min(org.competencies), 1 + n % 5, Source.MANAGER, DAY)
    return dataclasses.replace(both, base=org)


def write_while_reading(monkeypatch: pytest.MonkeyPatch, writer: Neo4jStore, reads_spoiled: int) -> list[Organisation]:
    """Commit an edit between two chunks of people in each of the first ``reads_spoiled`` reads; the
    organisations written, in order."""
    written: list[Organisation] = [writer.organisation()]
    chunks_of = store_module._chunks_of
    reads = [0]

    def spoiled(tx: Any, statement: str, chunk: int) -> Iterator[list[Any]]:
        for n, values in enumerate(chunks_of(tx, statement, chunk)):
            yield values
            if statement == q.READ_PEOPLE and n == 0:
                reads[0] += 1
                if reads[0] <= reads_spoiled:
                    edit = edit_of(written[-1], reads[0])
                    writer.commit(edit, writer.version(), entry(edit, "test", "HR"))
                    written.append(edit.org)

    monkeypatch.setattr(store_module, "_chunks_of", spoiled)
    return written


def test_a_write_during_the_read_makes_it_read_again(writer: Neo4jStore, neo4j_server: Neo4jServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    writer.replace(ORGS["generated"])
    written = write_while_reading(monkeypatch, writer, reads_spoiled=1)
    with open_neo4j(neo4j_server) as reader:
        back = reader.organisation()
        assert reader.version() == writer.version()
    assert len(written) == 2, "the edit was committed in the middle of the read"
    assert document(back) == document(written[-1])


def test_a_graph_written_all_the_time_is_read_under_the_lock(writer: Neo4jStore, neo4j_server: Neo4jServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    writer.replace(ORGS["generated"])
    written = write_while_reading(monkeypatch, writer, reads_spoiled=OPTIMISTIC_READS)
    with open_neo4j(neo4j_server) as reader:
        back = reader.organisation()
        version = reader.version()
        assert reader.organisation() is back, "known at this version: not read again"
    assert len(written) == OPTIMISTIC_READS + 1
    assert document(back) == document(written[-1])
    assert version == writer.version()
