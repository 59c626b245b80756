"""The sample organisation is what every demo uses: it must meet the bar of issue 2."""

from __future__ import annotations

from collections import Counter

from graph.generate import generate
from graph.document import from_document
from graph.model import Category
from graph.seeds import sample_organisation


def test_sample_sizes() -> None:
    org = sample_organisation()
    c = org.counts()
    assert c["families"] >= 6 and c["levels"] >= 5 and c["roles"] >= 35
    assert c["competencies"] >= 40 and c["people"] >= 60 and c["resources"] >= 40
    assert {t.name for t in org.tracks.values()} >= {"IC", "MANAGEMENT"}
    assert {m.kind.value for m in org.moves} == {"PROGRESSES_TO", "CAN_MOVE_TO"}
    # every category of skill; the sample has no bodies of knowledge (KNOWLEDGE comes with O*NET and ESCO)
    assert set(Counter(c.category for c in org.competencies.values())) == set(Category) - {Category.KNOWLEDGE}


def test_every_competency_has_an_indicator_at_every_level() -> None:
    org = sample_organisation()
    have = {(i.competency_id, i.level) for i in org.indicators}
    top = org.framework.max_level
    assert all((c, lvl) in have for c in org.competencies for lvl in range(1, top + 1))


def test_assessment_history_spans_four_quarters_and_several_sources() -> None:
    org = sample_organisation()
    quarters = {(a.at.year, (a.at.month - 1) // 3) for a in org.assessments}
    assert len(quarters) >= 4
    assert {a.source.value for a in org.assessments} == {"SELF", "PEER", "MANAGER", "ASSESSED"}


def test_reporting_hierarchy_is_one_tree() -> None:
    org = sample_organisation()
    roots = [p for p in org.people.values() if p.manager_id is None]
    assert len(roots) == 1


def test_generate_is_deterministic_and_valid() -> None:
    a = generate(roles=40, competencies=25, people=120, seed=3)
    assert a == generate(roles=40, competencies=25, people=120, seed=3)
    assert a != generate(roles=40, competencies=25, people=120, seed=4)
    org = from_document(a)
    assert (len(org.roles), len(org.competencies), len(org.people)) == (40, 25, 120)
