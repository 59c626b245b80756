"""From a new user's trial (issue 14): search by words, inferred moves on role pages, the people behind the
skills inventory's counts. Tiny organisation, numbers by hand (tests/graph/conftest.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graph.document import from_document
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access
from tests.graph.conftest import AS_OF, tiny_document

from .conftest import Api, settings, token


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    doc = tiny_document()
    doc["roles"].append({"id": "gamma-lead", "title": "Gamma", "family": "ops", "level": "l3",
                         "requires": [{"competency": "c", "level": 1}]})
    store = EmbeddedStore(tmp_path_factory.mktemp("trial") / "s.json", seed=False)
    store.replace(from_document(doc))
    base = settings()
    inferring = dataclasses.replace(base, thresholds=dataclasses.replace(base.thresholds, infer_moves_gap=5.0))
    with TestClient(create_app(inferring, store=store, today=lambda: AS_OF)) as c:
        yield Api(c, token("boss", Access.HR))


def test_search_ranks_by_words(api: Api) -> None:
    found = api.data('{ roles(search: "gamma") { nodes { id } } competencies(search: "gam") { nodes { id } } }')
    assert [r["id"] for r in found["roles"]["nodes"]] == ["gamma-lead"]       # the title, not the id's "lead"
    assert [c["id"] for c in found["competencies"]["nodes"]] == ["c"]        # "Gamma" begins with "gam"
    leads = api.data('{ roles(search: "lead") { nodes { id } } }')["roles"]["nodes"]
    assert [r["id"] for r in leads] == ["lead", "gamma-lead"]                  # title word first, then the id


def test_inferred_moves_on_role_pages(api: Api) -> None:
    # From Junior's requirements (a 2, b 1): Island (l2, d 1) is one level up with gap 1 < 5; Mid (l2) is
    # curated; Empty (l1, nothing required) gap 0 at the same level.
    moves = api.data('{ role(id: "junior") { inferredMovesTo { role { id } gap } movesTo { id } } }')["role"]
    assert moves["movesTo"] == [{"id": "mid"}]
    assert moves["inferredMovesTo"] == [{"role": {"id": "empty"}, "gap": 0.0}, {"role": {"id": "island"}, "gap": 1.0}]


def test_the_people_behind_the_inventory(api: Api) -> None:
    rows = api.data('{ skillsInventory { competency { id } holders { level count } peopleBelow } }')["skillsInventory"]
    a = next(r for r in rows if r["competency"]["id"] == "a")
    below = api.data('{ inventoryPeople(competency: "a", below: true) { totalCount nodes { id } } }')
    # a: Ana 3 (Mid asks 3: met), Ben 2 (Junior asks 2: met), Cy none (Mid asks 3: short)
    assert below["inventoryPeople"] == {"totalCount": a["peopleBelow"], "nodes": [{"id": "cy"}]}
    at2 = api.data('{ inventoryPeople(competency: "a", level: 2) { nodes { id } } }')["inventoryPeople"]["nodes"]
    assert at2 == [{"id": "ben"}] and next(h for h in a["holders"] if h["level"] == 2)["count"] == 1
    err = api.error('{ inventoryPeople(competency: "a") { totalCount } }')
    assert err["extensions"]["code"] == "BAD_INPUT"


def test_talent_pools_and_interests(api: Api, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Boss (HR here) nominates Ben for Mid; Ben says Mid interests him; the slate shows both beside readiness."""
    from server.auth import issue_token

    from .conftest import SECRET

    ben = Api(api.client, issue_token(SECRET, "ben", Access.EMPLOYEE))
    ana = Api(api.client, issue_token(SECRET, "ana", Access.MANAGER))
    assert ben.data('mutation { setInterest(personId: "ben", roleId: "mid") { interests { role { id } } } }')[
        "setInterest"]["interests"] == [{"role": {"id": "mid"}}]
    assert ben.error('mutation { setInterest(personId: "cy", roleId: "mid") { id } }')["extensions"]["code"] \
        == "FORBIDDEN"
    assert ben.error('mutation { nominate(roleId: "mid", personId: "ben") { gap } }')["extensions"]["code"] \
        == "FORBIDDEN"                                                        # nobody nominates themselves
    pool = ana.data('mutation { nominate(roleId: "mid", personId: "ben", note: "ran the migration") '
                    '{ person { id } nominatedBy { id } note gap readiness bucket interested } }')["nominate"]
    # Ben for Mid (a 3 ×2, b 2; total 8): a 2 → 2 short, b 0 → 2 short: gap 4, readiness 0.5
    assert pool == [{"person": {"id": "ben"}, "nominatedBy": {"id": "ana"}, "note": "ran the migration", "gap": 4.0,
                     "readiness": 0.5, "bucket": "READY_LATER", "interested": True}]
    again = ana.error('mutation { nominate(roleId: "mid", personId: "ben") { gap } }')
    assert again["extensions"]["code"] == "CONFLICT"
    cands = api.data('{ successors(role: "mid") { candidates { person { id } nominated interested } } }')
    assert {"person": {"id": "ben"}, "nominated": True, "interested": True} in cands["successors"]["candidates"]
    assert api.data('{ talentPool(role: "mid") { person { id } } }')["talentPool"] == [{"person": {"id": "ben"}}]
    assert ana.data('mutation { withdrawNomination(roleId: "mid", personId: "ben") { subject } }')[
        "withdrawNomination"]["subject"] == "Nomination:mid/ben"
    assert api.data('{ talentPool(role: "mid") { person { id } } }')["talentPool"] == []
    assert ben.data('mutation { setInterest(personId: "ben", roleId: "mid", interested: false) { interests '
                    '{ role { id } } } }')["setInterest"]["interests"] == []
