"""The person page (#/person/<id>) in a real browser against a server of its own: a manager's check-in with
evidence, an employee's self-assessment, refusals next to the field, the growth charts. Each flow is done in
the page, checked on the page, read back through GraphQL with the page's own token against numbers computed
here from the role's requirements, and read back again after the server restarted on the same store."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from .conftest import Site, SiteServer, num, open_site, pct

PRIYA, GRACE, HR_PERSON = "priya-raman", "grace-lindqvist", "margaret-okonkwo"
ROLE = "software-engineer"           # Priya's role

PROFILE = """query($id: ID!) { person(id: $id) { id name role { id requirements { level weight competency { id } } }
    proficiencies { level source at evidence competency { id name } } } }"""
STANDING = """query($p: ProfileInput!, $r: ID!) { gap(from: $p, to: $r) { totalGap readiness verdict
    items { competency { id } current evidence proofGap } }
    closestRoles(from: $p, limit: 3) { role { id } gap readiness } }"""
AUDIT = """{ auditTrail(first: 50) { totalCount nodes { action subject actor after } } }"""
TREND = """query($id: ID!, $t: ID) { personTrend(personId: $id, target: $t) { target { id }
    points { at gap readiness verdict } competencies { competency { id name } required points { at level } } } }"""


# --- a server of our own (these tests write), restartable on the same store -------------------------

@pytest.fixture(scope="module")
def person_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = SiteServer(tmp_path_factory.mktemp("person")).start()
    yield server
    server.stop()


def restart(server: SiteServer) -> None:
    """Stop the server and start it again on the same store file and port."""
    server.restart()


def demo_token(server: SiteServer, person_id: str) -> str:
    req = urllib.request.Request(f"{server.url}/auth/demo", data=json.dumps({"personId": person_id}).encode(),
                                 headers={"content-type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return str(json.loads(resp.read())["token"])


def has_field(server: SiteServer, type_name: str, field: str) -> bool:
    data = server.graphql("query($t: String!) { __type(name: $t) { fields { name } } }", {"t": type_name})
    return any(f["name"] == field for f in (data["__type"] or {}).get("fields") or [])


def profile(server: SiteServer, token: str, person: str = PRIYA) -> dict[str, Any]:
    return server.graphql(PROFILE, {"id": person}, token)["person"]


def levels_of(person: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["competency"]["id"]: p for p in person["proficiencies"]}


def gap_by_hand(requirements: list[dict[str, Any]], levels: dict[str, int]) -> tuple[float, float]:
    """gap = Σ weight × max(0, required − current); readiness = 1 − gap / Σ weight × required."""
    gap = sum(r["weight"] * max(0, r["level"] - levels.get(r["competency"]["id"], 0)) for r in requirements)
    total = sum(r["weight"] * r["level"] for r in requirements)
    return gap, 1 - gap / total


def audit_after(server: SiteServer, hr_token: str, assessment_ids: list[str]) -> list[dict[str, Any]]:
    """The assessments as the audit trail recorded them (HR's view of what was written)."""
    found = []
    for entry in server.graphql(AUDIT, None, hr_token)["auditTrail"]["nodes"]:
        after = json.loads(entry["after"]) if entry["after"] not in ("", "null") else None
        for record in after if isinstance(after, list) else [after] if after else []:
            if isinstance(record, dict) and record.get("id") in assessment_ids:
                found.append({**record, "actor": entry["actor"]})
    return sorted(found, key=lambda r: r["id"])


def page_is_clean(site: Site) -> None:
    """One h1, a label for every control, no error box, no console error."""
    page = site.page
    expect(page.locator("main h1")).to_have_count(1)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('main input, main select, main textarea')]
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.closest('label')))
        .map((el) => el.id || el.name)""")
    assert not unlabelled, f"controls without a label: {unlabelled}"
    site.assert_no_console_errors()


# --- a manager's check-in, with evidence -------------------------------------------------------------

def test_manager_check_in_with_evidence(browser: Browser, person_server: SiteServer) -> None:
    server = person_server
    today = dt.date.today().isoformat()
    with open_site(browser, server, "person_manager_check_in") as site:
        token = site.sign_in(GRACE, f"#/person/{PRIYA}")
        page = site.page
        expect(page.locator("main h1")).to_have_text("Priya Raman: profile & check-ins")
        expect(page.locator("#checkin-title")).to_have_text("Check-in with Priya")
        expect(page.locator("#proficiencies-title")).to_have_text("Priya’s proficiencies")
        expect(page.locator("#checkin-source")).to_have_count(0)          # a manager records as MANAGER

        before = profile(server, token)
        requirements = before["role"]["requirements"]
        levels = {cid: p["level"] for cid, p in levels_of(before).items()}
        # Testing drops below what the role needs; collaboration (peer-rated) is verified one level up.
        assert levels_of(before)["testing"]["source"] != "ASSESSED" and levels_of(before)["collaboration"]["source"] == "PEER"
        start_gap, start_ready = gap_by_hand(requirements, levels)
        expect(page.locator("#person-gap")).to_have_text(num(start_gap))
        expect(page.locator("#person-readiness")).to_have_text(pct(start_ready))

        # Pick the competencies: each shows the indicators of the current level and the next one.
        page.check("#pick-testing")
        page.check("#pick-collaboration")
        card = page.locator(".checkin-item[data-competency-id='testing']")
        indicators = server.graphql("""{ competencies(first: 1, ids: ["testing"]) { nodes {
            now: indicators(level: %d) { text } next: indicators(level: %d) { text } } } }""" % (levels["testing"], levels["testing"] + 1))
        node = indicators["competencies"]["nodes"][0]
        expect(card.locator(".indicators-now li")).to_have_text([i["text"] for i in node["now"]])
        expect(card.locator(".indicators-next li")).to_have_text([i["text"] for i in node["next"]])

        page.select_option("#checkin-level-testing", "1")
        page.select_option("#checkin-level-collaboration", "3")
        expect(page.locator("#checkin-date")).to_have_value(today)
        page.fill("#checkin-note", "Q4 check-in")
        page.select_option("#evidence-kind", "review")
        page.fill("#evidence-note", "Reviewed three pull requests together")
        page.fill("#evidence-date", "2026-11-20")
        page.click("#checkin-submit")
        expect(page.locator("#checkin-done")).to_contain_text("Recorded")

        levels.update({"testing": 1, "collaboration": 3})
        new_gap, new_ready = gap_by_hand(requirements, levels)
        assert new_gap == start_gap + 1.5        # testing: weight 1.5 × one level short
        expect(page.locator("#person-gap")).to_have_text(num(new_gap))
        expect(page.locator("#person-readiness")).to_have_text(pct(new_ready))
        expect(page.locator("#proficiency-table tr[data-competency-id='testing']")).to_have_attribute("data-level", "1")
        expect(page.locator("#proficiency-table tr[data-competency-id='collaboration']")).to_have_attribute("data-evidence", "VERIFIED")
        expect(page.locator("#proficiency-table tr[data-competency-id='collaboration']")).to_have_attribute("data-proof-gap", "false")
        ids = page.locator("#checkin-done").get_attribute("data-ids").split(",")
        assert len(ids) == 2

        def read_back() -> None:
            after = levels_of(profile(server, token))
            for cid, level in (("testing", 1), ("collaboration", 3)):
                assert (after[cid]["level"], after[cid]["source"], after[cid]["at"], after[cid]["evidence"]) == (level, "MANAGER", today, "VERIFIED")
            standing = server.graphql(STANDING, {"p": {"personId": PRIYA}, "r": ROLE}, token)
            assert standing["gap"]["totalGap"] == pytest.approx(new_gap)
            assert standing["gap"]["readiness"] == pytest.approx(new_ready)
            records = audit_after(server, demo_token(server, HR_PERSON), ids)
            assert sorted((r["competency_id"], r["level"], r["source"], r["at"], r["note"], r["actor"]) for r in records) == [
                ("collaboration", 3, "MANAGER", today, "Q4 check-in", GRACE), ("testing", 1, "MANAGER", today, "Q4 check-in", GRACE)]
            for r in records:
                assert r["evidence"] == [{"kind": "review", "note": "Reviewed three pull requests together", "at": "2026-11-20"}]
            # The closest roles on the page are the API's.
            shown = page.locator("#person-closest > li").evaluate_all("els => els.map((e) => e.dataset.roleId)")
            assert shown == [m["role"]["id"] for m in standing["closestRoles"]]

        read_back()
        restart(server)
        read_back()
        site.goto(f"#/person/{PRIYA}")
        expect(page.locator("#person-gap")).to_have_text(num(new_gap))
        page_is_clean(site)


# --- an employee's self-assessment ---------------------------------------------------------------------

def test_employee_self_assessment_is_self_only(browser: Browser, person_server: SiteServer) -> None:
    server = person_server
    today = dt.date.today().isoformat()
    with open_site(browser, server, "person_self_assessment") as site:
        token = site.sign_in(PRIYA, "#/")
        page = site.page
        link = page.locator("#start-person")
        expect(link).to_have_attribute("href", f"#/person/{PRIYA}")
        site.navigate(link.click)
        expect(page.locator("main h1")).to_have_text("My profile & check-ins")
        expect(page.locator("#proficiencies-title")).to_have_text("My proficiencies")
        expect(page.locator("#checkin-title")).to_have_text("Record a self-assessment")
        expect(page.locator("#checkin-source")).to_have_count(0)
        expect(page.locator("#checkin-source-note")).to_contain_text("Self")

        before = profile(server, token)
        assessed = levels_of(before)
        # A competency Priya was never assessed in, added by name.
        others = server.graphql("{ competencies(first: 100) { nodes { id name } } }")["competencies"]["nodes"]
        fresh = next(c for c in others if c["id"] not in assessed)
        page.fill("#checkin-find", fresh["name"][:6])
        page.locator(f"#checkin-find-results button[data-competency-id='{fresh['id']}']").click()
        expect(page.locator(f".checkin-item[data-competency-id='{fresh['id']}']")).to_be_visible()
        page.select_option(f"#checkin-level-{fresh['id']}", "2")
        page.fill("#checkin-note", "Pairing sessions this quarter")
        page.click("#checkin-submit")
        expect(page.locator("#checkin-done")).to_contain_text("Ask your manager to verify")
        row = page.locator(f"#proficiency-table tr[data-competency-id='{fresh['id']}']")
        expect(row).to_have_attribute("data-evidence", "SELF_ONLY")
        expect(row.locator(".evidence")).to_have_text("Self/peer only")
        expect(row.locator(".evidence-help")).to_contain_text("Ask your manager to verify")
        page.locator(".evidence-help-all summary").click()
        expect(page.locator("#evidence-key")).to_contain_text("Verified")
        expect(page.locator("#evidence-key")).to_contain_text("Stale")
        ids = page.locator("#checkin-done").get_attribute("data-ids").split(",")

        def read_back() -> None:
            after = levels_of(profile(server, token))[fresh["id"]]
            assert (after["level"], after["source"], after["at"], after["evidence"]) == (2, "SELF", today, "SELF_ONLY")
            records = audit_after(server, demo_token(server, HR_PERSON), ids)
            assert [(r["competency_id"], r["source"], r["note"], r["evidence"]) for r in records] == [
                (fresh["id"], "SELF", "Pairing sessions this quarter", [])]

        read_back()
        restart(server)
        read_back()
        site.goto(f"#/person/{PRIYA}")
        expect(page.locator(f"#proficiency-table tr[data-competency-id='{fresh['id']}']")).to_have_attribute("data-evidence", "SELF_ONLY")
        # A proof gap: a requirement met only by a self-assessment is marked as such, on the page as in the API.
        gap = server.graphql(STANDING, {"p": {"personId": PRIYA}, "r": ROLE}, token)["gap"]
        for item in gap["items"]:
            expect(page.locator(f"#proficiency-table tr[data-competency-id='{item['competency']['id']}']")).to_have_attribute(
                "data-proof-gap", str(item["proofGap"]).lower())
        page_is_clean(site)


# --- refusals: next to the field, nothing written ------------------------------------------------------

def test_refusals_are_shown_next_to_the_field_and_nothing_is_written(browser: Browser, person_server: SiteServer) -> None:
    server = person_server
    hr = demo_token(server, HR_PERSON)
    with open_site(browser, server, "person_refusals") as site:
        token = site.sign_in(GRACE, f"#/person/{PRIYA}")
        page = site.page
        before = profile(server, token)
        audit_before = server.graphql(AUDIT, None, hr)["auditTrail"]["totalCount"]

        # A date in the future: BAD_INPUT, next to the date field.
        page.check("#pick-testing")
        page.check("#pick-ownership")
        page.select_option("#checkin-level-testing", "3")
        page.fill("#checkin-date", "2031-01-01")
        page.click("#checkin-submit")
        error = page.locator("#checkin-date-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("in the future")
        expect(error).to_contain_text("Nothing was recorded")
        expect(page.locator("#checkin-date")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#checkin-done")).to_have_count(0)
        assert profile(server, token) == before
        assert server.graphql(AUDIT, None, hr)["auditTrail"]["totalCount"] == audit_before

        # FORBIDDEN: the session changed (Priya signed in, in another tab): she may not record as her manager.
        page.evaluate("(t) => sessionStorage.setItem('trellis.token', t)", demo_token(server, PRIYA))
        page.fill("#checkin-date", dt.date.today().isoformat())
        page.click("#checkin-submit")
        expect(page.locator("#checkin-date-error")).to_be_hidden()
        general = page.locator("#checkin-error")
        expect(general).to_be_visible()
        expect(general).to_have_attribute("data-code", "FORBIDDEN")
        expect(general).to_contain_text("Not allowed")
        expect(page.locator("#checkin-done")).to_have_count(0)
        assert profile(server, token) == before
        assert server.graphql(AUDIT, None, hr)["auditTrail"]["totalCount"] == audit_before
        restart(server)
        assert profile(server, token) == before
        # No console error: refusals are shown in words, not thrown.
        site.assert_no_console_errors()


# --- HR records for anyone, choosing the source ----------------------------------------------------------

def test_hr_records_an_assessment_with_a_source(browser: Browser, person_server: SiteServer) -> None:
    server = person_server
    today = dt.date.today().isoformat()
    with open_site(browser, server, "person_hr") as site:
        token = site.sign_in(HR_PERSON, f"#/person/{PRIYA}")
        page = site.page
        expect(page.locator("#checkin-title")).to_have_text("Record an assessment for Priya")
        page.check("#pick-system-architecture")
        page.select_option("#checkin-level-system-architecture", "2")
        page.select_option("#checkin-source", "ASSESSED")
        page.select_option("#evidence-kind", "certification")
        page.fill("#evidence-note", "Architecture certification")
        page.click("#checkin-submit")
        expect(page.locator("#checkin-done")).to_contain_text("Recorded")
        expect(page.locator("#proficiency-table tr[data-competency-id='system-architecture']")).to_have_attribute("data-level", "2")
        after = levels_of(profile(server, token))["system-architecture"]
        assert (after["level"], after["source"], after["at"], after["evidence"]) == (2, "ASSESSED", today, "VERIFIED")
        page_is_clean(site)


# --- growth over time -------------------------------------------------------------------------------------

def chart_sets(site: Site, canvas: str) -> dict[str, list[tuple[str, float]]]:
    """A chart's datasets as {label: [(date, y)]} (x is a UTC timestamp of the day)."""
    sets = site.page.evaluate("""(id) => Chart.getChart(id).data.datasets.map((d) => [d.label,
        d.data.map((p) => [new Date(p.x).toISOString().slice(0, 10), p.y])])""", canvas)
    return {label: [tuple(p) for p in points] for label, points in sets}


