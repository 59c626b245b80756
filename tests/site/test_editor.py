"""HR's job-architecture editor (#/editor) in real Chromium: each flow edits in the page, checks what the page
shows, reads the change back through GraphQL with the page's token (expected values computed here, not taken from
the page), then restarts the server on the same store and reads it back again."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import Site, SiteServer, open_site

HR = "margaret-okonkwo"


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A server of its own (the edits must not leak into the other site tests' sample organisation)."""
    server = SiteServer(tmp_path_factory.mktemp("editor")).start()
    yield server
    server.stop()


@pytest.fixture
def hr(browser: Browser, editor_server: SiteServer, request: pytest.FixtureRequest) -> Iterator[tuple[Site, str]]:
    with open_site(browser, editor_server, request.node.name) as site:
        token = site.sign_in(HR, "#/editor")
        site.page.wait_for_selector("#checks-summary")
        yield site, token
        site.assert_no_console_errors()


def confirm(page: Page) -> None:
    page.locator("dialog.confirm[open] button[data-confirm='yes']").click()


def checks(server: SiteServer, token: str) -> list[dict[str, Any]]:
    return server.graphql("{ frameworkIssues { code subjects severity } }", token=token)["frameworkIssues"]


ROLE = """query($id: ID!) { role(id: $id) { id title family { id } level { id rank } track { id }
  requirements { competency { id } level weight essential } } }"""


def create_and_require(site: Site, token: str, family: str | None, level: str | None, role_title: str, role_id: str) -> None:
    """Create a role in the page (with the family and level if given), then require software-design at 4 (weight 2,
    essential) through the grid, after trying level 2 to see its indicators."""
    server, page = site.server, site.page
    site.goto("#/editor")
    form = page.locator("#role-create")
    form.get_by_label("Title of the new role").fill(role_title)
    expect(form.get_by_label("Id")).to_have_value(role_id)          # made from the title
    if family:
        form.get_by_label("Job family").select_option(family)
    if level:
        form.get_by_label("Level").select_option(level)
    site.navigate(lambda: form.get_by_role("button", name="Create role").click())
    assert page.evaluate("location.hash") == f"#/editor/role/{role_id}"
    expect(page.locator("#role-details [name=title]")).to_have_value(role_title)

    # A role without requirements is an error of the framework: the checklist says so.
    item = page.locator(f"#checks-list li[data-code='ROLE_WITHOUT_REQUIREMENTS'][data-subjects~='{role_id}']")
    expect(item).to_have_count(1)
    assert any(i["code"] == "ROLE_WITHOUT_REQUIREMENTS" and i["subjects"] == [role_id] for i in checks(server, token))

    indicators = server.graphql('{ competency(id: "software-design") { name indicators { level text } } }', token=token)["competency"]
    texts = {lvl: [i["text"] for i in indicators["indicators"] if i["level"] == lvl] for lvl in (2, 4)}
    add = page.locator("#requirement-add")
    add.get_by_label("Competency to add").select_option("software-design")
    add.get_by_label("Required level").select_option("2")
    expect(page.locator("#add-indicators")).to_contain_text(texts[2][0])
    add.get_by_label("Required level").select_option("4")
    expect(page.locator("#add-indicators")).to_contain_text(texts[4][0])
    add.get_by_label("Weight").fill("2")
    add.get_by_label("Essential").check()
    add.get_by_role("button", name="Add requirement").click()
    row = page.locator("#requirement-grid tr[data-competency-id='software-design']")
    expect(row).to_have_count(1)
    for text in texts[4]:
        expect(row.locator(".req-indicators")).to_contain_text(text)
    # The row's own level select shows the indicators of the level chosen, before saving.
    row.get_by_label(f"Level of {indicators['name']}").select_option("2")
    expect(row.locator(".req-indicators")).to_contain_text(texts[2][0])
    row.get_by_label(f"Level of {indicators['name']}").select_option("4")
    expect(row.locator(".req-indicators")).to_contain_text(texts[4][0])
    expect(page.locator("#requirements-total")).to_have_text("1 competency; weighted total 8.")
    # Fixed: the checklist drops the error.
    expect(item).to_have_count(0)
    assert not any(i["code"] == "ROLE_WITHOUT_REQUIREMENTS" and role_id in i["subjects"] for i in checks(server, token))


