"""The embedded store's columns file: round trips, the earlier JSON format, the journal on top of columns,
crash safety of the two-file write, and damaged side files refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.audit import entry
from graph.document import from_document, to_document
from graph.edits import (add_evidence, create_person, delete_competency, delete_person, record_assessment,
                         update_person, update_role)
from graph.errors import BadInput
from graph.generate import generate, generate_organisation
from graph.model import Assessment, Evidence, Organisation, Person, Source
from graph.seeds import sample_organisation
from graph.store import embedded
from graph.store.embedded import EmbeddedStore, read_store_file

from ..conftest import tiny_document

ROOT = Path(__file__).resolve().parents[3]


def _side(path: Path) -> Path:
    return path.with_name(json.loads(path.read_text())["columns"]["file"])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.endswith(".lock")}


def _awkward(org: Organisation) -> Organisation:
    """Notes, evidence, unicode and newlines, people without role, date or manager, a role without family."""
    a = list(org.assessments)
    a[0] = dataclasses.replace(a[0], note="Line one\nline «two» ✓",
                               evidence=(Evidence("review", "ok", dt.date(2026, 3, 1)), Evidence("1-on-1")))
    a[-1] = dataclasses.replace(a[-1], evidence=(Evidence("course", "", None),))
    people = dict(org.people)
    first = next(iter(people))
    people[first] = dataclasses.replace(people[first], role_id=None, since=None, name="Zoë Ünal")
    roles = dict(org.roles)
    rid = next(iter(roles))
    roles[rid] = dataclasses.replace(roles[rid], family_id=None, track_id=None, level_id=None,
                                     description="Tabs\tand\nnewlines inside are fine")
    return dataclasses.replace(org, assessments=tuple(a), people=people, roles=roles)


@pytest.mark.parametrize("make", [
    lambda: generate_organisation(60, 25, 300, seed=3, requirements=8),
    lambda: from_document(generate(roles=40, competencies=20, people=150, seed=5)),
    sample_organisation,
    lambda: from_document(tiny_document()),
    lambda: _awkward(generate_organisation(30, 12, 80, seed=9, requirements=6)),
])
def test_round_trip_reopens_the_same_organisation(tmp_path: Path, make: object) -> None:
    org = make()  # type: ignore[operator]
    path = tmp_path / "s.json"
    EmbeddedStore(path, seed=False).replace(org)
    header = json.loads(path.read_text())
    assert "roles" not in header["organisation"] and "assessments" not in header["organisation"]
    again = EmbeddedStore(path, seed=False).organisation()
    assert again == org
    assert to_document(again) == to_document(org)            # the same order too (people, roles)
    assert again.counts() == org.counts() and again.counts()["assessments"] > 0


def test_assessments_come_back_sorted_by_id_as_the_document_reader_gives_them(tmp_path: Path) -> None:
    org = from_document(tiny_document())
    shuffled = dataclasses.replace(org, assessments=tuple(reversed(org.assessments)))
    path = tmp_path / "s.json"
    EmbeddedStore(path, seed=False).replace(shuffled)
    assert EmbeddedStore(path, seed=False).organisation() == from_document(to_document(shuffled)) == org


def _old_format(path: Path, org: Organisation, version: str = "old-1") -> None:
    path.write_text(json.dumps({"version": version, "organisation": to_document(org), "audit": []}))


def test_an_old_json_store_file_with_its_journal_still_opens_and_is_converted_at_the_next_rewrite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    org = from_document(tiny_document())
    _old_format(path, org)
    store = EmbeddedStore(path, seed=False)
    assert store.organisation() == org and store.version() == "old-1"
    edit = record_assessment(org, "boss", "a", 4, Source.MANAGER, dt.date(2026, 1, 5), note="old journal")
    store.commit(edit, "old-1", entry(edit, "boss", "HR"))
    assert "columns" not in json.loads(path.read_text())          # a journal line, the file untouched
    again = EmbeddedStore(path, seed=False)
    assert again.organisation() == edit.org and again.audit_trail()[0] == 1
    assert from_document(read_store_file(path)[1]) == edit.org
    monkeypatch.setattr(embedded, "COMPACT_BYTES", 1)                 # compaction once the journal > the file
    n = 1
    while (tmp_path / "s.json.journal").exists():
        n += 1
        nxt = record_assessment(again.organisation(), "boss", "b", n % 6, Source.SELF, dt.date(2026, 1, n))
        again.commit(nxt, again.version(), entry(nxt, "boss", "HR"))
    assert 2 < n < 60 and "columns" in json.loads(path.read_text())
    reopened = EmbeddedStore(path, seed=False)
    assert reopened.organisation() == again.organisation() and reopened.audit_trail()[0] == n


def test_replace_writes_the_new_format_over_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    _old_format(path, sample_organisation())
    tiny = from_document(tiny_document())
    EmbeddedStore(path, seed=False).replace(tiny)
    assert "columns" in json.loads(path.read_text())
    assert EmbeddedStore(path, seed=False).organisation() == tiny


def _commit(store: EmbeddedStore, edit: object) -> None:
    store.commit(edit, store.version(), entry(edit, "boss", "HR"))  # type: ignore[arg-type]


def test_journal_edits_of_the_big_collections_replay_on_top_of_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    org = store.organisation()
    _commit(store, create_person(org, "zed", "Zed", role="junior", manager="boss"))
    _commit(store, record_assessment(store.organisation(), "zed", "a", 2, Source.SELF, dt.date(2026, 2, 1)))
    first = store.organisation().assessments[0].id
    _commit(store, add_evidence(store.organisation(), first, "review", "seen", dt.date(2026, 2, 2)))
    _commit(store, update_role(store.organisation(), "mid", "Middle", family="ops",
                               requirements=[("d", 3, 1.5, True), ("a", 1, 1.0, False)]))
    _commit(store, update_person(store.organisation(), "zed", "Zed Again", role="mid", manager="boss"))
    victim = next(p for p in store.organisation().people if p not in ("boss", "zed"))
    _commit(store, delete_person(store.organisation(), victim, cascade=True))
    _commit(store, delete_competency(store.organisation(), "c", cascade=True))
    assert "columns" in json.loads(path.read_text()) and (tmp_path / "s.json.journal").exists()
    expected = store.organisation()
    again = EmbeddedStore(path, seed=False)
    assert again.organisation() == expected and again.version() == store.version()
    assert to_document(again.organisation()) == to_document(expected)
    assert again.organisation().roles["mid"].requirements[0].competency_id == "a"
    assert victim not in again.organisation().people and "zed" in again.organisation().people
    # the old reading: the whole document with the journal applied, through the document reader
    assert from_document(read_store_file(path)[1]) == expected


def test_compaction_folds_big_edits_into_new_columns_and_drops_the_old_side_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(generate_organisation(20, 10, 40, seed=1, requirements=5))
    old_side = _side(path)
    monkeypatch.setattr(embedded, "COMPACT_BYTES", 1)
    n = 0
    while (tmp_path / "s.json.journal").exists() or n == 0:
        n += 1
        _commit(store, record_assessment(store.organisation(), "p000001", "c0001", n % 6, Source.PEER,
                                         dt.date(2026, 1, 1) + dt.timedelta(days=n)))
    assert n >= 2
    assert not old_side.exists() and _side(path).exists() and list(tmp_path.glob("*.columns")) == [_side(path)]
    again = EmbeddedStore(path, seed=False)
    assert again.organisation() == store.organisation() and again.version() == store.version()
    assert sum(a.person_id == "p000001" and a.competency_id == "c0001" and a.source == Source.PEER
               for a in again.organisation().assessments) >= n


def test_a_torn_journal_line_on_top_of_columns_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    _commit(store, create_person(store.organisation(), "zed", "Zed"))
    kept = store.organisation()
    with open(tmp_path / "s.json.journal", "ab") as fh:
        fh.write(b'{"version": "x", "base": "' + store.version().encode() + b'", "put": {"people": [{"id"')
    assert EmbeddedStore(path, seed=False).organisation() == kept


_KILL = """
import os, sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from graph.document import from_document
from graph.seeds import sample_organisation
from graph.store import embedded
real = os.replace
def dying(src, dst):
    if sys.argv[2] == "side" and str(dst).endswith(".columns"):
        os._exit(9)                                   # killed before the new side file is in place
    if sys.argv[2] == "header" and str(dst) == sys.argv[1]:
        os._exit(9)                                   # killed after the side file, before the store file
    real(src, dst)
