"""What an outside prober could learn from a signed-in employee's token: not which person ids exist (an unknown
id and someone else's answer alike) and not the org chart beyond their own reporting line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graph.seeds import sample_organisation
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access

from .conftest import Api, settings, token

PRIYA = "priya-raman"


@pytest.fixture(scope="module")
def priya(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    store = EmbeddedStore(tmp_path_factory.mktemp("privacy") / "s.json", seed=True)
    with TestClient(create_app(settings(), store=store)) as client:
        yield Api(client, token(PRIYA, Access.EMPLOYEE))


def _chain(person: str) -> list[str]:
    people, out = sample_organisation().people, []
    up = people[person].manager_id
    while up:
        out.append(up)
        up = people[up].manager_id
    return out


def test_an_unknown_id_and_someone_elses_answer_alike(priya: Api) -> None:
    other = priya.error('{ person(id: "chen-wei") { name } }')
    nobody = priya.error('{ person(id: "no-such-person") { name } }')
    assert other["extensions"]["code"] == nobody["extensions"]["code"] == "FORBIDDEN"
    assert other["message"].replace("chen-wei", "X") == nobody["message"].replace("no-such-person", "X")


def test_an_employee_sees_their_own_reporting_line_and_no_one_elses(priya: Api) -> None:
    query = ('{ person(id: "%s") { reports { id } manager { id reports { id } manager { id reports { id } '
             'manager { id reports { id } manager { id } } } } } }' % PRIYA)
    me = priya.data(query)["person"]
    seen, node = [], me["manager"]
    while node:
        seen.append(node["id"])
        assert node["reports"] == []                       # nobody's team but one's own
        node = node.get("manager")
    assert seen == _chain(PRIYA)[:4] and len(seen) >= 2    # Grace, then up to the top
    assert me["reports"] == []                             # Priya has no reports