def expected_role(role_id: str, title: str, family: str | None, level: str | None) -> dict[str, Any]:
    return {"id": role_id, "title": title, "family": {"id": family} if family else None,
            "level": {"id": level, "rank": 7} if level else None, "track": None,
            "requirements": [{"competency": {"id": "software-design"}, "level": 4, "weight": 2.0, "essential": True}]}


def test_create_family_level_role_and_requirements(hr: tuple[Site, str]) -> None:
    site, token = hr
    server, page = site.server, site.page
    site.goto("#/editor")
    families = page.locator("#families-create")
    families.get_by_label("Name of the new job family").fill("Quantum Research")
    site.navigate(lambda: families.get_by_role("button", name="Create job family").click())
    expect(page.locator("#families-list li[data-id='quantum-research']")).to_have_count(1)
    levels = page.locator("#levels-create")
    levels.get_by_label("Name of the new level").fill("Distinguished")
    levels.get_by_label("Rank of the new level").fill("7")
    site.navigate(lambda: levels.get_by_role("button", name="Create level").click())
    expect(page.locator("#levels-list li[data-id='distinguished']")).to_have_count(1)

    create_and_require(site, token, "quantum-research", "distinguished", "Quantum Researcher", "quantum-researcher")

    # Change the weight in the grid and save the row: one setRequirement.
    row = page.locator("#requirement-grid tr[data-competency-id='software-design']")
    row.get_by_label("Weight of Software design").fill("2.5")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".form-done")).to_be_visible()
    expect(page.locator("#requirements-total")).to_have_text("1 competency; weighted total 10.")

    want = expected_role("quantum-researcher", "Quantum Researcher", "quantum-research", "distinguished")
    want["requirements"][0]["weight"] = 2.5
    fam = {"jobFamilies": [{"id": "quantum-research", "name": "Quantum Research"}],
           "levels": [{"id": "distinguished", "rank": 7, "name": "Distinguished"}]}
    query = "{ jobFamilies { id name } levels { id rank name } }"
    for _ in range(2):
        assert server.graphql(ROLE, {"id": "quantum-researcher"}, token=token)["role"] == want
        got = server.graphql(query, token=token)
        assert [f for f in got["jobFamilies"] if f["id"] == "quantum-research"] == fam["jobFamilies"]
        assert [lv for lv in got["levels"] if lv["id"] == "distinguished"] == fam["levels"]
        server.restart()


def test_refusals_are_shown_next_to_the_field_and_nothing_is_written(hr: tuple[Site, str]) -> None:
    site, token = hr
    server, page = site.server, site.page
    before = server.graphql('{ roles(first: 1) { totalCount } role(id: "senior-software-engineer") { title } }', token=token)

    # A duplicate id: CONFLICT, shown under the Id field.
    site.goto("#/editor")
    form = page.locator("#role-create")
    form.get_by_label("Title of the new role").fill("Another Senior")
    form.get_by_label("Id").fill("senior-software-engineer")
    form.get_by_role("button", name="Create role").click()
    error = form.locator("[data-field='id'] .field-error")
    expect(error).to_contain_text("already exists")
    assert error.get_attribute("data-code") == "CONFLICT"
    expect(form.get_by_label("Id")).to_have_attribute("aria-invalid", "true")
    assert server.graphql('{ roles(first: 1) { totalCount } role(id: "senior-software-engineer") { title } }', token=token) == before

    # Deleting a competency that roles require: CONFLICT with the dependants listed beside the button.
    comp = server.graphql('{ competency(id: "testing") { name requiredBy { id } } }', token=token)["competency"]
    assert comp["requiredBy"]
    site.goto("#/editor/competency/testing")
    page.get_by_role("button", name=f"Delete {comp['name']}").click()
    confirm(page)
    refusal = page.locator(".delete-box .field-error")
    expect(refusal).to_have_attribute("data-code", "CONFLICT")
    listed = refusal.locator(".problems li").all_inner_texts()
    for role in comp["requiredBy"]:
        assert f"role {role['id']}" in listed
    expect(page.get_by_role("button", name=f"Delete the competency “{comp['name']}” anyway, with its dependants")).to_be_visible()
    after = server.graphql('{ competency(id: "testing") { name requiredBy { id } } }', token=token)["competency"]
    assert after == comp

    # A requirement weight the server refuses: shown in the row, nothing changed.
    site.goto("#/editor/role/senior-software-engineer")
    role = server.graphql(ROLE, {"id": "senior-software-engineer"}, token=token)["role"]
    first = role["requirements"][0]["competency"]["id"]
    row = page.locator(f"#requirement-grid tr[data-competency-id='{first}']")
    row.locator("input[name=weight]").fill("-3")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".field-error")).to_be_visible()
    assert server.graphql(ROLE, {"id": "senior-software-engineer"}, token=token)["role"] == role


