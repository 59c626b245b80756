"""Malformed files through every import path: ``trellis import`` (server.cli.main) and the HTTP import
(``/api/import/preview`` and ``/api/import``, server/transfer_routes.py), plus what only an upload can be: zip
files (a zip bomb, lying sizes, a bad CRC, truncated, empty, names that climb out of the folder).

Each must be refused with the problem named (``error [BAD_INPUT]`` on the command line; 400 ``BAD_INPUT`` or
another 4xx with a message naming the file or problem over HTTP) and nothing written: the store's version,
organisation and audit trail unchanged; for the command line with no store yet, no store file left behind.
The files are the catalogue of ``tests/graph/formats/test_malformed.py``.
"""

from __future__ import annotations

import base64
import csv
import functools
import io
import json
import struct
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.document import from_document
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access
from server.cli import main
from tests.graph.conftest import tiny_document
from tests.graph.formats.test_malformed import FORMULAS, FRAMEWORK_CSV, MALFORMED, Malformed, _formula_org

from .conftest import settings, token


def _args(bad: Malformed, path: Path) -> list[str]:
    return ["import", str(path), *(["--format", bad.fmt] if bad.fmt else [])]


# --- trellis import -----------------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the CLI's embedded store lives (nothing there yet)."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("TRELLIS_DATASET", raising=False)
    monkeypatch.setenv("TRELLIS_DATA", str(tmp_path / "store" / "store.json"))
    return tmp_path / "store" / "store.json"


def _existing(data: Path) -> tuple[Any, str, int]:
    store = EmbeddedStore(data, seed=False)
    try:
        if not store.organisation().competencies:
            store.replace(from_document(tiny_document()))
        return store.organisation(), store.version(), store.audit_trail()[0]
    finally:
        store.close()


