"""Defects from a new user's trial, fixed and checked in a real Chromium against the real server:

1. a career link to a role that does not exist says so once (not once per section) and offers the ways on;
2. the radar's level numbers are drawn over the data, between two spokes, where no data point lies;
3. the job architecture has family and level filters and a list view (kept in the URL; the list is the default on a
   phone), on the sample organisation and on O*NET's 22 families;
4. CSV downloads (team heatmap, skills inventory, succession slate, development plan) hold what the API answers for
   the same viewer, row by row, quoted properly and with spreadsheet formulas neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from .conftest import Site, SiteServer, open_site

PRIYA, GRACE, HR_PERSON = "priya-raman", "grace-lindqvist", "margaret-okonkwo"
TARGET = "staff-software-engineer"
ROLE = "senior-software-engineer"


def js(value: Any) -> str:
    """What JavaScript's String(value) makes of a number in a CSV cell (3 → "3", 1.5 → "1.5"); None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def download(site: Site, selector: str) -> tuple[str, list[list[str]]]:
    """Click a download button, catch the file, check its encoding and line ends; (file name, parsed rows)."""
    with site.page.expect_download() as caught:
        site.page.click(selector)
    info = caught.value
    raw = Path(info.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "CRLF line ends (RFC 4180)"
    assert info.suggested_filename.endswith(".csv")
    return info.suggested_filename, list(csv.reader(io.StringIO(text, newline="")))


def overflow(site: Site) -> int:
    return site.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# --- 1. a role that does not exist -------------------------------------------------------------------------

def test_a_career_link_to_a_missing_role_says_so_once(site: Site) -> None:
    site.sign_in(PRIYA, "#/career/does-not-exist")
    page = site.page
    boxes = page.locator("main .error-box")
    expect(boxes).to_have_count(1)
    box = page.locator("#missing-role")
    expect(box).to_have_attribute("data-code", "NOT_FOUND")
    expect(box).to_contain_text("There is no such role")
    expect(box).to_contain_text("“does-not-exist”")
    # Nothing else speaks of that role: no path, gap or plan to it; the headings are the overview's.
    for part in ("#path", "#gap", "#plan", "#saved-plan"):
        expect(page.locator(part)).to_have_count(0)
    assert page.locator("main").inner_text().count("does-not-exist") == 1
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("#target-title")).to_have_text("Choose a target role")
    assert page.title() == "No such role — Trellis"
    # The ways on: the job architecture, the career overview, another target.
    expect(page.locator("#missing-role-architecture")).to_have_attribute("href", "#/architecture")
    expect(page.locator("#closest .role-card, #closest li, #closest a").first).to_be_visible()
    site.navigate(lambda: page.click("#missing-role-overview"))
    assert page.evaluate("location.hash").startswith("#/career")
    expect(page.locator("main .error-box")).to_have_count(0)
    site.assert_no_console_errors()


def test_a_self_assessment_link_to_a_missing_role_says_so_once(site: Site) -> None:
    page = site.goto("#/career/no-such-role?levels=sql-analytics:3")
    expect(page.locator("main .error-box")).to_have_count(1)
    expect(page.locator("#missing-role")).to_contain_text("“no-such-role”")
    expect(page.locator("#path")).to_have_count(0)
    expect(page.locator("#self-assessment")).to_be_visible()
    expect(page.locator("#missing-role-overview")).to_have_attribute("href", "#/career?levels=sql-analytics%3A3")
    site.assert_no_console_errors()


# --- 2. the radar's level numbers ----------------------------------------------------------------------------