def test_edit_a_competencys_indicators_and_reorder(hr: tuple[Site, str]) -> None:
    site, token = hr
    server, page = site.server, site.page
    q = '{ competency(id: "collaboration") { indicators(level: 1) { text } } }'
    texts = [i["text"] for i in server.graphql(q, token=token)["competency"]["indicators"]]
    assert len(texts) >= 2
    site.goto("#/editor/competency/collaboration")
    level = page.locator(".indicator-level[data-level='1']")
    expect(level.locator("input[name=indicator]")).to_have_count(len(texts))
    # Reorder: the second goes first.
    level.get_by_role("button", name="Move indicator 2 of level 1 up").click()
    expected = [texts[1], texts[0], *texts[2:]]
    expect(level.locator("input[name=indicator]").first).to_have_value(texts[1])
    assert [i["text"] for i in server.graphql(q, token=token)["competency"]["indicators"]] == expected
    # Add one, edit one, delete one.
    level.get_by_label("New indicator for level 1").fill("Pairs with a colleague on a first task")
    level.get_by_role("button", name="Add indicator to level 1").click()
    expected.append("Pairs with a colleague on a first task")
    expect(level.locator("input[name=indicator]")).to_have_count(len(expected))
    level.get_by_label("Indicator 1 of level 1", exact=True).fill("Shares work in progress early")
    level.get_by_role("button", name="Save changes to level 1").click()
    expected[0] = "Shares work in progress early"
    expect(level.locator(".form-done").last).to_contain_text("Saved the indicators of level 1")
    level.get_by_role("button", name="Delete indicator 2 of level 1").click()
    confirm(page)
    del expected[1]
    expect(level.locator("input[name=indicator]")).to_have_count(len(expected))
    values = [level.locator("input[name=indicator]").nth(i).input_value() for i in range(len(expected))]
    assert values == expected
    for _ in range(2):
        assert [i["text"] for i in server.graphql(q, token=token)["competency"]["indicators"]] == expected
        server.restart()