os.replace = dying
embedded.EmbeddedStore(sys.argv[1], seed=False).replace(sample_organisation())
"""


@pytest.mark.parametrize("moment", ["side", "header", "none"])
def test_a_writer_killed_mid_write_leaves_the_old_state_or_the_new(tmp_path: Path, moment: str) -> None:
    path = tmp_path / "s.json"
    tiny = from_document(tiny_document())
    EmbeddedStore(path, seed=False).replace(tiny)
    proc = subprocess.run([sys.executable, "-c", _KILL, str(path), moment, str(ROOT)], capture_output=True)
    assert proc.returncode == (0 if moment == "none" else 9), proc.stderr
    opened = EmbeddedStore(path, seed=False)
    assert opened.organisation() == (sample_organisation() if moment == "none" else tiny)
    json.loads(path.read_text())                                     # the store file is whole
    opened.replace(tiny)                                             # the next write clears what was left
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == \
        sorted(["s.json", _side(path).name])
    assert EmbeddedStore(path, seed=False).organisation() == tiny


def _damage(side: Path, how: str) -> None:
    data = bytearray(side.read_bytes())
    if how == "truncated":
        side.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "flipped":
        data[len(data) - 40] ^= 0x55
        side.write_bytes(bytes(data))
    elif how == "missing":
        side.unlink()
    elif how == "empty":
        side.write_bytes(b"")


@pytest.mark.parametrize("how", ["truncated", "flipped", "missing", "empty"])
def test_a_damaged_side_file_is_refused_naming_it_and_nothing_is_written(tmp_path: Path, how: str) -> None:
    path = tmp_path / "s.json"
    EmbeddedStore(path, seed=False).replace(generate_organisation(20, 10, 40, seed=1, requirements=5))
    side = _side(path)
    _damage(side, how)
    before = _files(tmp_path)
    with pytest.raises(BadInput) as err:
        EmbeddedStore(path, seed=True)
    assert str(side) in str(err.value) and ("damaged" in str(err.value) or "missing" in str(err.value))
    assert _files(tmp_path) == before                                # nothing written, nothing removed
    with pytest.raises(BadInput, match="columns file"):
        read_store_file(path)


def _written(folder: Path, org: Organisation) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "s.json"
    EmbeddedStore(path, seed=False).replace(org)
    return path


def test_values_that_break_the_model_rules_are_refused_even_with_good_checksums(tmp_path: Path) -> None:
    """The checks are the document reader's, done on whole columns: levels on the scale, references that
    exist, no reporting cycles, ids that are ids."""
    base = from_document(tiny_document())
    a0 = base.assessments[0]
    bad_level = dataclasses.replace(base, assessments=(dataclasses.replace(a0, level=9), *base.assessments[1:]))
    with pytest.raises(BadInput, match="a_level"):
        EmbeddedStore(_written(tmp_path / "1", bad_level))
    unknown = dataclasses.replace(base, assessments=(*base.assessments,
                                                     Assessment("zz", "boss", "nope", 1, Source.SELF, dt.date(2026, 1, 1))))
    with pytest.raises(BadInput, match="no longer exists|a_competency"):
        EmbeddedStore(_written(tmp_path / "2", unknown))
    people = dict(base.people)
    boss = people["boss"]
    other = next(p for p in people.values() if p.manager_id == "boss")
    people["boss"] = dataclasses.replace(boss, manager_id=other.id)
    with pytest.raises(BadInput) as err:
        EmbeddedStore(_written(tmp_path / "3", dataclasses.replace(base, people=people)))
    assert any("reporting cycle" in p and "boss" in p for p in err.value.problems)
    spaced = dict(base.people)
    spaced["a b"] = Person("a b", "Spaced")
    with pytest.raises(BadInput, match="person_id"):
        EmbeddedStore(_written(tmp_path / "4", dataclasses.replace(base, people=spaced)))


def test_a_journal_that_drops_what_the_columns_still_refer_to_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = EmbeddedStore(path, seed=False)
    store.replace(from_document(tiny_document()))
    version = store.version()
    line = {"version": "v2", "base": version, "put": {}, "drop": {"competencies": ["d"]},   # roles lead and island require it
            "audit": entry(create_person(store.organisation(), "q", "Q"), "boss", "HR").as_dict()}
    (tmp_path / "s.json.journal").write_text(json.dumps(line) + "\n")
    with pytest.raises(BadInput, match="reference"):
        EmbeddedStore(path, seed=False)


def test_writing_does_not_build_the_document_of_the_big_collections(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.store import columns

    seen: list[int] = []
    real = columns.to_document
    monkeypatch.setattr(columns, "to_document",
                        lambda org: seen.append(len(org.assessments) + len(org.people) + len(org.roles)) or real(org))
    monkeypatch.setattr(embedded, "to_document", lambda org: pytest.fail("whole document built"))
    path = tmp_path / "s.json"
    EmbeddedStore(path, seed=False).replace(generate_organisation(20, 10, 40, seed=1, requirements=5))
    EmbeddedStore(path, seed=False)
    assert seen and set(seen) == {0}


def test_the_columns_are_much_smaller_than_the_json_document(tmp_path: Path) -> None:
    org = generate_organisation(200, 40, 2000, seed=2, requirements=10)
    path = _written(tmp_path, org)
    columns_bytes = path.stat().st_size + _side(path).stat().st_size
    assert columns_bytes * 3 < len(json.dumps(to_document(org)))
    assert os.path.getsize(_side(path)) == json.loads(path.read_text())["columns"]["bytes"]


def test_the_fast_constructors_build_what_the_dataclasses_build() -> None:
    from graph.model import Requirement
    from graph.model import unchecked as _maker

    values = ("a1", "p1", "c1", 3, Source.PEER, dt.date(2026, 1, 2), "n", (Evidence("k"),))
    fast = _maker(Assessment)(*values)
    slow = Assessment(*values)
    assert type(fast) is Assessment and fast == slow and hash(fast) == hash(slow) and vars(fast) == vars(slow)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(Assessment)]
    assert dataclasses.replace(fast, level=4) == dataclasses.replace(slow, level=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.level = 1  # type: ignore[misc]
    assert _maker(Person)("p", "P", "", None, None, None) == Person("p", "P")
    assert _maker(Requirement)("c", 2, 1.5, True) == Requirement("c", 2, 1.5, True)


def test_a_reader_whose_side_file_goes_away_meanwhile_reads_the_new_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process rewrote the store between this one reading the store file and opening its side file."""
    from graph.store import columns

    path = tmp_path / "s.json"
    EmbeddedStore(path, seed=False).replace(from_document(tiny_document()))
    real, calls = columns.read, []

    def racing(side: Path, *args: object) -> Organisation:
        if not calls:
            calls.append(side)
            EmbeddedStore(path, seed=False).replace(sample_organisation())    # drops the side file being read
        return real(side, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(columns, "read", racing)
    assert EmbeddedStore(path, seed=False).organisation() == sample_organisation()
    assert not calls[0].exists()
