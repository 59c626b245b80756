"""Stores: where the organisation lives. One contract, one implementation per backend.

A store hands out consistent :class:`~graph.model.Organisation` snapshots and a
``version`` that changes with every write, so the engine rebuilds its projection
when, and only when, the graph changed.
"""

from __future__ import annotations

from typing import Protocol

from ..model import Organisation

__all__ = ["Store"]


class Store(Protocol):
    def version(self) -> str:
        """An opaque token that changes with every write."""
        ...

    def organisation(self) -> Organisation:
        """A consistent snapshot of everything stored."""
        ...

    def replace(self, org: Organisation) -> None:
        """Make ``org`` the whole content, in one transaction."""
        ...

    def healthy(self) -> bool:
        """Whether the store answers right now."""
        ...

    def close(self) -> None: ...