def test_add_and_remove_a_move(hr: tuple[Site, str]) -> None:
    site, token = hr
    server, page = site.server, site.page
    q = '{ role(id: "data-analyst") { movesTo(kind: CAN_MOVE_TO) { id } } }'
    before = {r["id"] for r in server.graphql(q, token=token)["role"]["movesTo"]}
    assert "product-manager" not in before
    site.goto("#/editor/moves?role=data-analyst")
    edges = int(page.locator("#moves-graph").get_attribute("data-edges") or 0)
    form = page.locator("#move-add")
    form.get_by_label("Direction").select_option("out")
    form.get_by_label("Other role").select_option("product-manager")
    form.get_by_label("Kind of move").select_option("CAN_MOVE_TO")
    form.get_by_role("button", name="Add move").click()
    item = page.locator("#moves-out li[data-role-id='product-manager'][data-kind='CAN_MOVE_TO']")
    expect(item).to_have_count(1)
    expect(page.locator("#moves-graph")).to_have_attribute("data-edges", str(edges + 1))
    assert {r["id"] for r in server.graphql(q, token=token)["role"]["movesTo"]} == before | {"product-manager"}
    server.restart()
    assert {r["id"] for r in server.graphql(q, token=token)["role"]["movesTo"]} == before | {"product-manager"}

    # The same move again: CONFLICT next to the role chosen; nothing written.
    site.goto("#/editor/moves?role=data-analyst")
    form = page.locator("#move-add")
    form.get_by_label("Other role").select_option("product-manager")
    form.get_by_label("Kind of move").select_option("CAN_MOVE_TO")
    form.get_by_role("button", name="Add move").click()
    expect(form.locator("[data-field='other'] .field-error")).to_contain_text("already exists")

    page.locator("#moves-out li[data-role-id='product-manager'][data-kind='CAN_MOVE_TO'] button").click()
    confirm(page)
    expect(page.locator("#moves-out li[data-role-id='product-manager'][data-kind='CAN_MOVE_TO']")).to_have_count(0)
    for _ in range(2):
        assert {r["id"] for r in server.graphql(q, token=token)["role"]["movesTo"]} == before
        server.restart()


def test_a_learning_resource(hr: tuple[Site, str]) -> None:
    site, token = hr
    server, page = site.server, site.page
    site.goto("#/editor/resources")
    form = page.locator("#resource-form")
    form.get_by_label("Title").fill("Design Review Clinic")
    expect(form.get_by_label("Id")).to_have_value("design-review-clinic")
    form.get_by_label("Kind").select_option("MENTORING")
    form.get_by_label("Hours").fill("6")
    form.get_by_label("Link (URL)").fill("https://learn.example/design-review")
    form.get_by_role("button", name="Add a competency it develops").click()
    form.get_by_label("Competency developed, line 1").select_option("software-design")
    form.get_by_label("From level, line 1").select_option("2")
    form.get_by_label("To level, line 1").select_option("3")
    site.navigate(lambda: form.get_by_role("button", name="Create resource").click())
    expect(page.locator("#resource-list tr[data-id='design-review-clinic']")).to_contain_text("Software design 2→3")
    want = {"id": "design-review-clinic", "title": "Design Review Clinic", "kind": "MENTORING", "hours": 6.0,
            "url": "https://learn.example/design-review",
            "develops": [{"competency": {"id": "software-design"}, "fromLevel": 2, "toLevel": 3}]}
    q = """{ learningResources(first: 500) { nodes { id title kind hours url develops { competency { id } fromLevel toLevel } } } }"""
    for _ in range(2):
        got = [r for r in server.graphql(q, token=token)["learningResources"]["nodes"] if r["id"] == "design-review-clinic"]
        assert got == [want]
        server.restart()


