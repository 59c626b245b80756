"""Talent pools and career interests (issue 14) in the site, and the fixes of a new user's trial, in a real Chromium
against the real server:

1. Succession: a manager nominates people under them for a role (with a note) and withdraws a nomination; the stored
   slate is shown beside the computed candidates (readiness, gap, bucket, who nominated them), candidates carry
   "Nominated" / "Interested" badges, and the slate downloads as CSV; HR sees (and nominates in) everyone's pool;
2. My career: choosing a target shows its path at once; an employee marks the target as interesting and takes it back;
   their manager and HR see their interests on the person page;
3. sign-in lands a manager on My team, HR on the editor, an employee on My career;
4. the person page's self-assessment records only the rows the person changed (the others say "Unchanged");
5. a role no move leads into links HR to the editor's Moves section.

Every write is read back through GraphQL with the page's own token, checked against numbers computed here from the
role's requirements and the person's proficiencies, and read back again after the server restarted on its store.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from graph.store.embedded import read_store_file

from .conftest import Site, SiteServer, num, pct

PRIYA, CHEN, GRACE, HR_PERSON = "priya-raman", "chen-wei", "grace-lindqvist", "margaret-okonkwo"
ROLE = "senior-software-engineer"
TARGET = "staff-software-engineer"

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

POOL = """query($r: ID!, $m: ID) { talentPool(role: $r, manager: $m) {
    person { id name role { title } } nominatedBy { id name } at note gap readiness bucket interested } }"""
SUCCESSORS = """query($r: ID!, $m: ID) { successors(role: $r, limit: 30, manager: $m) {
    candidates { person { id name } gap readiness bucket nominated interested } } }"""
REQUIREMENTS = """query($r: ID!) { role(id: $r) { title requirements { level weight competency { id } } } }"""
LEVELS = """query($id: ID!) { person(id: $id) { proficiencies { level source at competency { id } } } }"""
INTERESTS = """query($id: ID!) { person(id: $id) { interests { role { id title } at } } }"""


@pytest.fixture(scope="module")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A server of this module's own: the tests write, and restart it on the same store."""
    server = SiteServer(tmp_path_factory.mktemp("pools")).start()
    yield server
    server.stop()


def restart(server: SiteServer) -> None:
    """Stop the server and start it again on the same store file and port: only what was stored survives."""
    server.restart()


def day(iso: str) -> str:
    """What the site prints for a date (career.js dateText): "2026-12-03" → "3 Dec 2026"."""
    y, m, d = (int(x) for x in iso[:10].split("-"))
    return f"{d} {MONTHS[m - 1]} {y}"


def standing_by_hand(server: SiteServer, token: str, person: str, role: str) -> tuple[float, float, str]:
    """gap = Σ weight × levels short; readiness = 1 − gap / Σ weight × required; the bucket by the page's thresholds."""
    reqs = server.graphql(REQUIREMENTS, {"r": role}, token)["role"]["requirements"]
    levels = {p["competency"]["id"]: p["level"] for p in server.graphql(LEVELS, {"id": person}, token)["person"]["proficiencies"]}
    gap = sum(r["weight"] * max(0, r["level"] - levels.get(r["competency"]["id"], 0)) for r in reqs)
    readiness = 1 - gap / sum(r["weight"] * r["level"] for r in reqs)
    bucket = "READY_NOW" if readiness >= 0.9 else "READY_SOON" if readiness >= 0.7 else "READY_LATER"
    return gap, readiness, bucket


