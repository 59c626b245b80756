"""The embedded store: the organisation in memory, persisted to one JSON file.

Writes build a new immutable snapshot and swap it in, so a write happens entirely
or not at all; the file is replaced atomically (write a temporary file, fsync,
rename), so a crash never leaves half a file.

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

from ..audit import AuditEntry
from ..document import from_document, to_document
from ..edits import Edit
from ..errors import BadInput, Conflict
from ..model import Framework, Organisation
from ..seeds import sample_organisation
from ..progress import Progress

__all__ = ["EmbeddedStore", "empty_organisation"]


def empty_organisation() -> Organisation:
    return Organisation(Framework(id="framework", name="Competency framework"))


class EmbeddedStore:
    """An in-process store backed by ``path``.

    A missing file starts with the sample organisation when ``seed`` is true
    (serving), empty otherwise (importing); an existing file is never reseeded.
    """

    def __init__(self, path: Path | str, seed: bool = True) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stat: tuple[int, int, int] | None = None
        self._audit: list[AuditEntry] = []
        if self.path.exists():
            self._load()
        else:
            self._org = sample_organisation() if seed else empty_organisation()
            self._version = ""
            self._write(self._org)

    def _load(self) -> None:
        try:
            stat = self._file_stat()
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._org = from_document(raw["organisation"])
            self._version = str(raw["version"])
            self._audit = [AuditEntry(**e) for e in raw.get("audit", [])]
            self._stat = stat
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"The store file {self.path} cannot be read: {exc}") from exc

    def _file_stat(self) -> tuple[int, int, int]:
        st = os.stat(self.path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _refresh(self) -> None:
        """Another process (a second uvicorn worker, ``trellis import``) may have replaced the file."""
        try:
            stat = self._file_stat()
        except FileNotFoundError:
            return
        if stat != self._stat:
            with self._lock:
                if stat != self._stat:
                    self._load()

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
                if self.path.exists() and self._file_stat() != self._stat:
                    self._load()
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def replace(self, org: Organisation, progress: Progress | None = None) -> None:
        """One write of the whole file (no batches, so ``progress`` hears only the end)."""
        with self._writing():
            self._write(org)
        if progress:
            progress("writing", 1, 1)

    def commit(self, edit: Edit, base_version: str, audit: AuditEntry) -> None:
        """Write one edit and its audit entry together, unless the store changed since ``base_version``
        (in this process or another one writing the same file)."""
        with self._writing():
            if self._version != base_version:
                raise Conflict("The organisation changed while this edit was prepared; try again.")
            self._write(edit.org, [*self._audit, audit])

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

    def _write(self, org: Organisation, audit: list[AuditEntry] | None = None) -> None:
        version = uuid.uuid4().hex
        audit = self._audit if audit is None else audit
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".store-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"version": version, "organisation": to_document(org),   # dumps: the C encoder
                                     "audit": [e.as_dict() for e in audit]}))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._org, self._version, self._audit, self._stat = org, version, audit, self._file_stat()
