"""The generator's ``requirements`` option and the direct :func:`generate_organisation` (issue 15)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from graph.document import from_document
from graph.generate import generate, generate_organisation


def digest(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc).encode()).hexdigest()[:16]


def test_the_default_output_is_byte_identical_to_before_the_option() -> None:
    """Digests of the JSON taken before ``requirements`` existed: existing tests and benchmarks see the same data."""
    assert digest(generate()) == "a9559da0f40cfe66"
    assert digest(generate(2000, 200, 2000, seed=1)) == "3f053f4b52ed44c3"
    assert digest(generate(40, 25, 120, seed=3)) == "bc2932352c811291"
    assert generate(7, 3, 11, seed=99) == generate(7, 3, 11, seed=99, requirements=None)


def test_requirements_per_role_stay_within_a_quarter_of_the_asked_number() -> None:
    doc = generate(roles=400, competencies=200, people=0, seed=2, requirements=20)
    sizes = [len(r["requires"]) for r in doc["roles"]]
    assert min(sizes) >= 15 and max(sizes) <= 25           # 20 - 20 // 4 .. 20 + 20 // 4
    assert 19 <= sum(sizes) / len(sizes) <= 21
    for r in doc["roles"]:
        comps = [q["competency"] for q in r["requires"]]
        assert len(set(comps)) == len(comps)
        assert all(1 <= q["level"] <= 5 and q["weight"] in (0.5, 1.0, 1.5, 2.0) for q in r["requires"])


def test_requirements_are_capped_by_the_competencies() -> None:
    """5 competencies and 12 asked: every role requires all 5 (its own slice is the whole framework)."""
    doc = generate(roles=3, competencies=5, people=2, seed=0, requirements=12)
    assert [sorted(q["competency"] for q in r["requires"]) for r in doc["roles"]] == \
        [["c0000", "c0001", "c0002", "c0003", "c0004"]] * 3


def test_people_are_assessed_on_their_own_roles_requirements() -> None:
    doc = generate(roles=30, competencies=40, people=50, seed=4, requirements=10, assessments_per_person=4)
    roles = {r["id"]: {q["competency"] for q in r["requires"]} for r in doc["roles"]}
    role_of = {p["id"]: p["role"] for p in doc["people"]}
    per_person = Counter(a["person"] for a in doc["assessments"])
    assert set(per_person.values()) == {4}
    assert all(a["competency"] in roles[role_of[a["person"]]] for a in doc["assessments"])
    assert [a["id"] for a in doc["assessments"]][:2] == ["a00000000", "a00000001"]
    assert doc["people"][9]["manager"] == "p000001"        # (9 - 1) // 8


def test_promotions_climb_one_level_within_a_family() -> None:
    doc = generate(roles=120, competencies=60, people=0, seed=5, requirements=8)
    role = {r["id"]: r for r in doc["roles"]}
    assert doc["moves"]["progresses_to"]
    for a, b in doc["moves"]["progresses_to"]:
        assert role[a]["family"] == role[b]["family"]
        assert int(role[b]["level"][1:]) == int(role[a]["level"][1:]) + 1
    assert all(a != b for a, b in doc["moves"]["can_move_to"])


@pytest.mark.parametrize("seed", [0, 1, 17])
def test_the_direct_organisation_is_the_documents(seed: int) -> None:
    kw = dict(roles=25, competencies=30, people=40, seed=seed, requirements=9)
    assert generate_organisation(**kw) == from_document(generate(**kw))
    assert generate_organisation(roles=10, competencies=8, people=5, seed=seed) == \
        from_document(generate(roles=10, competencies=8, people=5, seed=seed))


def test_requirements_must_be_positive() -> None:
    with pytest.raises(ValueError):
        generate(requirements=0)