@pytest.mark.parametrize("bad", [m.param() for m in MALFORMED])
def test_cli_refuses_and_creates_no_store(bad: Malformed, data: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = bad.write(tmp_path / "in")
    assert main(_args(bad, path)) == 2
    out = capsys.readouterr()
    assert out.err.startswith("error [BAD_INPUT]: "), out.err[:500]
    for words in bad.words:
        assert words in out.err, (words, out.err[:2000])
    assert "Traceback" not in out.err and len(out.err) < 100_000
    assert not data.exists()


def test_cli_refused_import_leaves_no_file_at_all(data: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"framework": {"id": ')
    assert main(["import", str(tmp_path / "broken.json")]) == 2
    assert not data.exists()
    assert not [p.name for p in data.parent.glob("*")] if data.parent.exists() else True


@pytest.mark.parametrize("bad", [m.param() for m in MALFORMED])
def test_cli_refuses_and_leaves_the_store_as_it_was(bad: Malformed, data: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = _existing(data)
    path = bad.write(tmp_path / "in")
    assert main(_args(bad, path)) == 2
    assert "error [BAD_INPUT]" in capsys.readouterr().err
    assert _existing(data) == before


def test_cli_imports_formula_cells_as_plain_text(data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "framework.csv").write_bytes(FRAMEWORK_CSV)
    (folder / "competencies.csv").write_text(
        'id,name,category,description\nsql,"=HYPERLINK(""http://evil.example"",""x"")",TECHNICAL,+cmd|\' /C calc\'!A0\n'
        "talk,@SUM(1+1),BEHAVIOURAL,-2+3\n", encoding="utf-8")
    assert main(["import", str(folder)]) == 0
    store = EmbeddedStore(data, seed=False)
    org = store.organisation()
    store.close()
    assert {k: (c.name, c.description) for k, c in org.competencies.items()} == {
        "sql": ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0"), "talk": ("@SUM(1+1)", "-2+3")}


# --- the HTTP import ----------------------------------------------------------------------------------------


class Http:
    def __init__(self, client: TestClient, store: EmbeddedStore) -> None:
        self.client, self.store = client, store
        self.hr = {"authorization": f"Bearer {token('boss', Access.HR)}"}

    def state(self) -> tuple[Any, str, int]:
        return self.store.organisation(), self.store.version(), self.store.audit_trail()[0]

    def upload(self, url: str, files: dict[str, bytes], fmt: str | None = None) -> Any:
        body: dict[str, Any] = {"files": [{"name": n, "encoding": "base64", "content": base64.b64encode(b).decode()}
                                          for n, b in files.items()]}
        if fmt:
            body["format"] = fmt
        return self.client.post(url, json=body, headers=self.hr)


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Http]:
    store = EmbeddedStore(tmp_path_factory.mktemp("http-import") / "s.json", seed=False)
    store.replace(from_document(tiny_document()))
    with TestClient(create_app(settings(), store=store), raise_server_exceptions=False) as client:
        yield Http(client, store)


URLS = ["/api/import/preview", "/api/import"]


def _refused(http: Http, url: str, files: dict[str, bytes], fmt: str | None, status: int, code: str,
             words: tuple[str, ...]) -> None:
    before = http.state()
    resp = http.upload(url, files, fmt)
    assert resp.status_code == status, (resp.status_code, resp.text[:1000])
    error = resp.json()["error"]
    said = error["message"] + "\n" + "\n".join(error.get("problems", []))
    assert error["code"] == code, error
    for w in words:
        assert w in said, (w, said[:2000])
    assert len(resp.content) < 200_000, "the refusal quotes the upload back"
    assert http.state() == before                   # nothing written: version, organisation, audit trail


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("bad", [m.param() for m in MALFORMED])
def test_http_refuses_malformed_files(http: Http, bad: Malformed, url: str) -> None:
    _refused(http, url, bad.files, bad.fmt, 400, "BAD_INPUT", bad.words)


# --- zip files ----------------------------------------------------------------------------------------------


def _zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _patched(data: bytes, local: tuple[int, int], central: tuple[int, int]) -> bytes:
    """``data`` with a 4-byte field of the first local header and of the first central directory entry set."""
    out = bytearray(data)
    struct.pack_into("<I", out, out.find(b"PK\x03\x04") + local[0], local[1])
    struct.pack_into("<I", out, out.find(b"PK\x01\x02") + central[0], central[1])
    return bytes(out)


@functools.lru_cache(maxsize=1)
def _bomb() -> bytes:
    """120 MB of zeros as framework.csv, deflated to about 120 KB."""
    return _zip([("framework.csv", bytes(120 * 2**20))])


GOOD_SHEETS = [("framework.csv", FRAMEWORK_CSV)]
ESCAPE = f"trellis-escape-{uuid.uuid4().hex}.csv"

ZIPS = [
    pytest.param(lambda: _bomb(), 413, "TOO_LARGE", ("s.zip: unpacks to more than 100 MB",), id="zip-bomb"),
    pytest.param(lambda: _zip([(f"part{i}.csv", bytes(30 * 2**20)) for i in range(4)]), 413, "TOO_LARGE",
                 ("s.zip: unpacks to more than 100 MB",), id="zip-bomb-in-parts"),
    pytest.param(lambda: _patched(_zip([("framework.csv", b"k" * (50 * 2**20))]), (22, 100), (24, 100)), 400,
                 "BAD_INPUT", ("s.zip",), id="zip-lying-sizes"),
    pytest.param(lambda: _patched(_zip(GOOD_SHEETS, zipfile.ZIP_STORED), (14, 12345), (16, 12345)), 400,
                 "BAD_INPUT", ("s.zip",), id="zip-bad-crc"),
    pytest.param(lambda: _zip([*GOOD_SHEETS, ("roles.csv", b"id,title\n" + b"r,R\n" * 20_000)],
                              zipfile.ZIP_STORED)[:40_000], 400,
                 "BAD_INPUT", ("s.zip: not a zip file",), id="zip-truncated"),
    pytest.param(lambda: b"PK\x03\x04" + bytes(range(256)) * 4, 400, "BAD_INPUT", ("s.zip: not a zip file",),
                 id="zip-garbage"),
    pytest.param(lambda: b"", 400, "BAD_INPUT", ("s.zip: not a zip file",), id="zip-empty-file"),
    pytest.param(lambda: _zip([]), 400, "BAD_INPUT", ("s.zip: the zip file is empty",), id="zip-no-entries"),
    pytest.param(lambda: _zip([("sheets/", b""), ("sheets/.DS_Store", b"x"), ("__MACOSX/._framework.csv", b"x")]),
                 400, "BAD_INPUT", ("s.zip: the zip file is empty",), id="zip-only-folders-and-dotfiles"),
    pytest.param(lambda: _zip([("a/framework.csv", FRAMEWORK_CSV), ("b/framework.csv", FRAMEWORK_CSV)]), 400,
                 "BAD_INPUT", ("two files have the same name: framework.csv",), id="zip-same-name-twice"),
    pytest.param(lambda: _zip([*GOOD_SHEETS, (f"../../../../../../tmp/{ESCAPE}", b"id\n")]), 400, "BAD_INPUT",
                 (f"{ESCAPE}: unknown file",), id="zip-path-traversal"),
    pytest.param(lambda: _zip([("inner.zip", _zip(GOOD_SHEETS))]), 400, "BAD_INPUT",
                 ("framework.csv: the file is missing",), id="zip-in-a-zip"),
    pytest.param(lambda: _zip([("framework.csv", "key,value\nid,café\n".encode("latin-1"))]), 400, "BAD_INPUT",
                 ("framework.csv: is not UTF-8 text",), id="zip-latin1-sheet"),
    pytest.param(lambda: _zip([*GOOD_SHEETS, ("competencies.csv", b"id,name,category\nsql," + b"x" * (5 * 2**20)
                                              + b",TECHNICAL\n")]), 400, "BAD_INPUT",
                 ("competencies.csv line 2: is not valid CSV: field larger than field limit",), id="zip-huge-cell"),
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("make, status, code, words", ZIPS)
def test_http_refuses_bad_zip_files(http: Http, url: str, make: Any, status: int, code: str,
                                    words: tuple[str, ...]) -> None:
    _refused(http, url, {"s.zip": make()}, None, status, code, words)
    assert not (Path("/tmp") / ESCAPE).exists()


def test_http_imports_formula_cells_as_plain_text_and_exports_them(http: Http) -> None:
    """Imported: the text as it is; exported as JSON as it is (CSV: quoted, below)."""
    doc = _formula_org()
    resp = http.client.post("/api/import", json={"files": [{"name": "org.json", "content": json.dumps(doc)}]},
                            headers=http.hr)
    try:
        assert resp.status_code == 200, resp.text
        org = http.store.organisation()
        assert org == from_document(doc)
        assert [c.name for c in org.competencies.values()][:4] == FORMULAS[:4]
        exported = http.client.get("/api/export?format=json", headers=http.hr)
        assert from_document(exported.json()) == org                      # JSON export: the text as it is
    finally:
        http.store.replace(from_document(tiny_document()))


def test_http_csv_export_neutralises_formula_cells(http: Http) -> None:
    http.store.replace(from_document(_formula_org()))
    try:
        resp = http.client.get("/api/export?format=csv", headers=http.hr)
        assert resp.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(resp.content))
        dangerous = [(name, cell) for name in archive.namelist()
                     for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8")))
                     for cell in row if cell in FORMULAS and cell.lstrip("\t\r ")[:1] in "=+-@"]
        assert not dangerous, dangerous
    finally:
        http.store.replace(from_document(tiny_document()))
