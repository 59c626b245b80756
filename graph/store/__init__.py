"""Stores: where the organisation lives. One contract, one implementation per backend.

A store hands out consistent :class:`~graph.model.Organisation` snapshots and a
``version`` that changes with every write, so the engine rebuilds its projection
when, and only when, the graph changed.
"""

from __future__ import annotations

from typing import Protocol

from ..audit import AuditEntry
from ..edits import Edit
from ..model import Organisation
from ..progress import Progress

__all__ = ["Progress", "Store"]


class Store(Protocol):
    def version(self) -> str:
        """An opaque token that changes with every write."""
        ...

    def organisation(self) -> Organisation:
        """A consistent snapshot of everything stored."""
        ...

    def replace(self, org: Organisation, progress: Progress | None = None) -> None:
        """Make ``org`` the whole content; ``progress`` hears how far it got."""
        ...

    def commit(self, edit: Edit, base_version: str, audit: AuditEntry) -> str:
        """Write one edit and its audit entry in one transaction; CONFLICT if the version moved on.
        Answers the store's version right after it (the edit's own, whatever other writers do next)."""
        ...

    def audit_trail(self, subject: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[AuditEntry]]:
        """(total, entries newest first), optionally for subjects starting with ``subject``."""
        ...

    def healthy(self) -> bool:
        """Whether the store answers right now."""
        ...

    def check(self) -> None:
        """Raise :class:`~graph.errors.TrellisError` saying which setting to fix when the store is unusable."""
        ...

    def describe(self) -> str:
        """Where the store is, for a log line (``Neo4j at bolt://...``, ``embedded store .trellis/store.json``)."""
        ...

    def close(self) -> None: ...