def test_growth_charts_draw_person_trend(browser: Browser, person_server: SiteServer) -> None:
    server = person_server
    if not has_field(server, "Query", "personTrend"):
        pytest.fail("the server has no personTrend query yet (api-contract.md)")
    with open_site(browser, server, "person_growth") as site:
        token = site.sign_in(GRACE, f"#/person/{PRIYA}")
        page = site.page

        def shows(target: str | None) -> None:
            trend = server.graphql(TREND, {"id": PRIYA, "t": target}, token)["personTrend"]
            expect(page.locator("#growth-body")).to_have_attribute("data-target", trend["target"]["id"])
            expect(page.locator("canvas#trend-levels")).to_have_count(1)
            expect(page.locator("canvas#trend-readiness")).to_have_count(1)
            levels = chart_sets(site, "trend-levels")
            assert levels == {s["competency"]["name"]: [(p["at"], p["level"]) for p in s["points"]] for s in trend["competencies"]}
            readiness = chart_sets(site, "trend-readiness")
            assert list(readiness.values()) == [[(p["at"], p["readiness"]) for p in trend["points"]]]
            assert page.evaluate("Chart.getChart('trend-levels').data.datasets.every((d) => d.stepped)")
            # The same numbers as a table.
            rows = page.locator("#trend-readiness-table tbody tr").evaluate_all("els => els.map((e) => e.dataset.at)")
            assert rows == [p["at"] for p in trend["points"]]
            assert trend["points"][-1]["at"] == dt.date.today().isoformat()

        shows(None)                                      # the default: saved target, else the current role
        page.select_option("#trend-target", "senior-software-engineer")
        expect(page.locator("#growth-body")).to_have_attribute("data-target", "senior-software-engineer")
        shows("senior-software-engineer")
        assert "target=senior-software-engineer" in page.url
        site.navigate(page.reload)
        shows("senior-software-engineer")
        page_is_clean(site)


