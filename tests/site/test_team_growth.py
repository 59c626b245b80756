"""My team over time, and succession risk: the trend charts draw exactly teamTrend's points, the quarter picker shows
the heatmap as of that quarter's end, the heatmap scrolls inside its own box at desktop and phone widths with its
headers whole and in view, each name links to the person's page; bench strength and "if X leaves" match the API.

The module has a server of its own: ``site_server`` is overridden below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from .conftest import Site, SiteServer, num, open_site, pct

GRACE, HR_PERSON, TOP = "grace-lindqvist", "margaret-okonkwo", "helena-marsh"

TREND = """query($m: ID!, $from: String!, $to: String!, $every: Period!, $depth: Int) {
    teamTrend(manager: $m, from: $from, to: $to, every: $every, depth: $depth, top: 3) {
      people { id }
      points { at totalDeficit meanReadiness topGaps { competency { id name } totalDeficit }
               deficits { competency { id name } totalDeficit } } } }"""

HEATMAP = """query($m: ID!, $depth: Int, $asOf: String) { teamHeatmap(manager: $m, depth: $depth, asOf: $asOf) {
    people { id name } cells { person { id } competency { id } deficit } topGaps { competency { id } totalDeficit } } }"""


@pytest.fixture(scope="module")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = SiteServer(tmp_path_factory.mktemp("team-growth")).start()
    yield server
    server.stop()


def trend_range(every: str, years: int = 1, today: dt.date | None = None) -> tuple[str, str]:
    """The page's default range: the last 4 quarters (or 12 months) including the current one, to today."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    if every == "MONTH":
        months = today.year * 12 + today.month - 1 - (12 * years - 1)
    else:
        months = today.year * 12 + (today.month - 1) // 3 * 3 - 3 * (4 * years - 1)
    return dt.date(months // 12, months % 12 + 1, 1).isoformat(), today.isoformat()


def chart(site: Site, canvas: str) -> dict[str, Any]:
    return site.page.evaluate("""(id) => { const c = Chart.getChart(id);
        return { labels: c.data.labels, sets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })) }; }""", canvas)


def shows_trend(site: Site, token: str, every: str) -> dict[str, Any]:
    start, end = trend_range(every)
    trend = site.server.graphql(TREND, {"m": GRACE, "from": start, "to": end, "every": every, "depth": 1}, token)["teamTrend"]
    points = trend["points"]
    assert points and points[-1]["at"] == end
    expect(site.page.locator("#trend-gaps-chart")).to_have_count(1)
    expect(site.page.locator("#trend-readiness-chart")).to_have_count(1)
    readiness = chart(site, "trend-readiness-chart")
    assert len(readiness["labels"]) == len(points)
    sets = {s["label"]: s["data"] for s in readiness["sets"]}
    assert sets["Mean readiness"] == [p["meanReadiness"] for p in points]
    assert sets["Total deficit"] == [p["totalDeficit"] for p in points]
    # One line per competency that was a top gap at some point (at most five), its deficit at every point.
    gaps = chart(site, "trend-gaps-chart")
    tops = {g["competency"]["id"]: g["competency"]["name"] for p in points for g in p["topGaps"]}
    assert len(gaps["sets"]) == min(5, len(tops))
    by_name = {name: cid for cid, name in tops.items()}
    for line in gaps["sets"]:
        cid = by_name[line["label"]]
        want = [next((d["totalDeficit"] for d in p["deficits"] if d["competency"]["id"] == cid), 0) for p in points]
        assert line["data"] == want, line["label"]
    # The same numbers as a table.
    rows = site.page.locator("#trend-table tbody tr")
    expect(rows).to_have_count(len(points))
    assert rows.evaluate_all("els => els.map((tr) => tr.dataset.at)") == [p["at"] for p in points]
    for p in points:
        row = site.page.locator(f"#trend-table tr[data-at='{p['at']}']")
        expect(row.locator("td").nth(0)).to_have_text(pct(p["meanReadiness"]))
        expect(row.locator("td").nth(1)).to_have_text(num(p["totalDeficit"]))
    return trend


def heatmap_matches(site: Site, heat: dict[str, Any]) -> None:
    shown = site.page.locator("#heatmap td[data-deficit]").evaluate_all(
        "els => els.map((td) => [td.closest('tr').dataset.personId, td.dataset.competencyId, Number(td.dataset.deficit)])")
    assert sorted(map(tuple, shown)) == sorted((c["person"]["id"], c["competency"]["id"], c["deficit"]) for c in heat["cells"])
    top = heat["topGaps"][:3]
    assert site.page.locator("#top-gaps > li").evaluate_all("els => els.map((li) => li.dataset.competencyId)") == [
        g["competency"]["id"] for g in top]
    assert site.page.locator("#top-gaps .gap-value").all_inner_texts() == [num(g["totalDeficit"]) for g in top]


# --- growth over time -------------------------------------------------------------------------------

def test_team_trend_charts_and_the_quarter_picker(site: Site) -> None:
    token = site.sign_in(GRACE, "#/team")
    page = site.page
    trend = shows_trend(site, token, "QUARTER")
    labels = chart(site, "trend-readiness-chart")["labels"]
    assert all(label.startswith("Q") for label in labels)

    # The quarter picker lists every quarter's end the trend has; choosing one shows the heatmap as of then.
    today = trend["points"][-1]["at"]
    ends = [p["at"] for p in trend["points"] if p["at"] != today]
    assert ends
    options = page.locator("#as-of option").evaluate_all("els => els.map((o) => o.value)")
    assert options == ["", *sorted(ends, reverse=True)]
    chosen = ends[0]                                  # the earliest: most likely to differ from today
    page.select_option("#as-of", chosen)
    expect(page.locator("#heatmap")).to_have_attribute("data-as-of", chosen)
    then = site.server.graphql(HEATMAP, {"m": GRACE, "depth": 1, "asOf": chosen}, token)["teamHeatmap"]
    now = site.server.graphql(HEATMAP, {"m": GRACE, "depth": 1, "asOf": None}, token)["teamHeatmap"]
    heatmap_matches(site, then)
    assert then["cells"] != now["cells"], "the sample team should have grown since then"
    expect(page.locator("#heat-title")).to_contain_text("as of")
    # Its top gaps are the trend's top gaps at that point.
    point = next(p for p in trend["points"] if p["at"] == chosen)
    assert [g["competency"]["id"] for g in then["topGaps"][:3]] == [g["competency"]["id"] for g in point["topGaps"]]
    assert f"asOf={chosen}" in page.url
    site.navigate(page.reload)
    expect(page.locator("#as-of")).to_have_value(chosen)
    heatmap_matches(site, then)
    page.select_option("#as-of", "")
    expect(page.locator("#heatmap")).to_have_attribute("data-as-of", "")
    heatmap_matches(site, now)

    # By month: twelve points.
    page.select_option("#trend-every", "MONTH")
    expect(page.locator("#trend-table tbody tr")).to_have_count(12)
    shows_trend(site, token, "MONTH")
    assert "every=MONTH" in page.url
    site.assert_no_console_errors()


# --- the heatmap: its own scroll box, whole sticky headers, names to the person's page -------------------------

@pytest.mark.parametrize("width", [1366, 390])
def test_heatmap_scrolls_inside_its_box(browser: Browser, site_server: SiteServer, request: pytest.FixtureRequest,
                                        width: int) -> None:
    with open_site(browser, site_server, request.node.name, width=width) as site:
        token = site.sign_in(HR_PERSON, f"#/team/{TOP}?depth=all")
        page = site.page
        heat = site.server.graphql(HEATMAP, {"m": TOP, "depth": None, "asOf": None}, token)["teamHeatmap"]
        assert len(heat["people"]) > 50
        expect(page.locator("#heatmap tbody tr")).to_have_count(len(heat["people"]))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the window at {width}px"
        box = page.evaluate("""() => { const w = document.querySelector('.heat-wrap');
            return { sw: w.scrollWidth, cw: w.clientWidth, sh: w.scrollHeight, ch: w.clientHeight }; }""")
        assert box["sh"] > box["ch"], "76 people scroll inside the box"
        if width == 390:
            assert box["sw"] > box["cw"], "the columns scroll sideways inside the box"
        # Column headers: whole names (nothing clipped), and still in view when the box is scrolled down.
        clipped = page.evaluate("""() => [...document.querySelectorAll('#heatmap th.rotate > span')]
            .filter((s) => s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1).map((s) => s.textContent)""")
        assert not clipped, f"clipped headers: {clipped}"
        page.evaluate("document.querySelector('.heat-wrap').scrollTop = 1200")
        page.evaluate("document.querySelector('.heat-wrap').scrollLeft = 300")
        gaps = page.evaluate("""() => { const w = document.querySelector('.heat-wrap').getBoundingClientRect();
            const th = document.querySelector('#heatmap thead th.rotate:nth-child(6)').getBoundingClientRect();
            const name = document.querySelector('#heatmap tbody tr:nth-child(30) th').getBoundingClientRect();
            return { top: th.top - w.top, left: name.left - w.left }; }""")
        assert abs(gaps["top"]) <= 2, f"the headers left the box: {gaps}"
        assert abs(gaps["left"]) <= 2, f"the names left the box: {gaps}"
        # Every name links to that person's page.
        links = page.locator("#heatmap tbody th a").evaluate_all(
            "els => els.map((a) => [a.closest('tr').dataset.personId, a.getAttribute('href'), a.textContent])")
        assert links == [[p["id"], f"#/person/{p['id']}", p["name"]] for p in heat["people"]]
        site.assert_no_console_errors()


def test_a_name_in_the_heatmap_opens_the_person_page(site: Site) -> None:
    site.sign_in(GRACE, "#/team")
    page = site.page
    first = page.locator("#heatmap tbody th a").first
    person = first.evaluate("a => a.closest('tr').dataset.personId")
    site.navigate(first.click)
    assert page.evaluate("location.hash") == f"#/person/{person}"
    expect(page.locator("main h1")).to_have_count(1)


# --- succession: bench strength and "if X leaves" ---------------------------------------------------------

def test_bench_strength_and_if_someone_leaves(site: Site) -> None:
    token = site.sign_in(GRACE, "#/succession")
    page = site.page
    fields = "role { id } holders { id } readyNow { id } readySoon { id } cover after atRisk"
    bench_query = f"""query($m: ID, $t: Int!) {{ benchStrength(manager: $m, threshold: $t) {{ {fields} }} }}"""
    bench = site.server.graphql(bench_query, {"m": GRACE, "t": 2}, token)["benchStrength"]
    for b in bench:
        assert b["cover"] == len(b["holders"]) + len(b["readyNow"]) + len(b["readySoon"])
        assert b["atRisk"] == (b["cover"] < 2)
    # A manager sees the roles someone under them holds or is ready for; the others are listed apart.
    mine = [b for b in bench if b["cover"] > 0]
    rows = page.locator("#bench-table tbody tr")
    expect(rows).to_have_count(len(mine))
    expect(page.locator("#bench-elsewhere")).to_contain_text(f"{len(bench) - len(mine)} roles")
    for b in mine:
        row = page.locator(f"#bench-table tr[data-role-id='{b['role']['id']}']")
        expect(row.locator(".bench-cover")).to_have_text(str(b["cover"]))
        expect(row).to_contain_text("At risk" if b["atRisk"] else "Covered")
    expect(page.locator("#bench-at-risk")).to_have_text(str(sum(b["atRisk"] for b in mine)))
    order = rows.evaluate_all("els => els.map((tr) => tr.dataset.roleId)")
    by_id = {b["role"]["id"]: b for b in bench}
    sets = {s["label"]: s["data"] for s in chart(site, "bench-chart")["sets"]}
    assert sets["Holders"] == [len(by_id[r]["holders"]) for r in order]
    assert sets["Ready now"] == [len(by_id[r]["readyNow"]) for r in order]
    assert sets["Ready soon"] == [len(by_id[r]["readySoon"]) for r in order]

    # A threshold and a person whose leaving leaves a role short, worked out here from the bench itself.
    def short(rows: list[dict[str, Any]], person: str, t: int) -> list[str]:
        return sorted(b["role"]["id"] for b in rows if b["cover"] >= t > b["cover"] - 1
                      and person in {p["id"] for p in b["holders"] + b["readyNow"] + b["readySoon"]})

    people = sorted({p["id"] for b in bench for p in b["holders"] + b["readyNow"] + b["readySoon"]})
    t, who = next((t, p) for t in (2, 3, 4) for p in people
                  if short(site.server.graphql(bench_query, {"m": GRACE, "t": t}, token)["benchStrength"], p, t))
    page.select_option("#bench-threshold", str(t))
    expect(page.locator("#bench-at-risk")).to_have_text(str(sum(b["cover"] < t for b in mine)))
    page.select_option("#leaves-person", who)
    page.click("#leaves-submit")
    leaves = site.server.graphql(f"""query($p: ID!, $m: ID, $t: Int!) {{ ifLeaves(personId: $p, manager: $m, threshold: $t) {{ {fields} }} }}""",
                                 {"p": who, "m": GRACE, "t": t}, token)["ifLeaves"]
    assert sorted(b["role"]["id"] for b in leaves) == short(bench, who, t)
    for b in leaves:
        assert b["after"] == b["cover"] - 1 and b["atRisk"]
    expect(page.locator("#leaves-table tbody tr")).to_have_count(len(leaves))
    for b in leaves:
        row = page.locator(f"#leaves-table tr[data-role-id='{b['role']['id']}']")
        expect(row.locator(".leaves-cover")).to_have_text(str(b["cover"]))
        expect(row.locator(".leaves-after")).to_have_text(str(b["after"]))
    sets = {s["label"]: s["data"] for s in chart(site, "leaves-chart")["sets"]}
    assert sets["Cover now"] == [b["cover"] for b in leaves]
    assert list(sets.values())[1] == [b["after"] for b in leaves]
    assert f"leaves={who}" in page.url and f"threshold={t}" in page.url
    site.assert_no_console_errors()
