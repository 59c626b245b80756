"""The embedded store: the organisation in memory, persisted to a JSON file, its columns and its journal.

The store file (``store.json``) is a JSON object: the version, the small collections as document rows
(framework, competencies, families, moves, resources, plans...), the audit trail, and ``columns``: the
name and description of a side file (``store.json.<tag>.columns``, a new tag for every rewrite, see :mod:`graph.store.columns`)
holding the big collections (roles and their requirements, people, assessments) as arrays, so that an
organisation of a million people opens in seconds and is written without a whole-document copy. Files
of the earlier format (the whole document in ``organisation``) still open; the next rewrite converts them.

A write appends one line to the journal (``store.json.journal``: what the edit changed, see
:mod:`graph.store.journal`) and fsyncs it, so a write costs what it changed and readers never
wait for a whole-file rewrite. Now and then the file is rewritten with the journal folded in
(write the new side file and a temporary store file, fsync, rename the side file then the store file,
then drop the journal and the old side file), so a crash at any point leaves either the old state or the
new one, never half of either: the store file names the side file of its own version.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "store.json"
>>> store = EmbeddedStore(path, seed=True)
>>> len(store.organisation().roles) > 0, path.exists()
(True, True)
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..audit import AuditEntry
from ..document import from_document, to_document
from ..edits import Edit
from ..errors import BadInput, StaleVersion
from ..model import Framework, Organisation
from ..progress import Progress
from ..projection import Hint
from ..seeds import sample_organisation
from . import columns, journal

__all__ = ["EmbeddedStore", "empty_organisation", "read_store", "read_store_file"]

FOLLOWED = 256
"""Journal lines followed from other processes that :meth:`EmbeddedStore.changes_since` remembers."""

COMPACT_BYTES = 4 * 2**20
"""The journal is folded into the file once it is this big, or bigger than the store file and its columns."""


def empty_organisation() -> Organisation:
    return Organisation(Framework(id="framework", name="Competency framework"))


def _journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _side_path(path: Path, tag: str) -> Path:
    return path.with_name(f"{path.name}.{tag}.columns")


def read_store_file(path: Path) -> tuple[str, dict[str, Any], list[dict[str, Any]], int]:
    """(version, organisation document, audit entries, journal bytes used) of a store file and its journal.

    Only journal lines that continue the file's version, one after another, count: a line from before
    the last compaction, or a torn last line (a crash mid-append, never acknowledged), is left out.
    A store file with columns gives the whole document (built from the organisation: big at scale).
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    if "columns" in raw:
        version, org, audit, used, _ = read_store(path)
        return version, to_document(org), audit, used
    version, lines, used = _journal(path, str(raw["version"]))
    doc = raw["organisation"]
    journal.apply(doc, lines)
    return version, doc, list(raw.get("audit", [])) + [line["audit"] for line in lines], used


def read_store(path: Path) -> tuple[str, Organisation, list[dict[str, Any]], int, int]:
    """(version, organisation, audit entries, journal bytes used, bytes of the store file and its columns).

    A side file removed while this read was under way (another process rewrote the store) is read again
    from the new store file."""
    for attempt in range(5):
        data = path.read_bytes()
        raw = json.loads(data)
        base = str(raw["version"])
        version, lines, used = _journal(path, base)
        audit = list(raw.get("audit", [])) + [line["audit"] for line in lines]
        if "columns" not in raw:                            # the earlier format: one JSON document
            doc = raw["organisation"]
            journal.apply(doc, lines)
            return version, from_document(doc), audit, used, len(data)
        desc = raw["columns"]
        side = path.with_name(str(desc["file"]))
        if side.parent != path.parent:
            raise BadInput(f"The store file {path} names a columns file elsewhere ({desc['file']}).")
        try:
            org = columns.read(side, desc, raw["organisation"], lines)
        except FileNotFoundError:
            if attempt < 4 and _named(path) != desc["file"]:      # rewritten meanwhile: read the new one
                continue
            raise BadInput(f"The store's columns file {side} is missing; nothing was changed.") from None
        return version, org, audit, used, len(data) + int(desc["bytes"])
    raise AssertionError("unreachable")


def _named(path: Path) -> Any:
    """The side file that the store file at ``path`` names now (None when it names none)."""
    try:
        return json.loads(path.read_bytes()).get("columns", {}).get("file")
    except (OSError, ValueError, AttributeError):
        return None


