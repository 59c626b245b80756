"""The site in a real browser against the real server: every page loads cleanly, and what a page shows is
what the API answers for the same viewer (the test asks the API with the page's own token)."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from .conftest import Site, SiteServer, num, open_site, pct

PRIYA, GRACE, HR_PERSON = "priya-raman", "grace-lindqvist", "margaret-okonkwo"
TARGET = "staff-software-engineer"

MATCH = "role { id title level { rank } } gap readiness verdict"


def ids(site: Site, selector: str, attribute: str = "data-role-id") -> list[str]:
    return site.page.locator(selector).evaluate_all(f"els => els.map((e) => e.getAttribute('{attribute}'))")


# --- every page ------------------------------------------------------------------------------------

PAGES = [
    ("home", None, "#/"),
    ("architecture", None, "#/architecture"),
    ("role", None, "#/role/senior-software-engineer"),
    ("self-assessment", None, "#/career"),
    ("sign-in", None, "#/signin"),
    ("career", PRIYA, f"#/career/{TARGET}"),
    ("succession", GRACE, "#/succession/senior-software-engineer"),
    ("team", GRACE, "#/team"),
    ("inventory", HR_PERSON, "#/inventory"),
]


@pytest.mark.parametrize(("who", "hash_"), [(who, hash_) for _, who, hash_ in PAGES], ids=[name for name, _, _ in PAGES])
def test_page_loads_without_console_errors(site: Site, who: str | None, hash_: str) -> None:
    if who:
        site.sign_in(who, hash_)
    else:
        site.goto(hash_)
    page = site.page
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("main .error-box")).to_have_count(0)
    assert page.title().endswith("— Trellis")
    # Landmarks, and a label for every control.
    for landmark in ("header", "nav[aria-label]", "main", "footer"):
        expect(page.locator(landmark)).to_have_count(1)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('main input, main select')]
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.closest('label')))
        .map((el) => el.id || el.name)""")
    assert not unlabelled, f"controls without a label: {unlabelled}"
    site.assert_no_console_errors()


# --- job architecture → role ----------------------------------------------------------------------

def test_job_architecture_to_role_page(site: Site) -> None:
    api = site.server.graphql("""{ roles(first: 100) { totalCount nodes { id track { name } requirements { competency { id } } } } }""")
    roles = api["roles"]["nodes"]
    page = site.goto("#/architecture")
    expect(page.locator("#architecture-grid .role-chip")).to_have_count(api["roles"]["totalCount"])
    management = {r["id"] for r in roles if r["track"] and r["track"]["name"] == "MANAGEMENT"}
    assert management and set(ids(site, "#architecture-grid .role-chip:has(.track-management)")) == management

    # Search by competency (and title): the highlighted roles are those the API finds.
    page.fill("#search", "SQL")
    page.press("#search", "Enter")
    expect(page.locator("#search-result")).to_contain_text("match")
    found = site.server.graphql("""query($q: String!) { roles(first: 100, search: $q) { nodes { id } }
        competencies(first: 100, search: $q) { nodes { id } } }""", {"q": "SQL"})
    comps = {c["id"] for c in found["competencies"]["nodes"]}
    expected = {r["id"] for r in found["roles"]["nodes"]} | {
        r["id"] for r in roles if any(req["competency"]["id"] in comps for req in r["requirements"])}
    assert expected and set(ids(site, "#architecture-grid .role-chip.match")) == expected
    assert "q=SQL" in page.url

    # To a role page.
    site.navigate(lambda: page.locator("#architecture-grid li[data-role-id='senior-software-engineer'] a").click())
    assert page.evaluate("location.hash") == "#/role/senior-software-engineer"
    role = site.server.graphql("""{ role(id: "senior-software-engineer") { title
        requirements { level weight essential competency { id name indicators { level text } } }
        movesTo { id } movesFrom { id } } }""")["role"]
    expect(page.locator("main h1")).to_have_text(role["title"])
    expect(page.locator("#requirements tbody tr")).to_have_count(len(role["requirements"]))
    for req in role["requirements"]:
        row = page.locator(f"#requirements tr[data-competency-id='{req['competency']['id']}']")
        expect(row.locator("th")).to_contain_text(req["competency"]["name"])
        expect(row.locator("td[data-label='Level'] .level-pill")).to_have_text(str(req["level"]))
        expect(row.locator("td[data-label='Weight']")).to_have_text(num(req["weight"]))
        expect(row.locator("td[data-label='Essential']")).to_contain_text("Essential" if req["essential"] else "No")
        wanted = [i["text"] for i in req["competency"]["indicators"] if i["level"] == req["level"]]
        assert wanted and row.locator(".indicators li").all_inner_texts() == wanted
    graph = page.locator("#moves-graph")
    expect(graph).to_have_attribute("data-nodes", str(1 + len(role["movesTo"]) + len(role["movesFrom"])))
    assert sorted(ids(site, "#moves-to a", "href")) == sorted(f"#/role/{r['id']}" for r in role["movesTo"])

    # A deep link reloads to the same view; a wrong one says "not found".
    site.navigate(page.reload)
    expect(page.locator("main h1")).to_have_text(role["title"])
    site.goto("#/role/no-such-role")
    expect(page.locator(".error-box[data-code='NOT_FOUND']")).to_contain_text("Not found")
    site.assert_no_console_errors()


