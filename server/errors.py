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
from strawberry.extensions import MaskErrors

from graph.errors import TrellisError

__all__ = ["ErrorCodes", "is_request_error"]


def is_request_error(error: GraphQLError) -> bool:
    """A variable that does not fit its type (``"abc"`` for an ``Int!``, a bad enum value): the request's
    fault, found before any resolver runs, so it has no path. graphql-core keeps the scalar's own
    complaint as ``original_error``; the message already says what is wrong."""
    return error.path is None and isinstance(error.original_error, (GraphQLError, ValueError, TypeError))


class ErrorCodes(MaskErrors):
    def __init__(self) -> None:
        super().__init__(error_message="Unexpected error.")

    def _process_result(self, result: object) -> None:
        """As Strawberry's, without its runtime Protocol check (a fifth of a trivial query's time)."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)       # type: ignore[attr-defined]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._process(e) for e in errors]

    def _process(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, TrellisError):
            ext = {"code": original.code}
            if original.problems:
                ext["problems"] = original.problems  # type: ignore[assignment]
            return GraphQLError(original.message, error.nodes, error.source, error.positions, error.path,
                                None, ext)
        if original is None or is_request_error(error):
            if original is None and error.extensions and "code" in error.extensions:
                return error
            return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                                None, {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"})
        masked = self.anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked
