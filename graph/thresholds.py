"""The tunable numbers of Trellis's semantics, with their documented defaults.

>>> Thresholds().upskill
0.7
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BadInput

__all__ = ["Thresholds"]


@dataclass(frozen=True)
class Thresholds:
    upskill: float = 0.7
    """Readiness at or above which a move that is not READY is UPSKILL (and not RESKILL)."""
    ready_now: float = 0.9
    """Succession: readiness at or above which a candidate is READY_NOW."""
    ready_soon: float = 0.7
    """Succession: readiness at or above which a candidate is READY_SOON (else READY_LATER)."""
    surplus_weight: float = 0.5
    """Closeness: how much one level of unused strength counts against one level of deficit."""
    emphasis_weight: float = 0.75
    """Closeness: the share of the distance that compares the shape of role and profile (where each
    puts its weight, within skills and within knowledge); the rest compares how much the profile
    lacks and leaves unused."""
    level_weight: float = 0.02
    """Closeness: distance added per rank between the profile's level and the role's (distances are 0..1)."""
    infer_moves_gap: float | None = None
    """Career paths: also move to roles at most one level up whose role-to-role gap is
    below this (None: curated moves only)."""
    max_limit: int = 100
    """The largest ``limit`` or page size any query answers; larger ones are capped."""

    def __post_init__(self) -> None:
        problems = [f"{name} must be between 0 and 1, not {getattr(self, name)}"
                    for name in ("upskill", "ready_now", "ready_soon", "emphasis_weight")
                    if not 0 <= getattr(self, name) <= 1]
        problems += [f"{name} must not be negative, not {getattr(self, name)}"
                     for name in ("surplus_weight", "level_weight", "infer_moves_gap")
                     if (getattr(self, name) or 0) < 0]
        if self.ready_now < self.ready_soon:
            problems.append(f"ready_now ({self.ready_now}) must not be below ready_soon ({self.ready_soon})")
        if self.max_limit < 1:
            problems.append(f"max_limit must be at least 1, not {self.max_limit}")
        if problems:
            raise BadInput("Thresholds: " + "; ".join(problems) + ".", problems)
