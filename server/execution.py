"""How Trellis runs a GraphQL operation: graphql-core's parse, validate and execute, each cached where it can be,
with Trellis's checks between them, instead of Strawberry's extension pipeline.

Strawberry's ``execute_sync`` builds every extension and looks up its hooks anew per request: 130 µs for
``{ __typename }`` against graphql-core's own 40 µs (``bench/loopback.py``). :class:`TrellisSchema` keeps
Strawberry's types, resolvers, permissions and error logging and runs, in order:

- parse, cached per query text, refusing more than ``MAX_TOKENS`` tokens;
- the operation: a missing one, or one of a kind the request may not run (a mutation over GET), is refused as
  Strawberry refuses it (the HTTP view answers 400);
- validation, cached per query text: graphql-core's rules, Strawberry's, the shape rule
  (:func:`server.limits.shape_rule`) and, in production, no introspection;
- the cost estimate, refused above ``MAX_NODES`` (:func:`server.limits.check_cost`);
- execution; then every error given its code (:func:`server.errors.coded`), and ``extensions.cost`` and
  ``extensions.warnings``.

>>> from server.schema import schema
>>> result = schema.execute_sync("{ roles(first: 2) { totalCount } }")
>>> result.extensions["cost"]
{'nodes': 2, 'limit': 50000}
"""

from __future__ import annotations

import functools
from inspect import isawaitable
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError, execute, get_operation_ast, parse
from graphql.validation import ASTValidationRule, specified_rules
from strawberry.exceptions import MissingQueryError
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES, validate_document
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from graph.errors import TrellisError

from .errors import coded, is_request_error
from .limits import check_cost, warnings_of

__all__ = ["TrellisSchema"]

_parse = functools.lru_cache(maxsize=256)(parse)


@functools.lru_cache(maxsize=256)
def _validate(schema: Any, query: str, max_tokens: int, rules: tuple[type[ASTValidationRule], ...]) -> list[GraphQLError]:
    """Validation's errors, cached per query text (hashing the text is free, hashing its tree is not)."""
    return validate_document(schema, _parse(query, max_tokens=max_tokens), rules)


class TrellisSchema(strawberry.Schema):
    """A Strawberry schema that runs operations as the module says; ``rules`` are added to validation."""

    def __init__(self, *args: Any, rules: tuple[type[ASTValidationRule], ...] = (), max_tokens: int,
                 max_nodes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = (*specified_rules, *rules)
        self.max_tokens, self.max_nodes = max_tokens, max_nodes

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Logs only unexpected errors: a user's bad input is an answer, not an incident."""
        unexpected = [e for e in errors if e.original_error is not None
                      and not isinstance(e.original_error, TrellisError) and not is_request_error(e)]
        super().process_errors(unexpected, execution_context)

    async def execute(self, query: str | None, variable_values: dict[str, Any] | None = None,  # type: ignore[override]
                      context_value: Any | None = None, root_value: Any | None = None,
                      operation_name: str | None = None,
                      allowed_operation_types: Iterable[OperationType] | None = None,
                      operation_extensions: dict[str, Any] | None = None) -> ExecutionResult:
        """The same as :meth:`execute_sync` (the resolvers are synchronous): one path for every caller."""
        return self.execute_sync(query, variable_values, context_value, root_value, operation_name,
                                 allowed_operation_types, operation_extensions)

    def execute_sync(self, query: str | None, variable_values: dict[str, Any] | None = None,
                     context_value: Any | None = None, root_value: Any | None = None,
                     operation_name: str | None = None,
                     allowed_operation_types: Iterable[OperationType] | None = None,
                     operation_extensions: dict[str, Any] | None = None) -> ExecutionResult:
        if not query:
            raise MissingQueryError
        allowed = allowed_operation_types or DEFAULT_ALLOWED_OPERATION_TYPES
        try:
            document = _parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:                     # coded by the HTTP layer (server.http.with_codes)
            return self._answer(context_value, [error], code=False)
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            raise CannotGetOperationTypeError(operation_name)
        kind = OperationType(operation.operation.value)
        if kind not in allowed:
            raise InvalidOperationTypeError(kind)
        nodes = 0
        try:
            errors = _validate(self._schema, query, self.max_tokens, self.rules)
            if errors:
                return self._answer(context_value, errors)
            nodes, refusal = check_cost(self._schema, document, operation, context_value, variable_values, query,
                                        self.max_nodes)
            if refusal is not None:
                return self._answer(context_value, [refusal], nodes=nodes)
            result = execute(self._schema, document, root_value, context_value, variable_values,
                             operation.name.value if operation.name else None,
                             executor_class=self.execution_context_class, is_awaitable=optimized_is_awaitable,
                             is_async_iterable=_never, operation_extensions=operation_extensions)
        except Exception as exc:                            # e.g. a RecursionError: masked, logged
            error = exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc), original_error=exc)
            return self._answer(context_value, [error], nodes=nodes)
        if isawaitable(result):
            raise RuntimeError("GraphQL execution failed to complete synchronously.")
        return self._answer(context_value, result.errors, result.data, nodes)

    def _answer(self, context: Any, errors: list[GraphQLError] | None, data: Any = None, nodes: int = 0,
                code: bool = True) -> ExecutionResult:
        """The result a client sees: errors logged (only unexpected ones), then coded; cost and warnings."""
        if errors:
            self._process_errors(errors)
            errors = [coded(e) for e in errors] if code else errors
        extensions: dict[str, Any] = {}
        if nodes:
            extensions["cost"] = {"nodes": nodes, "limit": self.max_nodes}
        if warnings := warnings_of(context):
            extensions["warnings"] = warnings
        return ExecutionResult(data=data, errors=errors or None, extensions=extensions)


def _never(_: object) -> bool:
    return False
