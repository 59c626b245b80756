"""Per-request context: the engine, one projection for the whole request, and the
warnings a request collects (capped limits) for ``extensions.warnings``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as _Info

from graph.engine import Engine
from graph.errors import BadInput, TrellisError
from graph.projection import Projection

from .auth import ANONYMOUS, Viewer

__all__ = ["Context", "Info"]


@dataclass
class Context:
    engine: Engine
    base: Engine | None = None
    """The unpinned engine: mutations commit through it and then see their own write."""
    request: Any = None
    response: Any = None
    viewer: Viewer = ANONYMOUS
    warnings: list[str] = field(default_factory=list)
    error: TrellisError | None = None
    """Set when the store could not be read for this request (e.g. UNAVAILABLE)."""

    @property
    def proj(self) -> Projection:
        if self.error is not None:
            raise self.error
        return self.engine.projection()

    def pin(self) -> None:
        """Hold the request to the store's current projection (or to the error that reading it gave)."""
        from graph.engine import PinnedEngine

        base = self.base or self.engine
        try:
            self.engine = PinnedEngine(base, base.projection())
        except TrellisError as exc:
            self.error = exc

    def refresh(self) -> None:
        """After a write: pin this request to the projection that includes it."""
        from graph.engine import PinnedEngine

        base = self.base or self.engine
        self.engine = PinnedEngine(base, base.projection())

    def limit(self, value: int, name: str = "limit") -> int:
        """Refuse a limit below 1; cap an absurd one and say so in the response."""
        cap = self.engine.thresholds.max_limit
        if value < 1:
            raise BadInput(f"{name} must be at least 1, not {value}.")
        if value > cap:
            self.warnings.append(f"{name} {value} is above the maximum of {cap}; answered {cap}.")
            return cap
        return value


Info = _Info[Context, None]