def test_radar_level_numbers_are_not_covered_by_the_data(site: Site) -> None:
    site.sign_in(PRIYA, f"#/career/{TARGET}")
    page = site.page
    top = site.server.graphql("{ framework { scale { level } } }")["framework"]["scale"]
    levels = sorted(s["level"] for s in top)
    found = page.evaluate("""() => {
        const canvas = document.querySelector('#gap canvas');
        const chart = Chart.getChart(canvas);
        const points = chart.data.datasets.flatMap((d, i) => chart.getDatasetMeta(i).data.map((p) => ({ x: p.x, y: p.y, r: p.options.radius })));
        const ctx = canvas.getContext('2d');
        const ratio = canvas.width / canvas.clientWidth;
        const white = (x, y) => [...ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data].slice(0, 3);
        return { type: chart.config.type, ticks: chart.options.scales.r.ticks.display, points,
                 labels: chart.$levelLabels.map((b) => ({ ...b, left: white(b.x - b.width / 2 + 2, b.y), right: white(b.x + b.width / 2 - 2, b.y) })) };
    }""")
    assert found["type"] == "radar"
    assert found["ticks"] is False, "Chart.js's own ticks (on the first spoke, under its points) are off"
    assert [b["value"] for b in found["labels"]] == [lv for lv in levels if lv > 0]
    for label in found["labels"]:
        # Drawn after the datasets, on an opaque light label: its background is white whatever lies beneath.
        assert min(label["left"] + label["right"]) >= 225, label
        # And where no data point is: no point's centre inside the label.
        for p in found["points"]:
            inside = abs(p["x"] - label["x"]) < label["width"] / 2 and abs(p["y"] - label["y"]) < label["height"] / 2
            assert not inside, (label, p)
    site.assert_no_console_errors()


# --- 3. the job architecture: filters and a list view -----------------------------------------------------------

ARCHITECTURE = """query($after: String) { jobFamilies { id name } levels { id rank name }
  roles(first: 100, after: $after) { totalCount nodes { id family { id } level { rank } } pageInfo { hasNextPage endCursor } } }"""


def architecture(server: SiteServer) -> dict[str, Any]:
    """Families, levels and every role (100 a page)."""
    data = server.graphql(ARCHITECTURE)
    while data["roles"]["pageInfo"]["hasNextPage"]:
        more = server.graphql(ARCHITECTURE, {"after": data["roles"]["pageInfo"]["endCursor"]})["roles"]
        data["roles"]["nodes"] += more["nodes"]
        data["roles"]["pageInfo"] = more["pageInfo"]
    assert len(data["roles"]["nodes"]) == data["roles"]["totalCount"]
    return data


def shows_list_in_order(site: Site, api: dict[str, Any], family: str | None = None, level: str | None = None) -> None:
    """The list view: families in the API's order, levels by rank, each role under its own family and level."""
    rank_of = {lv["id"]: lv["rank"] for lv in api["levels"]}
    wanted = [r for r in api["roles"]["nodes"] if r["family"] and r["level"]
              and (not family or r["family"]["id"] == family) and (not level or r["level"]["rank"] == rank_of[level])]
    shown = site.page.evaluate("""() => [...document.querySelectorAll('#architecture-list .family-group:not([hidden])')].map((g) => ({
        family: g.dataset.familyId,
        levels: [...g.querySelectorAll('.level-group:not([hidden])')].map((l) => ({
            level: l.dataset.levelId, roles: [...l.querySelectorAll('.role-chip')].map((c) => c.dataset.roleId) })) }))""")
    family_order = [f["id"] for f in api["jobFamilies"]]
    assert [g["family"] for g in shown] == [f for f in family_order if any(r["family"]["id"] == f for r in wanted)]
    by_id = {r["id"]: r for r in api["roles"]["nodes"]}
    listed = []
    for group in shown:
        ranks = [rank_of[lv["level"]] for lv in group["levels"]]
        assert ranks == sorted(ranks)
        for lv in group["levels"]:
            for role_id in lv["roles"]:
                assert by_id[role_id]["family"]["id"] == group["family"]
                assert by_id[role_id]["level"]["rank"] == rank_of[lv["level"]]
                listed.append(role_id)
    assert sorted(listed) == sorted(r["id"] for r in wanted)


