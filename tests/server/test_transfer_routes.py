"""Import and export over HTTP (server/transfer_routes.py): HR only, a preview that writes nothing, an apply in
one commit with an audit entry, a refused file that writes nothing, downloads in every format."""

from __future__ import annotations

import base64
import copy
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from graph.document import to_document
from graph.seeds import sample_organisation
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access
from server.transfer_routes import MAX_BODY
from tests.server.conftest import settings, token


class Client:
    def __init__(self, client: TestClient, store: EmbeddedStore, path: Path) -> None:
        self.client, self.store, self.path = client, store, path
        self.hr = {"authorization": f"Bearer {token('margaret-okonkwo', Access.HR)}"}

    def post(self, url: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(url, json=body, headers=self.hr if headers is None else headers)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Client]:
    path = tmp_path / "store.json"
    store = EmbeddedStore(path, seed=True)
    with TestClient(create_app(settings(), store=store), raise_server_exceptions=False) as client:
        yield Client(client, store, path)


def _by_id(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    return {item["id"]: item for item in doc.get(kind, [])}


def _expected(before: dict[str, Any], after: dict[str, Any], kind: str) -> dict[str, int]:
    """Added / changed / removed of a list of items with ids, straight from the two documents. Competencies
    are compared without their indicators, roles without their requirements (counted apart by the server)."""
    drop = {"competencies": "indicators", "roles": "requires"}.get(kind)
    a = {k: {f: v for f, v in x.items() if f != drop} for k, x in _by_id(before, kind).items()}
    b = {k: {f: v for f, v in x.items() if f != drop} for k, x in _by_id(after, kind).items()}
    return {"added": len(b.keys() - a.keys()), "removed": len(a.keys() - b.keys()),
            "changed": sum(1 for k in a.keys() & b.keys() if a[k] != b[k])}


def _edited_document() -> tuple[dict[str, Any], dict[str, Any]]:
    """The sample organisation's document, and a copy with a few known changes."""
    before = to_document(sample_organisation())
    after = copy.deepcopy(before)
    after["competencies"].append({"id": "prompt-craft", "name": "Prompt craft", "category": "TECHNICAL",
                                  "description": "Writes prompts.", "indicators": {1: ["Writes a prompt"], 2: ["Reviews prompts"]}})
    after["competencies"][0]["name"] = "Software design (renamed)"
    after["roles"][0]["title"] = "Associate Engineer (renamed)"
    after["roles"][1]["requires"][0]["level"] = after["roles"][1]["requires"][0]["level"] % 5 + 1
    after["roles"][1]["requires"].append({"competency": "prompt-craft", "level": 2, "weight": 1.0, "essential": False})
    used = {d["resource"] for p in after.get("plans", []) for d in p.get("items", [])} if after.get("plans") else set()
    gone = [r for r in after["resources"] if r["id"] not in used][:2]
    after["resources"] = [r for r in after["resources"] if r not in gone]
    return before, after


def test_anonymous_employee_and_bad_tokens_are_refused(api: Client) -> None:
    body = {"format": "json", "files": [{"name": "org.json", "content": "{}"}]}
    for url in ("/api/import/preview", "/api/import"):
        resp = api.post(url, body, headers={})
        assert resp.status_code == 401 and resp.json()["error"]["code"] == "UNAUTHENTICATED"
        resp = api.post(url, body, headers={"authorization": f"Bearer {token('priya-raman', Access.EMPLOYEE)}"})
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "FORBIDDEN"
        resp = api.post(url, body, headers={"authorization": f"Bearer {token('grace-lindqvist', Access.MANAGER)}"})
        assert resp.status_code == 403
        resp = api.post(url, body, headers={"authorization": "Bearer not-a-token"})
        assert resp.status_code == 401 and resp.json()["error"]["code"] == "UNAUTHENTICATED"
    resp = api.client.get("/api/export?format=json")
    assert resp.status_code == 401
    resp = api.client.get("/api/export?format=json", headers={"authorization": f"Bearer {token('priya-raman', Access.EMPLOYEE)}"})
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "FORBIDDEN"
    assert api.store.organisation() == sample_organisation()


def test_preview_counts_what_changes_and_writes_nothing(api: Client) -> None:
    before, after = _edited_document()
    version = api.store.version()
    resp = api.post("/api/import/preview", {"format": "json", "files": [{"name": "org.json", "content": json.dumps(after)}]})
    assert resp.status_code == 200, resp.text
    got = resp.json()
    assert got["mode"] == "replace" and got["format"] == "json"
    for kind in ("competencies", "roles", "resources", "people", "families", "levels"):
        assert got["changes"][kind] == _expected(before, after, kind), kind
    assert got["changes"]["competencies"] == {"added": 1, "changed": 1, "removed": 0}
    assert got["changes"]["roles"] == {"added": 0, "changed": 1, "removed": 0}
    assert got["changes"]["requirements"] == {"added": 1, "changed": 1, "removed": 0}
    assert got["changes"]["indicators"] == {"added": 2, "changed": 0, "removed": 0}
    assert got["changes"]["resources"] == {"added": 0, "changed": 0, "removed": 2}
    assert got["changes"]["people"] == {"added": 0, "changed": 0, "removed": 0}
    assert got["counts"]["competencies"] == len(before["competencies"]) + 1
    assert api.store.version() == version
    assert api.store.organisation() == sample_organisation()


def test_apply_commits_once_with_an_audit_entry(api: Client) -> None:
    before, after = _edited_document()
    total_before, _ = api.store.audit_trail()
    resp = api.post("/api/import", {"files": [{"name": "org.yaml", "content": yaml.safe_dump(after)}]})
    assert resp.status_code == 200, resp.text
    assert resp.json()["changes"]["competencies"] == {"added": 1, "changed": 1, "removed": 0}
    reopened = EmbeddedStore(api.path, seed=False).organisation()
    assert reopened.competencies["prompt-craft"].name == "Prompt craft"
    assert reopened.competencies["software-design"].name == "Software design (renamed)"
    assert reopened.roles[after["roles"][0]["id"]].title == "Associate Engineer (renamed)"
    assert len(reopened.resources) == len(before["resources"]) - 2
    assert len(reopened.people) == len(before["people"])
    req = {q.competency_id: q for q in reopened.roles[after["roles"][1]["id"]].requirements}
    assert req["prompt-craft"].level == 2
    total, entries = api.store.audit_trail()
    assert total == total_before + 1
    assert entries[0].action == "import" and entries[0].actor == "margaret-okonkwo" and entries[0].access == "HR"


def test_a_bad_file_is_refused_with_its_problems_and_writes_nothing(api: Client) -> None:
    _, after = _edited_document()
    after["roles"][0]["family"] = "no-such-family"
    after["roles"][2]["requires"][0]["competency"] = "no-such-competency"
    version = api.store.version()
    for url in ("/api/import/preview", "/api/import"):
        resp = api.post(url, {"format": "json", "files": [{"name": "org.json", "content": json.dumps(after)}]})
        assert resp.status_code == 400, resp.text
        err = resp.json()["error"]
        assert err["code"] == "BAD_INPUT"
        text = err["message"] + " ".join(err.get("problems", []))
        assert "no-such-family" in text and "no-such-competency" in text
    resp = api.post("/api/import", {"format": "json", "files": [{"name": "org.json", "content": "{not json"}]})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "BAD_INPUT"
    assert "line 1" in " ".join(resp.json()["error"]["problems"])
    resp = api.post("/api/import", {"format": "xls", "files": [{"name": "a.xls", "content": ""}]})
    assert resp.status_code == 400 and "format" in resp.json()["error"]["message"]
    assert api.store.version() == version
    assert EmbeddedStore(api.path, seed=False).organisation() == sample_organisation()


def test_too_large_and_not_json(api: Client) -> None:
    resp = api.client.post("/api/import/preview", content=b"x" * (MAX_BODY + 1),
                           headers={**api.hr, "content-type": "application/json"})
    assert resp.status_code == 413
    resp = api.client.post("/api/import/preview", content=b"a,b", headers={**api.hr, "content-type": "text/csv"})
    assert resp.status_code == 415


def test_exports_and_the_csv_round_trip(api: Client) -> None:
    org = sample_organisation()
    resp = api.client.get("/api/export?format=json", headers=api.hr)
    assert resp.status_code == 200 and "attachment" in resp.headers["content-disposition"]
    assert resp.json() == json.loads(json.dumps(to_document(org)))
    resp = api.client.get("/api/export?format=yaml", headers=api.hr)
    assert yaml.load(resp.text, Loader=yaml.CSafeLoader)["framework"]["id"] == org.framework.id
    resp = api.client.get("/api/export?format=case", headers=api.hr)
    case = resp.json()
    assert "CFDocument" in case and len(case["CFItems"]) >= len(org.competencies)
    resp = api.client.get("/api/export?format=csv", headers=api.hr)
    assert resp.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(resp.content))
    names = set(archive.namelist())
    assert {"competencies.csv", "roles.csv", "requirements.csv", "people.csv"} <= names
    rows = archive.read("competencies.csv").decode().strip().splitlines()
    assert len(rows) == len(org.competencies) + 1
    # The zip, and the folder's files one by one, import back as no change at all.
    zipped = {"files": [{"name": "sheets.zip", "encoding": "base64", "content": base64.b64encode(resp.content).decode()}]}
    for body in (zipped, {"format": "csv", "files": [{"name": n, "content": archive.read(n).decode()} for n in sorted(names)]}):
        got = api.post("/api/import/preview", body)
        assert got.status_code == 200, got.text
        assert got.json()["format"] == "csv"
        assert all(c == {"added": 0, "changed": 0, "removed": 0} for c in got.json()["changes"].values()), got.json()["changes"]
    resp = api.client.get("/api/export?format=xlsx", headers=api.hr)
    assert resp.status_code == 400


def test_a_case_file_replaces_only_the_framework(api: Client) -> None:
    org = sample_organisation()
    case = api.client.get("/api/export?format=case", headers=api.hr).json()
    got = api.post("/api/import/preview", {"files": [{"name": "framework.json", "content": json.dumps(case)}]}).json()
    assert got["format"] == "case" and got["mode"] == "framework"
    assert got["counts"]["people"] == len(org.people) and got["counts"]["roles"] == len(org.roles)
    assert got["changes"]["people"] == {"added": 0, "changed": 0, "removed": 0}
