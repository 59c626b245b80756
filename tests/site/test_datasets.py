"""The site on the public frameworks (issue 6: "with the site working on it"): O*NET's 22 families and
sparse level descriptions, ESCO's 13,939 competencies. Real server (``serve --dataset``), real Chromium."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from .conftest import SiteServer, open_site, pct

MATCH = "role { id title level { rank } } gap readiness verdict"


def serve(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = SiteServer(tmp_path_factory.mktemp(name), dataset=name).start(timeout=300)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def onet_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    yield from serve("onet", tmp_path_factory)


@pytest.fixture(scope="module")
def esco_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    yield from serve("esco", tmp_path_factory)


def test_onet_grid_and_the_nearest_described_level(browser: Browser, onet_server: SiteServer,
                                                   request: pytest.FixtureRequest) -> None:
    with open_site(browser, onet_server, request.node.name, width=1366) as site:
        page = site.goto("#/architecture")
        families = onet_server.graphql("{ jobFamilies { id } }")["jobFamilies"]
        headers = page.locator("#architecture-grid thead th")
        expect(headers).to_have_count(1 + len(families))
        widths = headers.evaluate_all("els => els.map((e) => e.getBoundingClientRect().width)")
        assert min(widths[1:]) >= 140, widths       # readable columns; the grid scrolls sideways instead
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")

        # Registered Nurses: O*NET describes three of its seven levels per element; where the required level
        # has no description, the role page shows the nearest described level, named as such.
        role = onet_server.graphql("""{ role(id: "29-1141.00") { requirements { level competency { id
            indicators { level text } } } } }""")["role"]
        site.goto("#/role/29-1141.00")
        checked = 0
        for req in role["requirements"]:
            described = sorted({i["level"] for i in req["competency"]["indicators"]})
            if req["level"] in described or not described:
                continue
            nearest = min(described, key=lambda lv: (abs(lv - req["level"]), -lv))     # ties: the higher
            row = page.locator(f"tr[data-competency-id='{req['competency']['id']}']")
            expect(row.locator(".nearest")).to_contain_text(
                f"No indicator for level {req['level']}; the nearest described, level {nearest}")
            texts = [i["text"] for i in req["competency"]["indicators"] if i["level"] == nearest]
            expect(row.locator(".nearest li")).to_have_text(texts)
            checked += 1
        assert checked >= 10

        # Its closest roles, as the API ranks them from the role's own requirements.
        closest = onet_server.graphql(f"""{{ closestRoles(from: {{roleId: "29-1141.00"}}, limit: 6) {{ {MATCH} }} }}""")
        shown = page.locator("#closest-roles li").evaluate_all("els => els.map((e) => e.dataset.roleId)")
        assert shown == [m["role"]["id"] for m in closest["closestRoles"]]
        assert "29-2061.00" in shown                  # Licensed Practical and Licensed Vocational Nurses
        for m in closest["closestRoles"]:
            expect(page.locator(f"#closest-roles li[data-role-id='{m['role']['id']}'] .readiness-value")).to_have_text(
                pct(m["readiness"]))
        site.assert_no_console_errors()


def test_esco_self_assessment_adds_competencies_by_name(browser: Browser, esco_server: SiteServer,
                                                       request: pytest.FixtureRequest) -> None:
    with open_site(browser, esco_server, request.node.name) as site:
        page = site.goto("#/career")
        total = esco_server.graphql("{ competencies(first: 1) { totalCount } }")["competencies"]["totalCount"]
        assert total == 13939
        expect(page.locator("#self-form .intro")).to_contain_text("13,939 competencies")
        expect(page.locator("#self-form select[data-competency-id]")).to_have_count(0)   # none rated yet

        page.fill("#find-competency", "nursing")
        found = page.locator("#finder-results button")
        expect(found.first).to_be_visible(timeout=15_000)      # the first search builds the name index
        assert 1 <= found.count() <= 8
        assert all("nursing" in t.lower() for t in found.all_inner_texts())
        first = found.first.get_attribute("data-competency-id")
        found.first.click()
        select = page.locator(f"#self-form select[data-competency-id='{first}']")
        expect(select).to_have_count(1)
        select.select_option("3")
        site.navigate(lambda: page.click("#self-submit"))

        query = urllib.parse.parse_qs(page.url.split("?", 1)[1])
        assert query["levels"] == [f"{first}:3"]
        closest = esco_server.graphql(f"""query($p: ProfileInput!) {{ closestRoles(from: $p, limit: 5) {{ {MATCH} }} }}""",
                                      {"p": {"proficiencies": [{"competencyId": first, "level": 3}]}})["closestRoles"]
        shown = page.locator("li.match").evaluate_all("els => els.map((e) => e.getAttribute('data-role-id'))")
        assert closest[0]["role"]["id"] in shown          # the closest match, in one of the two columns
        expect(page.locator(f"li.match[data-role-id='{closest[0]['role']['id']}'] .readiness-value").first).to_have_text(
            pct(closest[0]["readiness"]))

        # Starting from a role fills in (and adds) the rows of its requirements.
        role = esco_server.graphql("""{ roles(first: 1) { nodes { id requirements { level competency { id } } } } }""")
        site.goto("#/career")
        first_role = role["roles"]["nodes"][0]
        page.select_option("#from-role", first_role["id"])
        page.click("#prefill")
        for req in first_role["requirements"]:
            expect(page.locator(f"#level-{req['competency']['id']}")).to_have_value(str(req["level"]))
        site.assert_no_console_errors()
