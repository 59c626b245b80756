"""Errors that Trellis reports to its users.

Every error carries a machine-readable ``code`` (the GraphQL ``extensions.code``)
and a message a person understands. ``problems`` lists every individual issue
when one input had several (an import file with many bad rows).

>>> err = NotFound("role", "astronaut")
>>> err.code, str(err)
('NOT_FOUND', "No role with id 'astronaut'.")
"""

from __future__ import annotations

__all__ = ["TrellisError", "BadInput", "NotFound", "Conflict", "StaleVersion", "Unavailable", "Forbidden", "Unauthenticated"]


class TrellisError(Exception):
    """Base class: an expected failure whose message is safe to show."""

    code = "INTERNAL"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])


class BadInput(TrellisError):
    """The input is malformed or out of range."""

    code = "BAD_INPUT"


class NotFound(TrellisError):
    """An id names nothing."""

    code = "NOT_FOUND"

    def __init__(self, kind: str, id: str) -> None:
        super().__init__(f"No {kind} with id '{id}'.")
        self.kind = kind
        self.id = id


class Conflict(TrellisError):
    """The change contradicts what is stored."""

    code = "CONFLICT"


class StaleVersion(Conflict):
    """The store moved on while an edit was prepared: the engine makes the edit again on what is there now."""


class Unavailable(TrellisError):
    """The store cannot be reached right now."""

    code = "UNAVAILABLE"


class Forbidden(TrellisError):
    """The caller is known but may not do or see this."""

    code = "FORBIDDEN"


class Unauthenticated(TrellisError):
    """The caller must sign in (or presented a token that is expired, malformed or wrongly signed)."""

    code = "UNAUTHENTICATED"