def download(site: Site, selector: str) -> tuple[str, list[list[str]]]:
    with site.page.expect_download() as caught:
        site.page.click(selector)
    raw = Path(caught.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return caught.value.suggested_filename, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def js(value: Any) -> str:
    """A number as JavaScript's String() writes it in a CSV cell."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def confirm(page: Page) -> None:
    page.locator("dialog.confirm[open] button[data-confirm='yes']").click()


def pool_rows(site: Site) -> list[str]:
    return site.page.locator("#pool-table tbody tr").evaluate_all("els => els.map((tr) => tr.dataset.personId)")


# --- 1. talent pools on Succession ----------------------------------------------------------------------

def test_a_manager_nominates_and_withdraws_and_the_pool_persists(site: Site) -> None:
    server = site.server
    token = site.sign_in(GRACE, f"#/succession/{ROLE}")
    page = site.page
    expect(page.locator("#talent-pool")).to_be_visible()
    expect(page.locator("#pool-body")).to_contain_text("Nobody is nominated")
    assert server.graphql(POOL, {"r": ROLE, "m": GRACE}, token)["talentPool"] == []
    expect(page.locator(".candidate .mark-nominated")).to_have_count(0)

    # Nominate Priya from her candidate card (with a note), Chen from the form (a note a spreadsheet would run).
    page.locator(f".candidate[data-person-id='{PRIYA}'] button.nominate").click()
    expect(page.locator("#nominate-person")).to_have_value(PRIYA)
    expect(page.locator("#nominate-note")).to_be_focused()
    page.fill("#nominate-note", "Led the payments migration, twice")
    page.click("#nominate-submit")
    expect(page.locator(f"#pool-table tr[data-person-id='{PRIYA}']")).to_be_visible()
    expect(page.locator("#pool-status")).to_have_text("Nominated Priya Raman for Senior Software Engineer.")
    page.select_option("#nominate-person", CHEN)
    page.fill("#nominate-note", "=1+1 is not a plan")
    page.click("#nominate-submit")
    expect(page.locator(f"#pool-table tr[data-person-id='{CHEN}']")).to_be_visible()
    # The form offers only who is not in the pool yet.
    offered = page.locator("#nominate-person option").evaluate_all("els => els.map((o) => o.value)")
    assert PRIYA not in offered and CHEN not in offered and offered

    def shows_pool(want: list[str]) -> list[dict[str, Any]]:
        """The page's pool is the API's (Grace's organisation), each readiness and gap as computed here."""
        pool = server.graphql(POOL, {"r": ROLE, "m": GRACE}, token)["talentPool"]
        assert sorted(m["person"]["id"] for m in pool) == sorted(want)
        assert [m["readiness"] for m in pool] == sorted((m["readiness"] for m in pool), reverse=True)   # most ready first
        expect(page.locator("#pool-table tbody tr")).to_have_count(len(want))
        assert pool_rows(site) == [m["person"]["id"] for m in pool]
        expect(page.locator("#pool-count")).to_have_text(str(len(want)))
        for m in pool:
            gap, readiness, bucket = standing_by_hand(server, token, m["person"]["id"], ROLE)
            assert m["gap"] == pytest.approx(gap) and m["readiness"] == pytest.approx(readiness, abs=1e-6)
            assert m["bucket"] == bucket and m["nominatedBy"] == {"id": GRACE, "name": "Grace Lindqvist"}
            row = page.locator(f"#pool-table tr[data-person-id='{m['person']['id']}']")
            expect(row.locator(".gap-value")).to_have_text(num(gap))
            expect(row.locator(".readiness-value")).to_have_text(pct(readiness))
            expect(row.locator(".bucket-word")).to_have_text({"READY_NOW": "Ready now", "READY_SOON": "Ready soon",
                                                               "READY_LATER": "Ready later"}[bucket])
            expect(row.locator(".pool-nomination")).to_contain_text(f"by Grace Lindqvist on {day(m['at'])}")
            # Its badge on the computed candidate, and no "Nominate" button there any more.
            card = page.locator(f".candidate[data-person-id='{m['person']['id']}']")
            expect(card.locator(".mark-nominated")).to_have_text("★ Nominated")
            expect(card.locator("button.nominate")).to_have_count(0)
        flags = {c["person"]["id"]: c["nominated"] for c in server.graphql(SUCCESSORS, {"r": ROLE, "m": GRACE}, token)["successors"]["candidates"]}
        assert {p for p, nominated in flags.items() if nominated} == set(want)
        return pool

    pool = shows_pool([PRIYA, CHEN])
    notes = {m["person"]["id"]: m["note"] for m in pool}
    assert notes == {PRIYA: "Led the payments migration, twice", CHEN: "=1+1 is not a plan"}
    expect(page.locator(f"#pool-table tr[data-person-id='{PRIYA}'] .pool-note")).to_have_text("“Led the payments migration, twice”")
    priya = next(m for m in pool if m["person"]["id"] == PRIYA)
    assert (priya["bucket"], round(priya["readiness"], 2)) == ("READY_SOON", 0.85)     # 5.5 short of 36.5

    # The slate as CSV: the API's pool row by row, the note quoted, the formula neutralised.
    name, rows = download(site, "#pool-csv")
    assert name == "talent-pool-senior-software-engineer.csv"
    assert rows[0] == ["Role ID", "Role", "Person ID", "Person", "Current role", "Nominated by", "Nominated on", "Note",
                       "Interested", "Bucket", "Readiness", "Gap"]
    words = {"READY_NOW": "Ready now", "READY_SOON": "Ready soon", "READY_LATER": "Ready later"}
    assert rows[1:] == [[ROLE, "Senior Software Engineer", m["person"]["id"], m["person"]["name"], m["person"]["role"]["title"],
                         "Grace Lindqvist", m["at"], ("'" if m["note"].startswith("=") else "") + m["note"], js(m["interested"]),
                         words[m["bucket"]], js(m["readiness"]), js(m["gap"])] for m in pool]

    # Restart: the nominations were stored.
    restart(server)
    site.goto(f"#/succession/{ROLE}")
    shows_pool([PRIYA, CHEN])

    # Withdraw Chen (asked first): out of the pool, his candidate card offers "Nominate" again.
    page.locator(f"#pool-table tr[data-person-id='{CHEN}'] button.withdraw").click()
    confirm(page)
    expect(page.locator(f"#pool-table tr[data-person-id='{CHEN}']")).to_have_count(0)
    expect(page.locator("#pool-status")).to_contain_text("Withdrew Chen Wei’s nomination")
    expect(page.locator(f".candidate[data-person-id='{CHEN}'] .mark-nominated")).to_have_count(0)
    expect(page.locator(f".candidate[data-person-id='{CHEN}'] button.nominate")).to_be_visible()
    shows_pool([PRIYA])
    restart(server)
    site.goto(f"#/succession/{ROLE}")
    shows_pool([PRIYA])
    site.assert_no_console_errors()


def test_hr_sees_and_nominates_across_the_organisation(site: Site) -> None:
    server = site.server
    token = site.sign_in(HR_PERSON, f"#/succession/{ROLE}")
    page = site.page
    candidates = server.graphql(SUCCESSORS, {"r": ROLE, "m": None}, token)["successors"]["candidates"]
    under_grace = {p["id"] for p in server.graphql('{ person(id: "grace-lindqvist") { reports { id } } }', None, token)["person"]["reports"]}
    outsider = next(c for c in candidates if c["person"]["id"] not in under_grace and not c["nominated"])
    page.select_option("#nominate-person", outsider["person"]["id"])
    page.click("#nominate-submit")
    expect(page.locator(f"#pool-table tr[data-person-id='{outsider['person']['id']}']")).to_be_visible()
    everyone = server.graphql(POOL, {"r": ROLE, "m": None}, token)["talentPool"]
    by = {m["person"]["id"]: (m["nominatedBy"] or {}).get("id") for m in everyone}
    assert by.get(outsider["person"]["id"]) == HR_PERSON
    assert pool_rows(site) == [m["person"]["id"] for m in everyone]
    gap, readiness, _ = standing_by_hand(server, token, outsider["person"]["id"], ROLE)
    row = page.locator(f"#pool-table tr[data-person-id='{outsider['person']['id']}']")
    expect(row.locator(".readiness-value")).to_have_text(pct(readiness))
    expect(row.locator(".gap-value")).to_have_text(num(gap))
    expect(row.locator(".pool-nomination")).to_contain_text("by Margaret Okonkwo")
    restart(server)

    # Grace sees her organisation's pool only: not the person HR nominated from elsewhere.
    site.page.evaluate("sessionStorage.clear()")
    grace = site.sign_in(GRACE, f"#/succession/{ROLE}")
    mine = server.graphql(POOL, {"r": ROLE, "m": GRACE}, grace)["talentPool"]
    assert outsider["person"]["id"] not in {m["person"]["id"] for m in mine}
    assert pool_rows(site) == [m["person"]["id"] for m in mine]
    site.assert_no_console_errors()


# --- 2. career interests, and the target that shows its path at once ---------------------------------------

def test_an_employee_marks_a_role_as_interesting_and_their_manager_sees_it(site: Site) -> None:
    server = site.server
    token = site.sign_in(PRIYA, "#/career?overview=1")
    page = site.page
    # Choosing the target is enough: no second click on "Show my path".
    site.navigate(lambda: page.select_option("#target", TARGET))
    assert page.evaluate("location.hash") == f"#/career/{TARGET}"
    paths = server.graphql("""query($p: ProfileInput!, $t: ID!) { careerPath(from: $p, to: $t) { totalGap steps { role { id } } } }""",
                           {"p": {"personId": PRIYA}, "t": TARGET}, token)["careerPath"]
    expect(page.locator("#path-total")).to_have_text(num(paths[0]["totalGap"]))
    expect(page.locator("#path-steps > li")).to_have_count(len(paths[0]["steps"]))
    expect(page.locator("#path-title")).to_be_focused()

    toggle = page.locator("#interest-toggle")
    expect(toggle).to_have_text("♡ I’m interested in Staff Software Engineer")
    expect(page.locator("#interest-summary")).to_contain_text("You have not said")
    toggle.click()
    expect(toggle).to_have_attribute("data-interested", "true")
    expect(toggle).to_have_text("♥ Interested in Staff Software Engineer — take it back")
    expect(page.locator("#interest-status")).to_contain_text("Your manager and HR see it")

    def interests(who: str = token) -> list[dict[str, Any]]:
        return server.graphql(INTERESTS, {"id": PRIYA}, who)["person"]["interests"]

    said = interests()
    assert [i["role"]["id"] for i in said] == [TARGET]
    expect(page.locator(f"#interest-list li[data-role-id='{TARGET}'] a")).to_have_text("Staff Software Engineer")
    expect(page.locator(f"#interest-list li[data-role-id='{TARGET}']")).to_contain_text(f"since {day(said[0]['at'])}")
    expect(page.locator(f"#interest-list li[data-role-id='{TARGET}'] a")).to_have_attribute("href", f"#/career/{TARGET}")

    restart(server)
    assert [i["role"]["id"] for i in interests()] == [TARGET]
    site.goto(f"#/career/{TARGET}")
    expect(page.locator("#interest-toggle")).to_have_attribute("data-interested", "true")
    # Her own person page lists it too.
    site.goto(f"#/person/{PRIYA}")
    expect(page.locator(f"#person-interests li[data-role-id='{TARGET}']")).to_contain_text("Staff Software Engineer")

    # Her manager sees it on the person page and on her career page (words, no button: it is Priya's own word),
    # and as a badge on the Succession candidates for that role.
    page.evaluate("sessionStorage.clear()")
    grace = site.sign_in(GRACE, f"#/person/{PRIYA}")
    assert [i["role"]["id"] for i in interests(grace)] == [TARGET]
    expect(page.locator("#interests-title")).to_have_text("Roles Priya is interested in")
    item = page.locator(f"#person-interests li[data-role-id='{TARGET}']")
    expect(item).to_contain_text(f"since {day(said[0]['at'])}")
    expect(item.locator("a")).to_have_attribute("href", f"#/career/{TARGET}?person={PRIYA}")
    site.goto(f"#/career/{TARGET}?person={PRIYA}")
    expect(page.locator("#interest-toggle")).to_have_count(0)
    expect(page.locator("#interest-mark")).to_contain_text("Priya said Staff Software Engineer interests them")
    site.goto(f"#/succession/{TARGET}")
    flags = {c["person"]["id"]: c["interested"] for c in server.graphql(SUCCESSORS, {"r": TARGET, "m": GRACE}, grace)["successors"]["candidates"]}
    assert flags[PRIYA] is True and not any(v for k, v in flags.items() if k != PRIYA)
    expect(page.locator(f".candidate[data-person-id='{PRIYA}'] .mark-interested")).to_have_text("♥ Interested")
    expect(page.locator(".candidate .mark-interested")).to_have_count(1)

    # HR sees it on the person page as well.
    page.evaluate("sessionStorage.clear()")
    site.sign_in(HR_PERSON, f"#/person/{PRIYA}")
    expect(page.locator(f"#person-interests li[data-role-id='{TARGET}']")).to_be_visible()

    # Priya takes it back: gone, also after a restart.
    page.evaluate("sessionStorage.clear()")
    site.sign_in(PRIYA, f"#/career/{TARGET}")
    page.click("#interest-toggle")
    expect(page.locator("#interest-toggle")).to_have_attribute("data-interested", "false")
    expect(page.locator("#interest-status")).to_contain_text("Taken back")
    expect(page.locator("#interest-list")).to_have_count(0)
    assert interests() == []
    restart(server)
    assert interests() == []
    site.goto(f"#/person/{PRIYA}")
    expect(page.locator("#person-interests")).to_have_count(0)
    expect(page.locator("#interests")).to_contain_text("You have not said that any role interests you yet")
    site.assert_no_console_errors()


# --- 3. where sign-in lands -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("person", "landing"), [(GRACE, "#/team"), (HR_PERSON, "#/editor"), (PRIYA, "#/career")])
def test_sign_in_lands_where_the_persons_work_is(site: Site, person: str, landing: str) -> None:
    page = site.goto("#/")
    site.navigate(lambda: page.click("#sign-in"))           # the header's link, from the home page
    assert page.evaluate("location.hash") == "#/signin"
    expect(page.locator("#signin-lead")).to_contain_text("a manager on My team")
    site.navigate(lambda: page.locator(f"button[data-person-id='{person}']").click())
    expect(page.locator("#viewer-name")).to_be_visible()
    assert page.evaluate("location.hash") == landing
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("main .error-box")).to_have_count(0)
    # A page that asked for sign-in is still where one goes back to: the header's link remembers it.
    site.navigate(lambda: page.click("#sign-out"))
    site.goto("#/architecture")
    expect(page.locator("#sign-in")).to_have_attribute("href", "#/signin?next=%23%2Farchitecture")
    site.navigate(lambda: page.click("#sign-in"))
    site.navigate(lambda: page.locator(f"button[data-person-id='{person}']").click())
    expect(page.locator("#viewer-name")).to_be_visible()
    assert page.evaluate("location.hash") == "#/architecture"
    site.assert_no_console_errors()


# --- 4. the self-assessment records only what changed -----------------------------------------------------------

def test_self_assessment_records_only_the_rows_changed(site: Site) -> None:
    server = site.server
    token = site.sign_in(PRIYA, f"#/person/{PRIYA}")
    page = site.page
    before = {p["competency"]["id"]: p for p in server.graphql(LEVELS, {"id": PRIYA}, token)["person"]["proficiencies"]}
    stored = lambda: [a for a in read_store_file(Path(server.folder, "store.json"))[1]["assessments"]  # noqa: E731
                      if a["person"] == PRIYA]
    seen = [json.dumps(a, sort_keys=True) for a in stored()]
    page.check("#pick-testing")
    page.check("#pick-collaboration")
    for cid in ("testing", "collaboration"):
        card = page.locator(f".checkin-item[data-competency-id='{cid}']")
        expect(card).to_have_attribute("data-changed", "false")
        expect(card.locator(".checkin-change")).to_have_text("Unchanged: not recorded.")
        expect(page.locator(f"#checkin-level-{cid}")).to_have_value("")
        assert page.locator(f"#checkin-level-{cid} option:checked").inner_text().startswith(f"Unchanged (now {before[cid]['level']}")
    # Nothing chosen: nothing is sent.
    page.click("#checkin-submit")
    expect(page.locator("#checkin-error")).to_have_attribute("data-code", "UNCHANGED")
    assert sorted(json.dumps(a, sort_keys=True) for a in stored()) == sorted(seen)

    new_level = before["testing"]["level"] + 1
    page.select_option("#checkin-level-testing", str(new_level))
    card = page.locator(".checkin-item[data-competency-id='testing']")
    expect(card).to_have_attribute("data-changed", "true")
    expect(card.locator(".checkin-change")).to_have_text(f"Records level {new_level} (was {before['testing']['level']}).")
    page.click("#checkin-submit")
    testing = server.graphql('{ competency(id: "testing") { name } }')["competency"]["name"]
    expect(page.locator("#checkin-done")).to_contain_text(f": {testing} at level {new_level}.")
    expect(page.locator("#checkin-done")).to_contain_text("1 competency left unchanged, not recorded")
    assert len(page.locator("#checkin-done").get_attribute("data-ids").split(",")) == 1
    expect(page.locator("#checkin-message")).to_be_focused()        # the page has reloaded what changed

    def read_back() -> None:
        added = [a for a in stored() if json.dumps(a, sort_keys=True) not in seen]
        assert [(a["competency"], a["level"], a["source"]) for a in added] == [("testing", new_level, "SELF")]
        now = {p["competency"]["id"]: p for p in server.graphql(LEVELS, {"id": PRIYA}, token)["person"]["proficiencies"]}
        assert now["collaboration"] == before["collaboration"]                 # untouched: as it was

    read_back()
    restart(server)
    read_back()
    site.goto(f"#/person/{PRIYA}")
    expect(page.locator("#proficiency-table tr[data-competency-id='collaboration']")).to_have_attribute(
        "data-level", str(before["collaboration"]["level"]))
    site.assert_no_console_errors()


# --- 5. a role nobody can reach: HR is sent to the editor's Moves ---------------------------------------------------

def test_an_unreachable_role_links_hr_to_the_moves_editor(site: Site) -> None:
    server = site.server
    hr = site.sign_in(HR_PERSON, "#/editor")
    page = site.page
    server.graphql("""mutation { createRole(input: { id: "platform-architect", title: "Platform Architect", familyId: "software-engineering",
        levelId: "l5", trackId: "ic", requirements: [{ competencyId: "system-architecture", level: 4, weight: 2 }] }) { id } }""", None, hr)
    try:
        site.goto(f"#/career/platform-architect?person={PRIYA}")
        expect(page.locator("#no-path")).to_have_attribute("data-moves-into", "0")
        expect(page.locator("#path")).to_contain_text("No curated move leads into Platform Architect")
        expect(page.locator("#no-path-role")).to_have_attribute("href", "#/role/platform-architect")
        link = page.locator("#no-path-editor")
        expect(link).to_have_text("Add a move into Platform Architect in the editor")
        site.navigate(link.click)
        assert page.evaluate("location.hash") == "#/editor/moves?role=platform-architect"
        expect(page.locator("#moves-role")).to_have_value("platform-architect")
        # The editor's checks name it, and their link goes to its moves too.
        fix = page.locator("#checks-list li[data-code='UNREACHABLE_ROLE'] a.fix-moves")
        expect(fix).to_have_attribute("href", "#/editor/moves?role=platform-architect")
        # The role page says it to HR, with the same link.
        site.goto("#/role/platform-architect")
        expect(page.locator("#edit-moves")).to_contain_text("No move leads into Platform Architect")
        expect(page.locator("#edit-moves-link")).to_have_attribute("href", "#/editor/moves?role=platform-architect")
        # An employee gets the role page, not the editor.
        page.evaluate("sessionStorage.clear()")
        site.sign_in(PRIYA, "#/career/platform-architect")
        expect(page.locator("#no-path-role")).to_be_visible()
        expect(page.locator("#no-path-editor")).to_have_count(0)
        site.goto("#/role/platform-architect")
        expect(page.locator("#edit-moves")).to_have_count(0)
        site.assert_no_console_errors()
    finally:
        server.graphql('mutation { deleteRole(id: "platform-architect", cascade: true) { id } }', None, hr)
