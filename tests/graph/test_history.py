"""Growth over time, what-if and bench strength on the tiny organisation, every number worked out by hand.

Ana holds Mid (a 3 ×2 essential, b 2; weighted total 8). Her assessments: a — MANAGER 2 on 2025-09-01,
MANAGER 3 on 2026-03-01, SELF 4 on 2026-06-01 (less trusted: a stays 3); b — SELF 2 on 2026-06-01;
c — MANAGER 2 on 2025-01-01. Ben holds Junior (a 2, b 1; total 3): a ASSESSED 2 on 2026-01-01, PEER 1
on 2026-05-01 (less trusted). Cy holds Mid with no assessments; Boss holds Lead.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph import edits
from graph.bench import bench_strength, if_leaves
from graph.document import from_document, to_document
from graph.errors import BadInput, NotFound
from graph.gaps import Verdict, gap_report
from graph.history import Period, period_ends, person_trend, profiles_as_of, team_trend
from graph.profiles import EvidenceStatus, resolve_profile
from graph.projection import build_projection
from graph.whatif import what_if

from .conftest import AS_OF, tiny_document

D = dt.date.fromisoformat


def test_person_trend_by_hand(tiny):
    t = person_trend(tiny, "ana", None, AS_OF)
    assert t.target_id == "mid"                                   # no plan: her own role
    assert [d.isoformat() for d in t.days] == ["2025-01-01", "2025-09-01", "2026-03-01", "2026-06-01", "2026-11-01"]
    assert [p.gap for p in t.points] == [8.0, 4.0, 2.0, 0.0, 0.0]
    assert [p.readiness for p in t.points] == [0.0, 0.5, 0.75, 1.0, 1.0]
    assert [p.verdict for p in t.points] == [Verdict.RESKILL, Verdict.RESKILL, Verdict.UPSKILL, Verdict.READY,
                                             Verdict.READY]
    series = {s.competency_id: (s.required, s.levels) for s in t.competencies}
    assert series == {"a": (3, (0, 2, 3, 3, 3)), "b": (2, (0, 0, 0, 2, 2)), "c": (None, (2, 2, 2, 2, 2))}


def test_person_trend_follows_the_saved_plan(tiny):
    org = edits.save_plan(tiny.org, "ana", "senior", [("r-a2", "a", 3, 4)], D("2026-10-01")).org
    t = person_trend(build_projection(org), "ana", None, AS_OF)
    # Senior: a 4 ×2 essential, b 3, c 2 (total 13). Today a 3, b 2, c 2: 2 + 1 = 3 short.
    assert t.target_id == "senior" and t.points[-1].gap == 3.0 and t.points[-1].readiness == round(1 - 3 / 13, 6)
    with pytest.raises(NotFound):
        person_trend(tiny, "ana", "astronaut", AS_OF)


def test_as_of_profiles_and_evidence(tiny):
    ana = tiny.person_index["ana"]
    before = profiles_as_of(tiny, D("2024-12-31"))
    assert before.sum() == 0                                       # before any assessment: the empty profile
    mid_2025 = resolve_profile(tiny, person_id="ana", as_of=D("2025-09-01"))
    col = {c: tiny.comp_index[c] for c in "abcd"}
    assert [int(mid_2025.levels[col[c]]) for c in "abcd"] == [2, 0, 2, 0]
    assert [int(x) for x in profiles_as_of(tiny, D("2025-09-01"))[[ana]].toarray()[0]] == [2, 0, 2, 0]
    report = gap_report(tiny, mid_2025, "mid", D("2025-09-01"))
    assert report.total_gap == 4.0 and report.readiness == 0.5
    assert {i.competency_id: i.evidence for i in report.items} == {"a": EvidenceStatus.VERIFIED,
                                                                   "b": EvidenceStatus.NONE}
    # c was confirmed on 2025-01-01: stale a year (365 days) later, as of today
    today = resolve_profile(tiny, person_id="ana", as_of=AS_OF)
    assert {i.competency_id: i.evidence for i in gap_report(tiny, today, "senior", AS_OF).items}["c"] \
        is EvidenceStatus.STALE
    with pytest.raises(BadInput, match="asOf goes with personId"):
        resolve_profile(tiny, role_id="mid", as_of=AS_OF)


def test_team_trend_by_hand(tiny):
    t = team_trend(tiny, "boss", D("2025-10-01"), D("2026-06-30"), Period.QUARTER)
    assert t.people == ("ana", "ben", "cy")
    assert [p.at.isoformat() for p in t.points] == ["2025-12-31", "2026-03-31", "2026-06-30"]
    # end 2025: Ana a 2 (short 1 ×2), b 0 (2) = 4; Ben a 0 (2), b 0 (1) = 3; Cy 6 + 2 = 8
    assert [p.total_deficit for p in t.points] == [15.0, 11.0, 9.0]
    assert [{d.competency_id: d.total_deficit for d in p.deficits} for p in t.points] == [
        {"a": 10.0, "b": 5.0}, {"a": 6.0, "b": 5.0}, {"a": 6.0, "b": 3.0}]
    assert [p.mean_readiness for p in t.points] == [round(0.5 / 3, 6), round((0.75 + 2 / 3) / 3, 6),
                                                    round((1 + 2 / 3) / 3, 6)]
    last = t.points[-1]
    assert [(g.competency_id, g.total_deficit, g.people_below) for g in last.top_gaps] == [
        ("a", 6.0, ("cy",)), ("b", 3.0, ("ben", "cy"))]
    direct = team_trend(tiny, "boss", D("2026-06-01"), D("2026-06-30"), Period.MONTH, depth=1)
    assert direct.people == ("ana",) and direct.points[-1].total_deficit == 0.0


def test_period_ends():
    assert period_ends(D("2026-01-15"), D("2026-03-31"), Period.MONTH) == [D("2026-01-31"), D("2026-02-28"),
                                                                           D("2026-03-31")]
    assert period_ends(D("2025-11-02"), D("2026-01-10"), Period.QUARTER) == [D("2025-12-31"), D("2026-01-10")]
    with pytest.raises(BadInput, match="before from"):
        period_ends(D("2026-02-01"), D("2026-01-01"), Period.MONTH)


def test_what_if_by_hand(tiny):
    ben = resolve_profile(tiny, person_id="ben")                  # a 2, b 0
    changes = what_if(tiny, ben, {"b": 3})
    assert [(c.role_id, c.before.gap, c.before.readiness, c.before.verdict, c.after.gap, c.after.readiness,
             c.after.verdict) for c in changes] == [
        ("junior", 1.0, round(2 / 3, 6), Verdict.RESKILL, 0.0, 1.0, Verdict.READY),
        ("lead", 11.0, 0.0, Verdict.RESKILL, 8.0, round(3 / 11, 6), Verdict.RESKILL),
        ("mid", 4.0, 0.5, Verdict.RESKILL, 2.0, 0.75, Verdict.UPSKILL),
        ("senior", 9.0, round(4 / 13, 6), Verdict.RESKILL, 6.0, round(7 / 13, 6), Verdict.RESKILL)]
    assert what_if(tiny, ben, {}) == []
    assert what_if(tiny, ben, {"a": 1}) == []                     # a raise below what one holds changes nothing
    with pytest.raises(BadInput):
        what_if(tiny, ben, {"a": 9})


def test_bench_strength_and_if_leaves_by_hand(tiny):
    rows = {b.role_id: b for b in bench_strength(tiny)}
    assert [b.role_id for b in bench_strength(tiny)] == ["island", "empty", "junior", "lead", "senior", "mid"]
    assert rows["mid"].holders == ("ana", "cy") and rows["mid"].cover == 2 and not rows["mid"].at_risk
    assert rows["senior"].holders == () and rows["senior"].ready_soon == ("ana",) and rows["senior"].cover == 1
    assert rows["empty"].ready_now == ("ben",)                    # requires nothing; others sit higher
    assert rows["island"].cover == 0 and rows["island"].at_risk
    assert [(b.role_id, b.after) for b in if_leaves(tiny, "ana")] == [("mid", 1)]
    assert [(b.role_id, b.after) for b in if_leaves(tiny, "ana", threshold=1)] == [("senior", 0)]
    assert if_leaves(tiny, "boss", manager="ana") == []           # outside Ana's organisation
    scoped = {b.role_id: b for b in bench_strength(tiny, manager="ana")}
    assert scoped["junior"].holders == ("ben",) and scoped["mid"].holders == ("cy",)


def test_saved_plan_round_trips_and_completes(tiny):
    org = edits.save_plan(tiny.org, "ben", "mid", [("r-a1", "a", 2, 4), ("r-b", "b", 0, 3)], D("2026-10-01")).org
    assert from_document(to_document(org)) == org
    done = edits.complete_plan_item(org, "ben", "r-b", "b", D("2026-10-20"), edits.Source.SELF)
    plan = done.org.plans["ben"]
    assert [i.done for i in plan.items] == [None, D("2026-10-20")]
    recorded = [a for a in done.org.assessments if a not in org.assessments]
    assert [(a.person_id, a.competency_id, a.level, a.source.value, [e.kind for e in a.evidence])
            for a in recorded] == [("ben", "b", 3, "SELF", ["course completion"])]
    with pytest.raises(Exception, match="marked done"):
        edits.complete_plan_item(done.org, "ben", "r-b", "b", D("2026-10-21"), edits.Source.SELF)
    # the target role cannot go while a plan aims at it; a deleted resource leaves the plan
    with pytest.raises(Exception, match="plan of ben"):
        edits.delete_role(org, "mid")
    assert [i.resource_id for i in edits.delete_resource(org, "r-a1").org.plans["ben"].items] == ["r-b"]
    assert "ben" not in edits.delete_person(org, "ben", cascade=True).org.plans


def test_record_assessments_is_all_or_nothing(tiny):
    ok = dict(person_id="ben", competency_id="b", level=1, source=edits.Source.MANAGER, at=D("2026-10-01"))
    done = edits.record_assessments(tiny.org, [ok, {**ok, "competency_id": "c", "level": 2}])
    assert len(done.org.assessments) == len(tiny.org.assessments) + 2
    with pytest.raises(BadInput, match=r"input\[1\]\.level"):
        edits.record_assessments(tiny.org, [ok, {**ok, "level": 9}])


def test_document_refuses_bad_plans():
    doc = tiny_document()
    doc["plans"] = [{"person": "ben", "role": "astronaut", "saved": "2026-01-01",
                     "items": [{"resource": "r-a1", "competency": "a", "from": 2, "to": 9}]}]
    with pytest.raises(BadInput) as err:
        from_document(doc)
    assert any("unknown role 'astronaut'" in p for p in err.value.problems)
    assert any("items[0].to" in p for p in err.value.problems)