# --- a person signs in and finds their path ---------------------------------------------------------

def test_signed_in_career_matches_the_api(site: Site) -> None:
    token = site.sign_in(PRIYA)           # lands on #/career
    page = site.page
    me: dict[str, Any] = {"personId": PRIYA}
    api = site.server.graphql(f"""query($p: ProfileInput!) {{
        up: closestRoles(from: $p, direction: UP, limit: 5) {{ {MATCH} }}
        lateral: closestRoles(from: $p, direction: LATERAL, limit: 5) {{ {MATCH} }} }}""", {"p": me}, token)
    for key in ("up", "lateral"):
        assert ids(site, f"#closest-{key} li.match") == [m["role"]["id"] for m in api[key]]
        for m in api[key]:
            card = page.locator(f"#closest-{key} li[data-role-id='{m['role']['id']}']")
            expect(card.locator(".readiness-value")).to_have_text(pct(m["readiness"]))
            expect(card.locator(".gap-value")).to_have_text(num(m["gap"]))
    assert all(m["role"]["level"]["rank"] > 2 for m in api["up"])      # Priya is a Software Engineer (level 2)

    # Choose a target.
    page.select_option("#target", TARGET)
    site.navigate(lambda: page.click("#target-form button[type=submit]"))
    assert page.evaluate("location.hash") == f"#/career/{TARGET}"
    paths_query = """query($p: ProfileInput!, $t: ID!, $k: Int!) { careerPath(from: $p, to: $t, k: $k) {
        totalGap directGap steps { gap role { id } } } }"""
    best = site.server.graphql(paths_query, {"p": me, "t": TARGET, "k": 1}, token)["careerPath"][0]

    def shows_path(path: dict[str, Any]) -> None:
        expect(page.locator("#path-total")).to_have_text(num(path["totalGap"]))
        expect(page.locator("#path-direct")).to_have_text(num(path["directGap"]))
        assert ids(site, "#path-steps > li") == [s["role"]["id"] for s in path["steps"]]
        assert page.locator("#path-steps .step-gap-value").all_inner_texts() == [num(s["gap"]) for s in path["steps"]]
        expect(page.locator("#path-graph")).to_have_attribute("data-nodes", str(len(path["steps"]) + 1))
        assert page.locator("#path-graph canvas").count() > 0

    shows_path(best)
    assert best["steps"][-1]["role"]["id"] == TARGET

    # Each step with its gap: the first step's detail is the gap from Priya's profile to that role.
    first = best["steps"][0]["role"]["id"]
    step_gap = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { gap(from: $p, to: $t) { totalGap } }""",
                                   {"p": me, "t": first}, token)["gap"]
    page.locator("#path-steps > li").first.locator("summary").click()
    expect(page.locator("#path-steps > li").first.locator(".step-detail")).to_contain_text(f"Gap {num(step_gap['totalGap'])}")

    # Alternatives: two paths, the second one selected; the URL keeps the choice.
    two = site.server.graphql(paths_query, {"p": me, "t": TARGET, "k": 2}, token)["careerPath"]
    assert len(two) == 2
    page.select_option("#k", "2")
    expect(page.locator("#alternatives input[type=radio]")).to_have_count(2)
    page.check("#alternatives input[value='2']")
    shows_path(two[1])
    assert "k=2" in page.url and "alt=2" in page.url
    site.navigate(page.reload)
    shows_path(two[1])

    # The gap, competency by competency, and the chart of current vs required.
    gap = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { gap(from: $p, to: $t) { totalGap readiness verdict
        items { competency { id } required current deficit status evidence indicators { text } } } }""",
                              {"p": me, "t": TARGET}, token)["gap"]
    expect(page.locator("#gap-total")).to_have_text(num(gap["totalGap"]))
    expect(page.locator("#gap-readiness")).to_have_text(pct(gap["readiness"]))
    assert ids(site, "#gap-items tbody tr", "data-competency-id") == [i["competency"]["id"] for i in gap["items"]]
    for item in gap["items"]:
        row = page.locator(f"#gap-items tr[data-competency-id='{item['competency']['id']}']")
        for label in ("required", "current", "deficit"):
            expect(row.locator(f"td[data-label='{label.title()}']")).to_have_text(str(item[label]))
        expect(row.locator(".gapstatus")).to_have_class(f"gapstatus gapstatus-{item['status'].lower()}")
        expect(row.locator(".evidence")).to_have_class(f"evidence evidence-{item['evidence'].lower().replace('_', '-')}")
    short = next(i for i in gap["items"] if i["deficit"] > 0)
    row = page.locator(f"#gap-items tr[data-competency-id='{short['competency']['id']}']")
    row.locator("summary").click()
    assert row.locator(".indicators li").all_inner_texts() == [i["text"] for i in short["indicators"]]
    chart = page.evaluate("""() => { const c = Chart.getChart('gap-chart');
        return { type: c.config.type, sets: Object.fromEntries(c.data.datasets.map((d) => [d.label, d.data])) }; }""")
    assert chart["sets"] == {"Required": [i["required"] for i in gap["items"]], "Current": [i["current"] for i in gap["items"]]}

    # The development plan and what to learn next.
    plan = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { developmentPlan(from: $p, to: $t) {
        totalHours items { resource { id } } } }""", {"p": me, "t": TARGET}, token)["developmentPlan"]
    expect(page.locator("#plan-hours")).to_have_text(num(plan["totalHours"]))
    assert ids(site, "#plan-items tbody tr", "data-resource-id") == [i["resource"]["id"] for i in plan["items"]]
    learn = site.server.graphql("""query($p: ProfileInput!, $t: ID) { learnNext(from: $p, target: $t, limit: 5) {
        competency { id } reason } }""", {"p": me, "t": TARGET}, token)["learnNext"]
    assert ids(site, "#learn-list > li", "data-competency-id") == [s["competency"]["id"] for s in learn]
    assert page.locator("#learn-list .reason").all_inner_texts() == [s["reason"] for s in learn]
    site.assert_no_console_errors()


def test_an_employee_sees_only_their_own(site: Site) -> None:
    site.sign_in(PRIYA)
    page = site.page
    for hidden in ("succession", "team", "inventory"):
        expect(page.locator(f"nav a[data-nav='{hidden}']")).to_be_hidden()
    site.goto("#/succession")
    expect(page.locator("main .error-box[data-code='FORBIDDEN']")).to_contain_text("do not have access")
    site.goto(f"#/career?person={GRACE}")
    expect(page.locator("main .error-box[data-code='FORBIDDEN']")).to_be_visible()
    site.navigate(lambda: page.click("#sign-out"))
    expect(page.locator("#sign-in")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('trellis.token')") is None
    site.assert_no_console_errors()


# --- a manager's succession and team pages ------------------------------------------------------------

def test_manager_succession_and_team(site: Site) -> None:
    token = site.sign_in(GRACE, "#/succession")
    page = site.page
    role = "senior-software-engineer"
    site.navigate(lambda: page.select_option("#succession-role", role))
    assert page.evaluate("location.hash") == f"#/succession/{role}"
    report = site.server.graphql("""query($r: ID!, $m: ID) { successors(role: $r, limit: 30, manager: $m) {
        benchStrength poolSize candidates { person { id name } gap readiness bucket } } }""",
                                 {"r": role, "m": GRACE}, token)["successors"]
    assert report["candidates"]
    expect(page.locator("#bench-strength")).to_have_text(str(report["benchStrength"]))
    expect(page.locator("#pool-size")).to_have_text(str(report["poolSize"]))
    for bucket in ("READY_NOW", "READY_SOON", "READY_LATER"):
        want = [c for c in report["candidates"] if c["bucket"] == bucket]
        assert ids(site, f".bucket[data-bucket='{bucket}'] li.candidate", "data-person-id") == [c["person"]["id"] for c in want]
        for c in want:
            card = page.locator(f"li.candidate[data-person-id='{c['person']['id']}']")
            expect(card.locator(".readiness-value")).to_have_text(pct(c["readiness"]))
            expect(card.locator(".gap-value")).to_have_text(num(c["gap"]))

    # Compare two candidates side by side.
    a, b = (c["person"] for c in report["candidates"][:2])
    page.check(f"#cmp-{a['id']}")
    page.check(f"#cmp-{b['id']}")
    table = page.locator("#compare-table")
    expect(table.locator("thead")).to_contain_text(a["name"])
    expect(table.locator("thead")).to_contain_text(b["name"])
    gaps = site.server.graphql("""query($a: ProfileInput!, $b: ProfileInput!, $t: ID!) {
        a: gap(from: $a, to: $t) { totalGap items { competency { id } } } b: gap(from: $b, to: $t) { totalGap } }""",
                               {"a": {"personId": a["id"]}, "b": {"personId": b["id"]}, "t": role}, token)
    totals = table.locator("tr.totals td").all_inner_texts()
    assert totals[1].startswith(num(gaps["a"]["totalGap"])) and totals[2].startswith(num(gaps["b"]["totalGap"]))
    expect(table.locator("tbody tr[data-competency-id]")).to_have_count(len(gaps["a"]["items"]))
    query = urllib.parse.parse_qs(page.url.split("?", 1)[1])
    assert query["a"] == [a["id"]] and query["b"] == [b["id"]]

    # My team: the heatmap, the top three gaps, who is below their role's level.
    site.navigate(lambda: page.click("nav a[data-nav='team']"))
    heat = site.server.graphql("""query($m: ID!) { teamHeatmap(manager: $m, depth: 1) {
        people { id } cells { person { id } competency { id } deficit }
        topGaps { competency { id } totalDeficit } } }""", {"m": GRACE}, token)["teamHeatmap"]
    assert ids(site, "#heatmap tbody tr", "data-person-id") == [p["id"] for p in heat["people"]]
    shown = page.locator("#heatmap td[data-deficit]").evaluate_all(
        "els => els.map((td) => [td.closest('tr').dataset.personId, td.dataset.competencyId, Number(td.dataset.deficit)])")
    assert sorted(map(tuple, shown)) == sorted((c["person"]["id"], c["competency"]["id"], c["deficit"]) for c in heat["cells"])
    top = heat["topGaps"][:3]
    assert ids(site, "#top-gaps > li", "data-competency-id") == [g["competency"]["id"] for g in top]
    assert page.locator("#top-gaps .gap-value").all_inner_texts() == [num(g["totalDeficit"]) for g in top]
    below = sorted({c["person"]["id"] for c in heat["cells"] if c["deficit"] > 0})
    assert sorted(ids(site, "#below > li", "data-person-id")) == below
    site.assert_no_console_errors()


# --- self-assessment, no sign-in -----------------------------------------------------------------------

def test_self_assessment_without_sign_in(site: Site) -> None:
    page = site.goto("#/career")
    expect(page.locator("#sign-in")).to_be_visible()
    framework = site.server.graphql("""{ framework { scale { level } } competencies(first: 100) { totalCount }
        role(id: "software-engineer") { level { rank } requirements { level competency { id } } } }""")
    expect(page.locator("#self-form select[data-competency-id]")).to_have_count(framework["competencies"]["totalCount"])
    expect(page.locator("#self-form select[data-competency-id]").first.locator("option")).to_have_count(
        1 + len(framework["framework"]["scale"]))

    # Start from a role's levels, adjust one, submit.
    page.select_option("#from-role", "software-engineer")
    page.click("#prefill")
    for req in framework["role"]["requirements"]:
        expect(page.locator(f"#level-{req['competency']['id']}")).to_have_value(str(req["level"]))
    page.select_option("#level-sql-analytics", "3")
    site.navigate(lambda: page.click("#self-submit"))
    query = urllib.parse.parse_qs(page.url.split("?", 1)[1])
    assert query["from"] == ["software-engineer"]
    levels = [{"competencyId": c, "level": int(v)} for c, v in (p.split(":") for p in query["levels"][0].split(","))]
    assert {"competencyId": "sql-analytics", "level": 3} in levels
    profile = {"proficiencies": levels, "currentRoleId": "software-engineer"}   # held in the role it started from

    # Closest roles for the typed-in profile, split by level around the role it started from.
    closest = site.server.graphql(f"""query($p: ProfileInput!) {{ closestRoles(from: $p, limit: 12) {{ {MATCH} }} }}""",
                                  {"p": profile})["closestRoles"]
    closest = [m for m in closest if m["role"]["id"] != "software-engineer"]     # where the profile started
    rank = framework["role"]["level"]["rank"]
    up = [m for m in closest if m["role"]["level"]["rank"] > rank][:5]
    lateral = [m for m in closest if m["role"]["level"]["rank"] <= rank][:5]
    assert ids(site, "#closest-up li.match") == [m["role"]["id"] for m in up]
    assert ids(site, "#closest-lateral li.match") == [m["role"]["id"] for m in lateral]
    for m in up + lateral:
        expect(page.locator(f"li.match[data-role-id='{m['role']['id']}'] .readiness-value")).to_have_text(pct(m["readiness"]))

    # Pick the closest step-up role as the target: path, gap and chart, from the typed-in profile.
    target = up[0]["role"]["id"]
    site.navigate(lambda: page.locator(f"#closest-up li[data-role-id='{target}'] a.match-title").click())
    assert page.evaluate("location.hash").startswith(f"#/career/{target}?")
    answer = site.server.graphql("""query($p: ProfileInput!, $t: ID!) { gap(from: $p, to: $t) { totalGap readiness }
        developmentPlan(from: $p, to: $t) { totalHours } careerPath(from: $p, to: $t) { totalGap } }""",
                                 {"p": profile, "t": target})
    for _ in range(2):      # and the same after a reload: the profile lives in the URL
        expect(page.locator("#gap-total")).to_have_text(num(answer["gap"]["totalGap"]))
        expect(page.locator("#gap-readiness")).to_have_text(pct(answer["gap"]["readiness"]))
        expect(page.locator("#plan-hours")).to_have_text(num(answer["developmentPlan"]["totalHours"]))
        if answer["careerPath"]:
            expect(page.locator("#path-total")).to_have_text(num(answer["careerPath"][0]["totalGap"]))
        assert page.evaluate("Chart.getChart('gap-chart').data.datasets.length") == 2
        site.navigate(page.reload)
    site.assert_no_console_errors()


def test_a_link_with_bad_ratings_says_what_it_left_out(site: Site) -> None:
    page = site.goto("#/career?levels=zzz:2,sql-analytics:9,sql-analytics:3")
    top = site.server.graphql("{ framework { scale { level } } }")["framework"]["scale"][-1]["level"]
    expect(page.locator("#dropped-levels")).to_have_text(
        f"Left out 2 ratings from the link (zzz:2, sql-analytics:9): an unknown competency, or a level outside 1..{top}.")
    expect(page.locator("main .lead")).to_contain_text("Based on your self-assessment of 1 competency.")
    site.assert_no_console_errors()


# --- phone width -----------------------------------------------------------------------------------

def test_phone_width_reads_without_sideways_scrolling(browser: Browser, site_server: SiteServer,
                                                       request: pytest.FixtureRequest) -> None:
    with open_site(browser, site_server, request.node.name, width=390) as site:
        site.sign_in(PRIYA, f"#/career/{TARGET}")
        for hash_ in (f"#/career/{TARGET}", "#/architecture", "#/role/senior-software-engineer"):
            site.goto(hash_)
            overflow = site.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{hash_} is {overflow}px wider than the phone"
        site.goto(f"#/career/{TARGET}")
        site.assert_no_console_errors()


# --- the server stops --------------------------------------------------------------------------------

def test_server_down_is_said_in_words(browser: Browser, tmp_path_factory: pytest.TempPathFactory,
                                      request: pytest.FixtureRequest) -> None:
    server = SiteServer(tmp_path_factory.mktemp("down")).start()
    try:
        with open_site(browser, server, request.node.name) as site:
            page = site.goto("#/architecture")
            server.stop()
            site.navigate(lambda: page.locator("#architecture-grid li[data-role-id='staff-software-engineer'] a").click())
            box = page.locator("main .error-box[data-code='SERVER_DOWN']")
            expect(box).to_contain_text("The server is down")
            expect(box).to_contain_text("trellis serve")
            expect(box.get_by_role("button", name="Try again")).to_be_visible()
            page.screenshot(path=str(site_screenshot(request.node.name, "down")), full_page=True)

            # Back up on the same port: "Try again" recovers without a reload.
            server.start()
            site.navigate(lambda: box.get_by_role("button", name="Try again").click())
            expect(page.locator("main h1")).to_have_text("Staff Software Engineer")
    finally:
        server.stop()


def site_screenshot(test_name: str, suffix: str) -> Any:
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{test_name}-{suffix}.png"
