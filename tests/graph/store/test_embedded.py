"""The embedded store and the engine's projection cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.document import from_document
from graph.engine import Engine
from graph.errors import BadInput
from graph.seeds import sample_organisation
from graph.store.embedded import EmbeddedStore

from ..conftest import tiny_document


def test_missing_file_starts_with_the_sample_when_serving(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.json", seed=True)
    assert store.organisation() == sample_organisation()
    assert (tmp_path / "s.json").exists()


def test_missing_file_starts_empty_when_importing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.json", seed=False)
    assert store.organisation().counts()["roles"] == 0


def test_existing_file_is_never_reseeded_and_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    tiny = from_document(tiny_document())
    EmbeddedStore(path, seed=False).replace(tiny)
    again = EmbeddedStore(path, seed=True)
    assert again.organisation() == tiny


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    header = json.loads(path.read_text())
    assert header["version"] == store.version()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == \
        ["s.json", header["columns"]["file"]]           # the store file and the one side file it names


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    with pytest.raises(BadInput, match="cannot be read"):
        EmbeddedStore(path)


def test_projection_is_rebuilt_when_and_only_when_the_version_changes(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.json", seed=False)
    engine = Engine(store)
    first = engine.projection()
    assert engine.projection() is first
    store.replace(from_document(tiny_document()))
    second = engine.projection()
    assert second is not first and len(second.role_ids) == 6
    assert engine.projection() is second


def test_two_processes_writing_one_file_never_lose_an_edit(tmp_path: Path) -> None:
    """Two store objects stand for two uvicorn workers: the second edit, prepared on the old
    version, gets CONFLICT instead of silently overwriting the first."""
    from graph.audit import entry
    from graph.edits import create_family
    from graph.errors import Conflict

    path = tmp_path / "s.json"
    a, b = EmbeddedStore(path, seed=False), EmbeddedStore(path, seed=False)
    a.replace(from_document(tiny_document()))
    base_org, base_version = b.organisation(), b.version()
    first = create_family(a.organisation(), "legal", "Legal")
    a.commit(first, a.version(), entry(first, "x", "HR"))
    second = create_family(base_org, "sales", "Sales")
    with pytest.raises(Conflict):
        b.commit(second, base_version, entry(second, "y", "HR"))
    assert set(EmbeddedStore(path).organisation().families) == {"eng", "ops", "legal"}
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith((".lock", ".journal", ".columns"))] == ["s.json"]
    assert len(list(tmp_path.glob("s.json.*.columns"))) == 1


def _family(store: EmbeddedStore, fid: str) -> None:
    from graph.audit import entry
    from graph.edits import create_family

    edit = create_family(store.organisation(), fid, fid.title())
    store.commit(edit, store.version(), entry(edit, "helena-marsh", "HR"))


def test_a_write_appends_one_journal_line_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    before = path.read_bytes()
    _family(store, "legal")
    _family(store, "sales")
    assert path.read_bytes() == before
    lines = [json.loads(x) for x in (tmp_path / "s.json.journal").read_text().splitlines()]
    assert [line["put"] for line in lines] == [{"families": [{"id": "legal", "name": "Legal"}]},
                                               {"families": [{"id": "sales", "name": "Sales"}]}]
    assert lines[1]["base"] == lines[0]["version"] and lines[1]["version"] == store.version()
    again = EmbeddedStore(path, seed=False)
    assert again.organisation() == store.organisation() and again.version() == store.version()
    assert [e.subject for e in again.audit_trail()[1]] == ["JobFamily:sales", "JobFamily:legal"]
    from graph import transfer

    assert set(transfer.read(path).org.families) == {"eng", "ops", "legal", "sales"}   # export sees the journal


def test_a_torn_last_line_is_ignored_then_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    _family(store, "legal")
    kept = store.organisation()
    with open(tmp_path / "s.json.journal", "ab") as fh:
        fh.write(b'{"version": "x", "base": "')                 # a crash mid-append: never acknowledged
    reopened = EmbeddedStore(path, seed=False)
    assert reopened.organisation() == kept
    _family(reopened, "sales")
    assert set(EmbeddedStore(path, seed=False).organisation().families) == {"eng", "ops", "legal", "sales"}


def test_compaction_folds_the_journal_in_and_a_stale_journal_is_never_reapplied(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.store import embedded

    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    _family(store, "legal")
    stale = (tmp_path / "s.json.journal").read_bytes()
    monkeypatch.setattr(embedded, "COMPACT_BYTES", 1)          # then the journal may grow to the file's size
    extra = 0
    while (tmp_path / "s.json.journal").exists():
        extra += 1
        _family(store, f"f{extra}")
    assert 2 <= extra < 100
    stored = {f["id"] for f in json.loads(path.read_text())["organisation"]["families"]}   # a small collection
    assert stored == {"eng", "ops", "legal", *(f"f{i}" for i in range(1, extra + 1))}
    (tmp_path / "s.json.journal").write_bytes(stale)          # a crash between the rename and dropping the journal
    again = EmbeddedStore(path, seed=False)
    assert again.organisation() == store.organisation() and again.version() == store.version()
    assert again.audit_trail()[0] == extra + 1