# --- the same check-in on Neo4j --------------------------------------------------------------------------

NEO4J_REPORT = "chen-wei"       # another of Grace's reports: Priya's numbers stay as other tests expect them


def test_manager_check_in_on_neo4j(browser: Browser, neo4j_site_server: SiteServer) -> None:
    """The conftest's site on Neo4j (shared: other tests clear that Neo4j, so seed it first — a no-op when it holds
    the sample organisation — and write to a person no other test reads)."""
    server = neo4j_site_server.seed()
    today = dt.date.today().isoformat()
    with open_site(browser, server, "person_neo4j_check_in") as site:
        token = site.sign_in(GRACE, f"#/person/{NEO4J_REPORT}")
        page = site.page
        before = profile(server, token, NEO4J_REPORT)
        role = before["role"]
        requirements = role["requirements"]
        levels = {cid: p["level"] for cid, p in levels_of(before).items()}
        trusted = [r for r in requirements if levels_of(before).get(r["competency"]["id"], {}).get("source") != "ASSESSED"]
        req = max(trusted, key=lambda r: (r["weight"], r["competency"]["id"]))
        cid, new_level = req["competency"]["id"], max(0, req["level"] - 1)
        expect(page.locator("#checkin-title")).to_contain_text("Check-in with Chen")
        page.check(f"#pick-{cid}")
        page.select_option(f"#checkin-level-{cid}", str(new_level))
        page.fill("#checkin-note", "Neo4j check-in")
        page.select_option("#evidence-kind", "1-on-1")
        page.fill("#evidence-note", "Talked it through")
        page.click("#checkin-submit")
        expect(page.locator("#checkin-done")).to_contain_text("Recorded")
        levels[cid] = new_level
        new_gap, new_ready = gap_by_hand(requirements, levels)
        expect(page.locator("#person-gap")).to_have_text(num(new_gap))
        expect(page.locator("#person-readiness")).to_have_text(pct(new_ready))
        ids = page.locator("#checkin-done").get_attribute("data-ids").split(",")

        def read_back() -> None:
            after = levels_of(profile(server, token, NEO4J_REPORT))[cid]
            assert (after["level"], after["source"], after["at"], after["evidence"]) == (new_level, "MANAGER", today, "VERIFIED")
            standing = server.graphql(STANDING, {"p": {"personId": NEO4J_REPORT}, "r": role["id"]}, token)
            assert standing["gap"]["totalGap"] == pytest.approx(new_gap)
            assert standing["gap"]["readiness"] == pytest.approx(new_ready)
            records = audit_after(server, demo_token(server, HR_PERSON), ids)
            assert [(r["competency_id"], r["level"], r["source"], r["note"], r["evidence"]) for r in records] == [
                (cid, new_level, "MANAGER", "Neo4j check-in", [{"kind": "1-on-1", "note": "Talked it through", "at": today}])]

        read_back()
        server.restart()
        read_back()
        site.goto(f"#/person/{NEO4J_REPORT}")
        expect(page.locator("#person-gap")).to_have_text(num(new_gap))
        page_is_clean(site)
