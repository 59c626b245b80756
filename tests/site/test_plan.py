"""My career, saved: a person saves a target and its development plan, marks items done (each one an assessment
evidenced by a course completion), sees the progress, clears the plan; "what if" lists the roles that would change;
a manager sees the page in the third person. What the page shows is checked against the API (with the page's own
token) and against numbers computed here, before and after a server restart (it persisted).

The module has a server of its own (it writes): ``site_server`` is overridden below.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from graph.store.embedded import read_store_file

from .conftest import Site, SiteServer, num, pct

PRIYA, GRACE = "priya-raman", "grace-lindqvist"
TARGET = "staff-software-engineer"

PLAN = """query($id: ID!) { person(id: $id) { plan {
    target { id } savedAt totalHours doneHours progress
    items { resource { id hours } competency { id } fromLevel toLevel done doneAt } } } }"""


@pytest.fixture(scope="module")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A server of this module's own, on a store file that the tests write (and restart on)."""
    server = SiteServer(tmp_path_factory.mktemp("plan")).start()
    yield server
    server.stop()


def restart(server: SiteServer) -> None:
    """Stop the server and start it again on the same folder (and port): only what was stored survives."""
    server.stop()
    server.start()


def assessments(server: SiteServer, person: str) -> list[dict[str, Any]]:
    """The person's assessments as the embedded store keeps them (its file with its journal's edits)."""
    _, doc, _, _ = read_store_file(Path(server.folder, "store.json"))
    return [a for a in doc["assessments"] if a["person"] == person]


