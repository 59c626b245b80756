"""The heatmap's cells page (offset, limit, cellCount): pages put together are the whole list, and a cell
is what the person's role asks against the person's level, checked against the organisation itself."""

from __future__ import annotations

from graph.projection import build_projection
from graph.seeds import sample_organisation

from .conftest import Api

QUERY = """query($offset: Int!, $limit: Int) { teamHeatmap(manager: "helena-marsh") {
  cellCount cells(offset: $offset, limit: $limit) { person { id } competency { id } required current deficit } } }"""


def test_pages_make_the_whole_list(sample_api: Api) -> None:
    whole = sample_api.data(QUERY, {"offset": 0, "limit": None})["teamHeatmap"]
    cells = whole["cells"]
    assert whole["cellCount"] == len(cells) > 100
    pages = [sample_api.data(QUERY, {"offset": o, "limit": 37})["teamHeatmap"]["cells"] for o in range(0, len(cells), 37)]
    assert [c for page in pages for c in page] == cells
    assert sample_api.data(QUERY, {"offset": len(cells) + 5, "limit": 10})["teamHeatmap"]["cells"] == []
    proj = build_projection(sample_organisation())
    org = proj.org
    for c in cells[::17]:
        person, comp = c["person"]["id"], c["competency"]["id"]
        need = {q.competency_id: q.level for q in org.roles[org.people[person].role_id].requirements}[comp]
        held = int(proj.person_levels(proj.person_index[person])[proj.comp_index[comp]])
        assert (c["required"], c["current"], c["deficit"]) == (need, held, max(0, need - held))


def test_a_negative_page_is_bad_input(sample_api: Api) -> None:
    error = sample_api.error(QUERY, {"offset": -1, "limit": 5})
    assert error["extensions"]["code"] == "BAD_INPUT" and "offset" in error["message"]
