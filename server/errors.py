"""Error policy: every error a client sees carries ``extensions.code``.

- errors Trellis raises on purpose (:class:`graph.errors.TrellisError`) keep their
  message and get their code (``BAD_INPUT``, ``NOT_FOUND``, ...), with every
  individual problem in ``extensions.problems``;
- GraphQL's own parse and validation errors, and variables that do not fit their
  types, keep their message (a client needs it to fix the request):
  ``GRAPHQL_VALIDATION_FAILED``;
- anything else is masked as ``INTERNAL_SERVER_ERROR``: no stack trace, no detail.
"""

from __future__ import annotations

from graphql.error import GraphQLError

from graph.errors import TrellisError

__all__ = ["coded", "is_request_error", "UNEXPECTED"]

UNEXPECTED = "Unexpected error."
"""The whole message of an error Trellis did not expect: no stack trace, no detail."""


def is_request_error(error: GraphQLError) -> bool:
    """A variable that does not fit its type (``"abc"`` for an ``Int!``, a bad enum value): the request's
    fault, found before any resolver runs, so it has no path. graphql-core keeps the scalar's own
    complaint as ``original_error``; the message already says what is wrong."""
    return error.path is None and isinstance(error.original_error, (GraphQLError, ValueError, TypeError))


def coded(error: GraphQLError) -> GraphQLError:
    """``error`` as a client sees it, with its ``extensions.code`` (see the module's policy)."""
    original = error.original_error
    if isinstance(original, TrellisError):
        ext = {"code": original.code}
        if original.problems:
            ext["problems"] = original.problems  # type: ignore[assignment]
        return GraphQLError(original.message, error.nodes, error.source, error.positions, error.path, None, ext)
    if original is None or is_request_error(error):
        if original is None and error.extensions and "code" in error.extensions:
            return error
        return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                            None, {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"})
    return GraphQLError(UNEXPECTED, error.nodes, error.source, error.positions, error.path, None,
                        {"code": "INTERNAL_SERVER_ERROR"})