def resource_hours(server: SiteServer) -> dict[str, float]:
    """Every learning resource's hours, from the public catalogue (independently of any plan)."""
    hours: dict[str, float] = {}
    after = None
    while True:
        page = server.graphql("""query($after: String) { learningResources(first: 100, after: $after) {
            nodes { id hours } pageInfo { hasNextPage endCursor } } }""", {"after": after})["learningResources"]
        hours.update({r["id"]: r["hours"] for r in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            return hours
        after = page["pageInfo"]["endCursor"]


def plan_of(server: SiteServer, token: str, person: str = PRIYA) -> dict[str, Any] | None:
    return server.graphql(PLAN, {"id": person}, token)["person"]["plan"]


def shows_progress(site: Site, done: float, total: float) -> None:
    page = site.page
    expect(page.locator("#plan-progress-total")).to_have_text(num(total))
    expect(page.locator("#plan-progress-done")).to_have_text(num(done))
    expect(page.locator("#plan-progress-value")).to_have_text(pct(done / total if total else 0))
    expect(page.locator("#plan-progress [role=progressbar]")).to_have_attribute(
        "aria-valuenow", str(round(100 * (done / total if total else 0))))


def speaks_of_priya(site: Site) -> None:
    """No line of the page speaks to the viewer as if they were the person (you, your, my, I)."""
    lines = site.page.evaluate(r"""() => document.querySelector('main').innerText.split('\n')
        .filter((line) => /\b(you|your|my|I)\b/i.test(line))""")
    assert not lines, lines


# --- save, mark done, restart, clear ---------------------------------------------------------------

def test_save_a_plan_mark_items_done_and_clear_it(site: Site) -> None:
    token = site.sign_in(PRIYA)                      # no saved plan yet: #/career is the overview
    page = site.page
    expect(page.locator("#closest li.match").first).to_be_visible()
    expect(page.locator("#saved-plan")).to_have_count(0)
    page.select_option("#target", TARGET)
    site.navigate(lambda: page.click("#target-form button[type=submit]"))
    assert page.evaluate("location.hash") == f"#/career/{TARGET}"

    # The plan the page offers is developmentPlan's; saving it stores the same items.
    offered = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { developmentPlan(from: $p, to: $t) {
        totalHours items { resource { id } competency { id } fromLevel toLevel } } }""",
                                  {"p": {"personId": PRIYA}, "t": TARGET}, token)["developmentPlan"]
    assert offered["items"]
    hours = resource_hours(site.server)
    total = sum(hours[r] for r in {i["resource"]["id"] for i in offered["items"]})    # a resource counts once
    assert total == pytest.approx(offered["totalHours"])
    page.click("#save-plan")
    expect(page.locator("#saved-plan")).to_be_visible()
    expect(page.locator("#saved-plan-title")).to_contain_text("My plan")
    expect(page.locator("#saved-plan-title")).to_be_focused()
    shows_progress(site, 0, total)
    saved = plan_of(site.server, token)
    assert saved is not None and saved["target"]["id"] == TARGET
    assert saved["totalHours"] == pytest.approx(total) and saved["doneHours"] == 0 and saved["progress"] == 0
    key = lambda i: (i["resource"]["id"], i["competency"]["id"], i["fromLevel"], i["toLevel"])  # noqa: E731
    assert [key(i) for i in saved["items"]] == [key(i) for i in offered["items"]]
    rows = page.locator("#saved-plan-items tbody tr").evaluate_all(
        "els => els.map((tr) => [tr.dataset.resourceId, tr.dataset.competencyId, tr.dataset.done])")
    assert rows == [[i["resource"]["id"], i["competency"]["id"], "false"] for i in saved["items"]]
    expect(page.locator("#plan-actions")).to_contain_text("Saved as your plan")

    # Mark one item done (a resource that serves only this item): progress = its hours / total.
    counts: dict[str, int] = {}
    for i in saved["items"]:
        counts[i["resource"]["id"]] = counts.get(i["resource"]["id"], 0) + 1
    item = next(i for i in saved["items"] if counts[i["resource"]["id"]] == 1 and hours[i["resource"]["id"]] > 0)
    rid, cid = item["resource"]["id"], item["competency"]["id"]
    row = page.locator(f"#saved-plan-items tr[data-resource-id='{rid}'][data-competency-id='{cid}']")
    row.locator("button.mark-done").click()
    expect(row).to_have_attribute("data-done", "true")
    expect(row).to_contain_text("Done on")
    done = hours[rid]
    shows_progress(site, done, total)
    expect(page.locator("#saved-plan-status")).to_contain_text(f"is {pct(done / total)} done")
    expect(page.locator("#saved-plan-status")).to_contain_text(f"level {item['toLevel']}")

    def check_done(plan: dict[str, Any] | None) -> None:
        assert plan is not None and plan["target"]["id"] == TARGET
        assert plan["doneHours"] == pytest.approx(done)
        assert plan["progress"] == pytest.approx(done / total, abs=1e-6)   # the API rounds to 6 places
        marked = [i for i in plan["items"] if i["done"]]
        assert [(i["resource"]["id"], i["competency"]["id"]) for i in marked] == [(rid, cid)]
        assert marked[0]["doneAt"]
        # The completion is an assessment (SELF: Priya marked it) at the item's level, with the evidence.
        evidenced = [a for a in assessments(site.server, PRIYA) if a["competency"] == cid and a["level"] == item["toLevel"]
                     and any(e["kind"] == "course completion" for e in a["evidence"])]
        assert [a["source"] for a in evidenced] == ["SELF"]

    check_done(plan_of(site.server, token))

    # Restart: the plan and its progress persisted; #/career opens on the saved target.
    restart(site.server)
    check_done(plan_of(site.server, token))
    site.goto("#/career")
    assert page.evaluate("location.hash") == f"#/career/{TARGET}"
    expect(page.locator("#saved-plan")).to_be_visible()
    shows_progress(site, done, total)
    expect(page.locator(f"#saved-plan-items tr[data-resource-id='{rid}']")).to_have_attribute("data-done", "true")
    # The overview is still one link away.
    site.goto("#/career?overview=1")
    expect(page.locator("#saved-plan-note")).to_contain_text("Staff Software Engineer")
    expect(page.locator("#saved-target-link")).to_have_attribute("href", f"#/career/{TARGET}")

    # Clear the plan: asked once more, then gone (also after a restart); the assessment stays.
    site.goto(f"#/career/{TARGET}")
    page.click("#clear-plan")
    expect(page.locator("#clear-confirm")).to_be_visible()
    page.click("#clear-plan-confirm")
    expect(page.locator("#saved-plan")).to_have_count(0)
    expect(page.locator("#save-plan")).to_be_visible()
    expect(page.locator("#plan-action-status")).to_contain_text("cleared")
    assert plan_of(site.server, token) is None
    restart(site.server)
    assert plan_of(site.server, token) is None
    assert any(a["competency"] == cid and any(e["kind"] == "course completion" for e in a["evidence"])
               for a in assessments(site.server, PRIYA))
    site.goto("#/career")
    assert page.evaluate("location.hash") == "#/career"
    site.assert_no_console_errors()


def test_a_manager_saves_and_completes_for_their_report_in_the_third_person(site: Site) -> None:
    token = site.sign_in(GRACE, f"#/career/{TARGET}?person={PRIYA}")
    page = site.page
    # Copy about someone else says their name, not "you".
    expect(page.locator("main h1")).to_have_text("Career: Priya Raman")
    expect(page.locator("#closest-title")).to_have_text("Roles Priya is closest to")
    expect(page.locator("#target-form button[type=submit]")).to_have_text("Show Priya’s path")
    expect(page.locator("#path-title")).to_have_text("Priya’s path to Staff Software Engineer")
    expect(page.locator("#gap-title")).to_have_text("Priya’s gap to Staff Software Engineer")
    speaks_of_priya(site)

    if plan_of(site.server, token) is not None:
        site.server.graphql("mutation($p: ID!) { clearPlan(personId: $p) { id } }", {"p": PRIYA}, token)
        site.goto(f"#/career/{TARGET}?person={PRIYA}")
    expect(page.locator("#save-plan")).to_have_text("Save as Priya’s target and plan")
    page.click("#save-plan")
    expect(page.locator("#saved-plan-title")).to_have_text("★ Priya’s plan: towards Staff Software Engineer")
    speaks_of_priya(site)
    saved = plan_of(site.server, token)
    assert saved is not None
    counts: dict[str, int] = {}
    for i in saved["items"]:
        counts[i["resource"]["id"]] = counts.get(i["resource"]["id"], 0) + 1
    item = next(i for i in saved["items"] if counts[i["resource"]["id"]] == 1 and i["resource"]["hours"] > 0)
    rid, cid = item["resource"]["id"], item["competency"]["id"]
    row = page.locator(f"#saved-plan-items tr[data-resource-id='{rid}'][data-competency-id='{cid}']")
    page.fill("#done-at", "2026-11-30")
    row.locator("button.mark-done").click()
    expect(row).to_have_attribute("data-done", "true")
    expect(row).to_contain_text("Done on 30 Nov 2026")
    shows_progress(site, item["resource"]["hours"], saved["totalHours"])

    # A manager's completion is a MANAGER assessment on that date: it is the level that counts now.
    def counts_now() -> None:
        profile = site.server.graphql("""query($id: ID!) { person(id: $id) { proficiencies { competency { id } level source at } } }""",
                                      {"id": PRIYA}, token)["person"]["proficiencies"]
        effective = next(p for p in profile if p["competency"]["id"] == cid)
        assert (effective["level"], effective["source"], effective["at"]) == (item["toLevel"], "MANAGER", "2026-11-30")
        evidenced = [a for a in assessments(site.server, PRIYA) if a["competency"] == cid and a["source"] == "MANAGER"
                     and a["at"] == "2026-11-30" and any(e["kind"] == "course completion" for e in a["evidence"])]
        assert len(evidenced) == 1 and evidenced[0]["level"] == item["toLevel"]
        plan = plan_of(site.server, token)
        assert plan is not None
        assert plan["doneHours"] == pytest.approx(item["resource"]["hours"])
        assert [i["doneAt"] for i in plan["items"] if i["done"]] == ["2026-11-30"]

    counts_now()
    restart(site.server)
    counts_now()
    # The gap on the page moved with the assessment (it was refreshed after the completion).
    site.goto(f"#/career/{TARGET}?person={PRIYA}")
    gap = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { gap(from: $p, to: $t) { totalGap } }""",
                              {"p": {"personId": PRIYA}, "t": TARGET}, token)["gap"]
    expect(page.locator("#gap-total")).to_have_text(num(gap["totalGap"]))
    site.server.graphql("mutation($p: ID!) { clearPlan(personId: $p) { id } }", {"p": PRIYA}, token)
    site.assert_no_console_errors()


# --- what if -------------------------------------------------------------------------------------

def test_what_if_lists_the_roles_that_change(site: Site) -> None:
    token = site.sign_in(PRIYA, f"#/career/{TARGET}")
    page = site.page
    gap = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { gap(from: $p, to: $t) {
        items { competency { id name } required current deficit } } }""", {"p": {"personId": PRIYA}, "t": TARGET}, token)["gap"]
    short = max(gap["items"], key=lambda i: (i["deficit"], i["competency"]["id"]))
    assert short["deficit"] > 0
    cid, level = short["competency"]["id"], short["required"]
    page.select_option("#what-if-level", str(level))
    page.select_option("#what-if-competency", cid)
    page.click("#what-if-submit")
    expect(page.locator("#what-if-results")).to_be_visible()
    changes = site.server.graphql("""query($p: ProfileInput!, $r: [ProficiencyInput!]!) { whatIf(from: $p, raise: $r) {
        role { id } before { gap readiness verdict } after { gap readiness verdict } } }""",
                                  {"p": {"personId": PRIYA}, "r": [{"competencyId": cid, "level": level}]}, token)["whatIf"]
    assert changes and any(c["role"]["id"] == TARGET for c in changes)
    rows = page.locator("#what-if-results tbody tr")
    assert rows.evaluate_all("els => els.map((tr) => tr.dataset.roleId)") == [c["role"]["id"] for c in changes]
    for c in changes:
        row = page.locator(f"#what-if-results tr[data-role-id='{c['role']['id']}']")
        expect(row.locator(".what-if-readiness .before")).to_have_text(pct(c["before"]["readiness"]))
        expect(row.locator(".what-if-readiness .after")).to_have_text(pct(c["after"]["readiness"]))
        expect(row.locator(".what-if-gap .before")).to_have_text(num(c["before"]["gap"]))
        expect(row.locator(".what-if-gap .after")).to_have_text(num(c["after"]["gap"]))
        expect(row.locator(".what-if-verdict")).to_contain_text(
            {"READY": "Ready", "UPSKILL": "Upskill", "RESKILL": "Reskill"}[c["after"]["verdict"]])
    # Reaching the target's required level there lowers its gap.
    target = next(c for c in changes if c["role"]["id"] == TARGET)
    assert target["after"]["gap"] < target["before"]["gap"]
    expect(page.locator(f"#what-if-results tr[data-role-id='{TARGET}']")).to_contain_text("(target)")
    # The question is in the URL: a reload asks it again.
    assert f"if={cid}%3A{level}" in page.url or f"if={cid}:{level}" in page.url
    site.navigate(page.reload)
    expect(page.locator("#what-if-results tbody tr")).to_have_count(len(changes))
    expect(page.locator("#what-if-competency")).to_have_value(cid)
    site.assert_no_console_errors()
