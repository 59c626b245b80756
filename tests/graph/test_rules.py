"""One set of field rules: the document reader (and so every import) and the edits (and so every mutation)
refuse the same values, each naming the field."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from graph import edits, rules
from graph.document import from_document
from graph.errors import BadInput
from graph.model import Category, ResourceKind, Source

from .conftest import tiny_document

LONG_NOTE = "x" * 2_000_000


def test_rules_by_value() -> None:
    assert rules.identifier("  a-b ") == "a-b"
    assert rules.weight(0.5) == 0.5 and rules.weight(1000) == 1000.0
    assert rules.hours(1e5) == 1e5 and rules.rank(0) == 0 and rules.level(0, 5, low=0) == 0
    assert rules.text(None) == "" and rules.name(" Ada ") == "Ada"
    assert rules.date("2026-03-31") == dt.date(2026, 3, 31)
    for rule, value in [(rules.identifier, "a b"), (rules.identifier, "x" * 201), (rules.identifier, ""),
                        (rules.weight, 0), (rules.weight, -1), (rules.weight, 1e308), (rules.weight, math.nan),
                        (rules.weight, math.inf), (rules.weight, True), (rules.hours, 0), (rules.hours, math.inf),
                        (rules.rank, -1), (rules.rank, 1.5), (rules.validity_days, 0), (rules.name, "  "),
                        (rules.name, "n" * 501), (rules.text, LONG_NOTE), (rules.date, "2026-02-30"),
                        (rules.date, "0001-01-01")]:
        with pytest.raises(rules.FieldError):
            rule(value)
    with pytest.raises(rules.FieldError, match="between 1 and 5"):
        rules.level(6, 5)


def _doc_problems(change: Any) -> list[str]:
    doc = tiny_document()
    change(doc)
    with pytest.raises(BadInput) as err:
        from_document(doc)
    return err.value.problems


# (what, a change to the tiny document, the path named, an edit on the tiny organisation, the field it names)
CASES = [
    ("competency id with a space", lambda d: d["competencies"].append({"id": "with space", "name": "W",
                                                                       "category": "TECHNICAL"}),
     "competencies[4].id", lambda o: edits.create_competency(o, "with space", "W", Category.TECHNICAL), "id:"),
    ("huge weight", lambda d: d["roles"][0]["requires"][0].update(weight=1e308), "roles[0].requires[0].weight",
     lambda o: edits.set_requirement(o, "junior", "a", 2, 1e308), "weight:"),
    ("zero weight", lambda d: d["roles"][0]["requires"][0].update(weight=0), "roles[0].requires[0].weight",
     lambda o: edits.set_requirement(o, "junior", "a", 2, 0.0), "weight:"),
    ("infinite hours", lambda d: d["resources"][0].update(hours=math.inf), "resources[0].hours",
     lambda o: edits.update_resource(o, "r-a1", "A", ResourceKind.COURSE, math.inf), "hours:"),
    ("a two-million-character note", lambda d: d["assessments"][0].update(note=LONG_NOTE), "assessments[0].note",
     lambda o: edits.record_assessment(o, "ana", "a", 3, Source.SELF, dt.date(2026, 1, 1), LONG_NOTE), "note:"),
    ("negative rank", lambda d: d["levels"][0].update(rank=-1), "levels[0].rank",
     lambda o: edits.create_level(o, "l9", -1, "Nine"), "rank:"),
    ("a name too long", lambda d: d["families"][0].update(name="n" * 501), "families[0].name",
     lambda o: edits.create_family(o, "fam", "n" * 501), "name:"),
]


@pytest.mark.parametrize(("what", "change", "path", "edit", "field"), CASES, ids=[c[0] for c in CASES])
def test_imports_and_edits_agree(tiny, what: str, change: Any, path: str, edit: Any, field: str) -> None:
    problems = _doc_problems(change)
    assert any(p.startswith(f"{path}:") for p in problems), problems
    with pytest.raises(BadInput) as err:
        edit(tiny.org)
    assert err.value.message.startswith(field), err.value.message