def test_import_preview_apply_and_export(hr: tuple[Site, str], tmp_path: Path) -> None:
    site, token = hr
    server, page = site.server, site.page
    site.goto("#/editor/import")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download JSON").click()
    path = tmp_path / "export.json"
    info.value.save_as(path)
    doc = json.loads(path.read_text())
    counts = server.graphql("{ roles(first: 1) { totalCount } competencies(first: 1) { totalCount } people(first: 1) { totalCount } }", token=token)
    assert len(doc["roles"]) == counts["roles"]["totalCount"]
    assert len(doc["competencies"]) == counts["competencies"]["totalCount"]
    assert len(doc["people"]) == counts["people"]["totalCount"]
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV sheets (zip)").click()
    assert info.value.suggested_filename == "trellis-sheets.zip"

    edited = copy.deepcopy(doc)
    edited["competencies"].append({"id": "treaty-drafting", "name": "Treaty drafting", "category": "BEHAVIOURAL", "description": "",
                                   "indicators": {"1": ["Prepares a walk-away point"]}})
    edited["roles"][0]["title"] += " (imported)"
    edited["roles"][0]["requires"].append({"competency": "treaty-drafting", "level": 1, "weight": 1.0, "essential": False})
    removed = edited["resources"].pop()
    upload = tmp_path / "org.json"
    upload.write_text(json.dumps(edited))
    page.locator("#import-files").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the import").click()
    table = page.locator("#import-changes")
    expect(table).to_be_visible()

    def cells(kind: str) -> list[str]:
        return [table.locator(f"tr[data-kind='{kind}'] td[data-col='{c}']").inner_text() for c in ("added", "changed", "removed")]

    assert cells("competencies") == ["1", "0", "0"]
    assert cells("roles") == ["0", "1", "0"]
    assert cells("requirements") == ["1", "0", "0"]
    assert cells("resources") == ["0", "0", "1"]
    assert cells("people") == ["0", "0", "0"]
    assert server.graphql('{ competencies(first: 1, ids: ["treaty-drafting"]) { totalCount } }', token=token)["competencies"]["totalCount"] == 0
    page.get_by_role("button", name="Apply the import").click()
    confirm(page)
    expect(page.locator("#import-done")).to_contain_text(f"{len(edited['roles'])} roles")
    q = f'{{ role(id: "{edited["roles"][0]["id"]}") {{ title requirements {{ competency {{ id }} }} }} learningResources(first: 500) {{ totalCount }} }}'
    for _ in range(2):
        got = server.graphql(q, token=token)
        assert got["role"]["title"] == edited["roles"][0]["title"]
        assert "treaty-drafting" in {r["competency"]["id"] for r in got["role"]["requirements"]}
        assert got["learningResources"]["totalCount"] == len(doc["resources"]) - 1
        assert removed["id"] not in {r["id"] for r in server.graphql("{ learningResources(first: 500) { nodes { id } } }", token=token)["learningResources"]["nodes"]}
        server.restart()

    # A bad file: refused with its problems listed, nothing written.
    bad = copy.deepcopy(edited)
    bad["roles"][1]["family"] = "no-such-family"
    upload.write_text(json.dumps(bad))
    site.goto("#/editor/import")
    page.locator("#import-files").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#import-result .field-error")).to_contain_text("no-such-family")
    expect(page.locator("#import-result .field-error")).to_have_attribute("data-code", "BAD_INPUT")
    # Chromium logs every HTTP 400 a fetch gets; this one is the refusal the test asked for.
    site.errors = [e for e in site.errors if "400 (Bad Request)" not in e or "/api/import/preview" not in e]
    assert server.graphql(q, token=token)["role"]["title"] == edited["roles"][0]["title"]


def test_the_editor_on_neo4j(browser: Browser, neo4j_site_server: SiteServer) -> None:
    server = neo4j_site_server.seed()
    with open_site(browser, server, "test_the_editor_on_neo4j") as site:
        token = site.sign_in(HR, "#/editor")
        site.page.wait_for_selector("#checks-summary")
        create_and_require(site, token, "software-engineering", None, "Graph Database Engineer", "graph-database-engineer")
        want = expected_role("graph-database-engineer", "Graph Database Engineer", "software-engineering", None)
        for _ in range(2):
            assert server.graphql(ROLE, {"id": "graph-database-engineer"}, token=token)["role"] == want
            server.restart()
        site.assert_no_console_errors()


def test_role_pages_link_hr_to_the_editor(hr: tuple[Site, str]) -> None:
    site, _ = hr
    site.goto("#/role/data-analyst")
    site.navigate(lambda: site.page.locator("#edit-role").click())
    assert site.page.evaluate("location.hash") == "#/editor/role/data-analyst"
    expect(site.page.locator("#role-details [name=title]")).to_have_value("Data Analyst")


def test_the_editor_is_for_hr_only(browser: Browser, editor_server: SiteServer) -> None:
    with open_site(browser, editor_server, "test_the_editor_is_for_hr_only") as site:
        site.sign_in("priya-raman", "#/career")
        site.goto("#/role/data-analyst")
        expect(site.page.locator("#edit-role")).to_have_count(0)
        site.goto("#/editor")
        expect(site.page.locator("main .error-box")).to_have_attribute("data-code", "FORBIDDEN")
        expect(site.page.locator("#role-create")).to_have_count(0)