def _journal(path: Path, version: str) -> tuple[str, list[dict[str, Any]], int]:
    """(version after them, the journal lines that continue ``version``, journal bytes they use)."""
    try:
        data = _journal_path(path).read_bytes()
    except FileNotFoundError:
        return version, [], 0
    lines: list[dict[str, Any]] = []
    used = offset = 0
    for chunk in data.splitlines(keepends=True):
        offset += len(chunk)
        if not chunk.endswith(b"\n"):
            break
        try:
            line = json.loads(chunk)
        except ValueError:
            break
        if line.get("base") == version:
            lines.append(line)
            version = line["version"]
        elif lines:
            break
        used = offset
    return version, lines, used


class EmbeddedStore:
    """An in-process store backed by ``path``.

    A missing file starts with the sample organisation when ``seed`` is true
    (serving), empty otherwise (importing); an existing file is never reseeded.
    """

    def __init__(self, path: Path | str, seed: bool = True) -> None:
        self.path = Path(path)
        self.journal = _journal_path(self.path)
        self._lock = threading.Lock()
        self._stat: tuple[int, ...] | None = None
        self._audit: list[AuditEntry] = []
        self._used = self._bytes = 0
        self._followed: list[tuple[str, str, Hint]] = []
        if self.path.exists():
            self._load()
        else:
            self._org = sample_organisation() if seed else empty_organisation()
            self._version = ""
            with self._writing():
                self._write(self._org)

    def _load(self) -> None:
        try:
            stat = self._file_stat()
            version, org, audit, used, size = read_store(self.path)
            self._org = org
            self._version = version
            self._audit = [AuditEntry(**e) for e in audit]
            self._used, self._stat, self._bytes = used, stat, size
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"The store file {self.path} cannot be read: {exc}") from exc

    def _file_stat(self) -> tuple[int, ...]:
        st = os.stat(self.path)
        try:
            size = os.stat(self.journal).st_size
        except FileNotFoundError:
            size = -1
        return (st.st_ino, st.st_mtime_ns, st.st_size, size)

    def _refresh(self) -> None:
        """Another process (a second uvicorn worker, ``trellis import``) may have written."""
        try:
            stat = self._file_stat()
        except FileNotFoundError:
            return
        if stat != self._stat:
            with self._lock:
                if stat != self._stat:
                    self._catch_up(stat)

    def _catch_up(self, stat: tuple[int, ...]) -> None:
        """Follow the journal lines another process appended, else read the whole store; the caller holds the lock."""
        if not self._follow(stat):
            self._load()
            self._followed.clear()

    def _follow(self, stat: tuple[int, ...]) -> bool:
        """Apply the journal lines appended since this process last read it (:func:`journal.follow`): another
        worker's check-in then costs its line, not a reading of the store. False when the store file itself
        changed (a compaction, an import) or a line is not one to follow."""
        if self._stat is None or stat[:3] != self._stat[:3] or stat[3] < self._used:
            return False
        try:
            with open(self.journal, "rb") as fh:
                fh.seek(self._used)
                data = fh.read()
        except FileNotFoundError:
            return False
        org, version, used, audit, steps = self._org, self._version, self._used, [], []
        for chunk in data.splitlines(keepends=True):
            if not chunk.endswith(b"\n"):
                break                                   # being written (or torn): the next look takes it
            try:
                line = json.loads(chunk)
                if line.get("base") != version:
                    return False
                done = journal.follow(org, line)
                if done is None:
                    return False
                entry = AuditEntry(**line["audit"])
            except (ValueError, KeyError, TypeError):     # BadInput is a ValueError
                return False
            steps.append((version, line["version"], done[1]))
            org, version, used = done[0], line["version"], used + len(chunk)
            audit.append(entry)
        self._org, self._version, self._used, self._stat = org, version, used, stat
        self._audit = [*self._audit, *audit] if audit else self._audit
        self._followed = [*self._followed, *steps][-FOLLOWED:]
        return True

    def changes_since(self, version: str) -> tuple[Organisation, str, Hint] | None:
        """(organisation, its version, what changed) when the store got from ``version`` to now by following
        journal lines only, so a projection of ``version`` can be refreshed rather than built
        (:meth:`graph.engine.Engine.projection`); None otherwise."""
        self._refresh()
        with self._lock:
            hint: Hint | None = None
            for base, after, step in self._followed:
                if base != version:
                    if hint is None:
                        continue
                    return None             # a gap: this process's own commit, which the engine refreshed itself
                hint = step if hint is None else journal.combine(hint, step)
                version = after
            if hint is None or version != self._version:
                return None
            return self._org, self._version, hint

    def version(self) -> str:
        self._refresh()
        return self._version

    def organisation(self) -> Organisation:
        self._refresh()
        return self._org

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Exclusive across threads and processes (an advisory lock file beside the store), and current."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                for stale in self.path.parent.glob(f".{self.path.name}-*.tmp"):   # a writer killed mid-write
                    stale.unlink(missing_ok=True)
                if self.path.exists() and (stat := self._file_stat()) != self._stat:
                    self._catch_up(stat)
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def replace(self, org: Organisation, progress: Progress | None = None) -> None:
        """One write of the whole file (no batches, so ``progress`` hears only the end)."""
        with self._writing():
            self._write(org)
        if progress:
            progress("writing", 1, 1)

    def commit(self, edit: Edit, base_version: str, audit: AuditEntry) -> str:
        """Append one edit and its audit entry to the journal, unless the store changed since
        ``base_version`` (in this process or another one writing the same file). Answers the new version."""
        with self._writing():
            if self._version != base_version:
                raise StaleVersion("The organisation changed while this edit was prepared; try again.")
            version = uuid.uuid4().hex
            old = edit.base if edit.base is not None else self._org
            line = {"version": version, "base": self._version, **journal.entry(old, edit.org),
                    "audit": audit.as_dict()}
            data = (json.dumps(line) + "\n").encode("utf-8")
            new_file = not self.journal.exists()
            with open(self.journal, "ab") as fh:
                if fh.tell() > self._used:
                    fh.truncate(self._used)           # a torn line (a crash mid-append): never acknowledged
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if new_file:
                _sync_folder(self.path.parent)
            self._org, self._version, self._audit = edit.org, version, [*self._audit, audit]
            self._used += len(data)
            self._stat = self._file_stat()
            if self._used > max(COMPACT_BYTES, self._bytes):
                self._write(self._org)
            return self._version

    def audit_trail(self, subject: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[AuditEntry]]:
        """Newest first; ``subject`` filters by prefix (``Role:`` or ``Role:senior-engineer``)."""
        self._refresh()
        rows = [e for e in reversed(self._audit) if subject is None or e.subject.startswith(subject)]
        return len(rows), rows[offset:offset + limit]

    def healthy(self) -> bool:
        return True

    def check(self) -> None:
        self._refresh()

    def describe(self) -> str:
        return f"embedded store {self.path}"

    def close(self) -> None:
        pass

    def _write(self, org: Organisation) -> None:
        """The whole file anew (journal folded in), atomically; the caller holds the write lock.

        First the side file of the new version (under a temporary name, fsynced, renamed), then the store
        file naming it (the same way): until that rename, the old store file and its side file stand."""
        version = self._version if org is self._org and self._version else uuid.uuid4().hex
        tag = uuid.uuid4().hex                      # new for every write: compaction keeps the version
        side = _side_path(self.path, tag)
        temps: list[str] = []
        renamed = False

        def temporary() -> str:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}-", suffix=".tmp")
            os.close(fd)
            temps.append(tmp)
            return tmp

        try:
            tmp_side = temporary()
            desc = {**columns.write(Path(tmp_side), org, tag), "file": side.name}
            os.replace(tmp_side, side)
            renamed = True
            header = {"version": version, "format": 2, "organisation": columns.small_document(org),
                      "columns": desc, "audit": [e.as_dict() for e in self._audit]}
            tmp = temporary()
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(header))            # dumps: the C encoder
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            for t in temps:
                Path(t).unlink(missing_ok=True)
            if renamed and _named(self.path) != side.name:
                side.unlink(missing_ok=True)
            raise
        self.journal.unlink(missing_ok=True)       # folded in: a crash before this line leaves it stale, not reapplied
        _sync_folder(self.path.parent)
        for old in self.path.parent.glob(f"{self.path.name}.*.columns"):   # earlier versions' (and a crash's)
            if old != side:
                old.unlink(missing_ok=True)
        self._org, self._version, self._used, self._stat = org, version, 0, self._file_stat()
        self._bytes = self._stat[2] + int(desc["bytes"])


def _sync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