def test_architecture_on_a_phone_lists_roles_with_filters_in_the_url(browser: Browser, site_server: SiteServer,
                                                                       request: pytest.FixtureRequest) -> None:
    api = architecture(site_server)
    with open_site(browser, site_server, request.node.name, width=390) as site:
        page = site.goto("#/architecture")
        # On a phone: the list, by family then level, every role once; nothing wider than the screen.
        expect(page.locator("#architecture-list")).to_be_visible()
        expect(page.locator("#grid-view")).to_be_hidden()
        expect(page.locator("#layout-list")).to_be_checked()
        expect(page.locator("#architecture-list .role-chip")).to_have_count(api["roles"]["totalCount"])
        shows_list_in_order(site, api)
        assert overflow(site) <= 0
        # Filters, kept in the URL and applied to the list.
        family = next(f for f in api["jobFamilies"] if f["id"] == "data") if any(
            f["id"] == "data" for f in api["jobFamilies"]) else api["jobFamilies"][0]
        level = sorted(api["levels"], key=lambda lv: lv["rank"])[2]
        page.select_option("#filter-family", family["id"])
        shows_list_in_order(site, api, family=family["id"])
        page.select_option("#filter-level", level["id"])
        shows_list_in_order(site, api, family=family["id"], level=level["id"])
        count = sum(1 for r in api["roles"]["nodes"] if r["family"] and r["family"]["id"] == family["id"]
                    and r["level"] and r["level"]["rank"] == level["rank"])
        expect(page.locator("#filter-count")).to_contain_text(f"Showing {count} of {api['roles']['totalCount']} roles")
        assert f"family={family['id']}" in page.url and f"level={level['id']}" in page.url
        site.navigate(page.reload)
        expect(page.locator("#filter-family")).to_have_value(family["id"])
        expect(page.locator("#filter-level")).to_have_value(level["id"])
        shows_list_in_order(site, api, family=family["id"], level=level["id"])
        # Switch to the grid: only the chosen family's column and level's row; the choice is kept in the URL.
        page.check("#layout-grid")
        expect(page.locator("#grid-view")).to_be_visible()
        expect(page.locator("#architecture-list")).to_be_hidden()
        assert "view=grid" in page.url
        visible_columns = page.locator("#architecture-grid thead th:visible").all_inner_texts()
        assert visible_columns == ["Level", family["name"]]
        expect(page.locator("#architecture-grid tbody tr:visible")).to_have_count(1)
        expect(page.locator("#architecture-grid tbody tr:visible .role-chip:visible")).to_have_count(count)
        site.navigate(page.reload)
        expect(page.locator("#layout-grid")).to_be_checked()
        expect(page.locator("#grid-view")).to_be_visible()
        assert overflow(site) <= 0
        # Every label is there; one h1.
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('main input, main select')]
            .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.closest('label'))).map((el) => el.id)""")
        assert not unlabelled
        expect(page.locator("main h1")).to_have_count(1)
        site.assert_no_console_errors()


def test_architecture_on_a_desktop_keeps_the_grid_and_switches_to_the_list(site: Site) -> None:
    api = architecture(site.server)
    page = site.goto("#/architecture")
    expect(page.locator("#grid-view")).to_be_visible()
    expect(page.locator("#architecture-list")).to_be_hidden()
    page.check("#layout-list")
    expect(page.locator("#architecture-list")).to_be_visible()
    assert "view=list" in page.url
    shows_list_in_order(site, api)
    # A search highlights the matches in the list too.
    page.fill("#search", "engineer")
    page.click("form.search button[type=submit]")
    expect(page.locator("#architecture-list .role-chip.match").first).to_be_visible()
    site.assert_no_console_errors()


@pytest.fixture(scope="module")
def onet_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = SiteServer(tmp_path_factory.mktemp("onet-trial"), dataset="onet").start(timeout=300)
    yield server
    server.stop()


@pytest.mark.parametrize("width", [390, 1366])
def test_onet_architecture_filters_and_list(browser: Browser, onet_server: SiteServer, request: pytest.FixtureRequest,
                                            width: int) -> None:
    api = architecture(onet_server)
    assert len(api["jobFamilies"]) == 22
    with open_site(browser, onet_server, request.node.name, width=width) as site:
        page = site.goto("#/architecture")
        if width == 1366:
            expect(page.locator("#grid-view")).to_be_visible()
            page.check("#layout-list")
        expect(page.locator("#architecture-list")).to_be_visible()
        nurses = next(f for f in api["jobFamilies"] if f["id"] == "soc-29")
        page.select_option("#filter-family", nurses["id"])
        shows_list_in_order(site, api, family=nurses["id"])
        expect(page.locator("#architecture-list .family-group:visible h3")).to_contain_text(nurses["name"])
        assert overflow(site) <= 0
        # The list reads on a phone: no role link wider than its group.
        too_wide = page.evaluate("""() => [...document.querySelectorAll('#architecture-list .family-group:not([hidden]) .role-chip')]
            .filter((c) => c.getBoundingClientRect().right > c.closest('.family-group').getBoundingClientRect().right + 1).length""")
        assert too_wide == 0
        site.assert_no_console_errors()


# --- 4. CSV downloads ----------------------------------------------------------------------------------------

def test_csv_quoting_and_formula_neutralising(site: Site) -> None:
    page = site.goto("#/")
    values = ["=1+1", "+44 20", "-2", "@SUM(A1)", "a,b", 'say "hi"', "two\nlines", "plain", " padded ", 3, -1.5, 0.1, None, ""]
    text = page.evaluate("""async (values) => { const { toCsv } = await import('/js/csv.js');
        return toCsv([['header, one', 'two'], values]); }""", values)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["header, one", "two"]
    assert rows[1] == ["'=1+1", "'+44 20", "'-2", "'@SUM(A1)", "a,b", 'say "hi"', "two\nlines", "plain", " padded ",
                       "3", "-1.5", "0.1", "", ""]
    assert text.split("\r\n")[1].startswith("'=1+1,'+44 20,'-2,'@SUM(A1),\"a,b\",\"say \"\"hi\"\"\"")
    site.assert_no_console_errors()


HEATMAP = """query($m: ID!) { teamHeatmap(manager: $m, depth: 1) {
    manager { id name } people { id name role { title } } competencies { id name category }
    cells { person { id } competency { id } required current deficit weight } } }"""


def test_team_heatmap_csv_is_the_apis_heatmap(site: Site) -> None:
    token = site.sign_in(GRACE, "#/team")
    heat = site.server.graphql(HEATMAP, {"m": GRACE}, token)["teamHeatmap"]
    name, rows = download(site, "#heatmap-csv")
    assert name == "team-heatmap-grace-lindqvist-today.csv"
    assert rows[0] == ["Person ID", "Person", "Role", "Competency ID", "Competency", "Category", "Required", "Current",
                       "Deficit", "Weight"]
    # The table's order: people as the API lists them; competencies by the team's weighted deficit, biggest first.
    totals = {c["id"]: 0.0 for c in heat["competencies"]}
    for c in heat["cells"]:
        totals[c["competency"]["id"]] += c["deficit"] * c["weight"]
    columns = sorted(heat["competencies"], key=lambda c: -totals[c["id"]])
    cells = {(c["person"]["id"], c["competency"]["id"]): c for c in heat["cells"]}
    want = [[p["id"], p["name"], (p["role"] or {}).get("title", ""), c["id"], c["name"], c["category"],
             js(cell["required"]), js(cell["current"]), js(cell["deficit"]), js(cell["weight"])]
            for p in heat["people"] for c in columns if (cell := cells.get((p["id"], c["id"])))]
    assert len(want) == len(heat["cells"]) > 0
    assert rows[1:] == want
    site.assert_no_console_errors()


INVENTORY = """{ framework { scale { level name } } skillsInventory { competency { id name category }
    holders { level count } peopleAssessed rolesRequiring peopleNeeding peopleBelow } }"""


def test_skills_inventory_csv_is_the_apis_inventory(site: Site) -> None:
    token = site.sign_in(HR_PERSON, "#/inventory?sort=below")
    data = site.server.graphql(INVENTORY, token=token)
    scale = sorted(data["framework"]["scale"], key=lambda s: s["level"])
    name, rows = download(site, "#inventory-csv")
    assert name == "skills-inventory-all-families.csv"
    assert rows[0] == ["Competency ID", "Competency", "Category", *[f"Level {s['level']} ({s['name']})" for s in scale],
                       "Assessed", "Roles requiring it", "People whose role needs it", "Below it"]
    order = site.page.locator("#inventory tbody tr").evaluate_all("els => els.map((tr) => tr.dataset.competencyId)")
    by_id = {r["competency"]["id"]: r for r in data["skillsInventory"]}
    assert [r[0] for r in rows[1:]] == order and sorted(order) == sorted(by_id)
    for row in rows[1:]:
        api = by_id[row[0]]
        counts = {h["level"]: h["count"] for h in api["holders"]}
        assert sum(counts.values()) == sum(counts.get(s["level"], 0) for s in scale), "every holder is on the scale"
        assert row == [api["competency"]["id"], api["competency"]["name"], api["competency"]["category"],
                       *[js(counts.get(s["level"], 0)) for s in scale],
                       js(api["peopleAssessed"]), js(api["rolesRequiring"]), js(api["peopleNeeding"]), js(api["peopleBelow"])]
    # Sorted as the page sorts it: most people below first.
    below = [int(r[-1]) for r in rows[1:]]
    assert below == sorted(below, reverse=True)
    site.assert_no_console_errors()


SUCCESSORS = """query($r: ID!, $m: ID) { successors(role: $r, limit: 30, manager: $m) { role { id title }
    candidates { person { id name role { title } } gap readiness bucket } } }"""

BUCKET_WORDS = {"READY_NOW": "Ready now", "READY_SOON": "Ready soon", "READY_LATER": "Ready later"}


def test_succession_slate_csv_is_the_apis_slate(site: Site) -> None:
    token = site.sign_in(GRACE, f"#/succession/{ROLE}")
    report = site.server.graphql(SUCCESSORS, {"r": ROLE, "m": GRACE}, token)["successors"]
    assert report["candidates"]
    name, rows = download(site, "#slate-csv")
    assert name == "succession-senior-software-engineer.csv"
    assert rows[0] == ["Role ID", "Role", "Person ID", "Person", "Current role", "Bucket", "Readiness", "Gap"]
    assert rows[1:] == [[ROLE, report["role"]["title"], c["person"]["id"], c["person"]["name"],
                         (c["person"]["role"] or {}).get("title", ""), BUCKET_WORDS[c["bucket"]], js(c["readiness"]), js(c["gap"])]
                        for c in report["candidates"]]
    assert [float(r[6]) for r in rows[1:]] == [c["readiness"] for c in report["candidates"]]
    site.assert_no_console_errors()


PLAN = """query($p: ProfileInput!, $t: ID!) { developmentPlan(from: $p, to: $t) { totalHours
    items { resource { id title kind hours url } competency { id name } fromLevel toLevel }
    uncovered { competency { id name } fromLevel toLevel } } }"""

KIND_WORDS = {"COURSE": "Course", "MENTORING": "Mentoring", "PROJECT": "Project", "READING": "Reading",
              "CERTIFICATION": "Certification"}


def test_development_plan_csv_is_the_apis_plan(site: Site) -> None:
    token = site.sign_in(PRIYA, f"#/career/{TARGET}")
    plan = site.server.graphql(PLAN, {"p": {"personId": PRIYA}, "t": TARGET}, token)["developmentPlan"]
    assert plan["items"]
    name, rows = download(site, "#plan-csv")
    assert name == "development-plan-priya-raman-staff-software-engineer.csv"
    assert rows[0] == ["Competency ID", "Competency", "From level", "To level", "Resource ID", "Resource", "Kind", "Hours",
                       "Hours counted", "URL", "Note"]
    seen: set[str] = set()
    want = []
    for item in plan["items"]:
        again = item["resource"]["id"] in seen
        seen.add(item["resource"]["id"])
        r = item["resource"]
        want.append([item["competency"]["id"], item["competency"]["name"], js(item["fromLevel"]), js(item["toLevel"]),
                     r["id"], r["title"], KIND_WORDS.get(r["kind"], r["kind"].capitalize()), js(r["hours"]),
                     js(0 if again else r["hours"]), r["url"] or "", "Also listed above: its hours are counted once" if again else ""])
    for u in plan["uncovered"]:
        want.append([u["competency"]["id"], u["competency"]["name"], js(u["fromLevel"]), js(u["toLevel"]), "", "", "", "", "0", "",
                     "No learning resource in the catalogue covers this"])
    assert rows[1:] == want
    assert sum(float(r[8]) for r in rows[1:]) == pytest.approx(plan["totalHours"])
    site.assert_no_console_errors()
