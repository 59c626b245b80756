"""What a request may ask for, checked before anything runs, and what it carries back besides data.

- :func:`warnings_of`: warnings collected during a request (e.g. a capped limit), which go out in
  ``extensions.warnings`` beside the data they qualify.
- :func:`shape_rule`: a validation rule that measures each operation *as executed*, fragments spread, in
  one linear pass (every fragment measured once, :class:`Shape`), and refuses too many fields, too deep,
  too many aliases or directives with ``QUERY_TOO_COMPLEX``. It replaces Strawberry's ``QueryDepthLimiter``
  and ``MaxAliasesLimiter``, which spread every fragment again at each use: ``fragment F0 { ...F1 x5 }``
  ... ``fragment F11 { ...F12 x5 }`` (0.7 KB) is 5^12 spreads to them, minutes of work.
- :func:`check_cost`: GitHub's node count (each paged field's ``first`` times one plus what it nests),
  refused above a limit with ``QUERY_TOO_COSTLY`` before execution, reported in ``extensions.cost``.

:class:`server.extension.Guard` runs them around each operation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLError, GraphQLField,
    GraphQLInt, GraphQLInterfaceType, GraphQLNamedType, GraphQLObjectType, GraphQLSchema, InlineFragmentNode,
    NamedTypeNode, Node, OperationDefinitionNode, SelectionSetNode, ValidationRule, get_named_type,
    value_from_ast, value_from_ast_untyped,
)

from graph.thresholds import Thresholds

__all__ = ["warnings_of", "Shape", "measure", "shape_rule", "check_cost", "TOO_COMPLEX", "TOO_COSTLY"]

TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TOO_COSTLY = "QUERY_TOO_COSTLY"

PageSize = Callable[[FieldNode, GraphQLField], int | None]
"""How many nodes a field's page may hold (None: the field does not page)."""


def warnings_of(context: Any) -> list[str]:
    """The warnings a request collected on its context (e.g. a capped limit), for ``extensions.warnings``:
    ``["first 5000 is above the maximum of 100; answered 100."]``."""
    return list(getattr(context, "warnings", None) or ())


@dataclass(frozen=True)
class Shape:
    """A selection set's size once its fragments are spread. ``{ a b { c } }`` is
    ``Shape(fields=3, depth=1)``: depth counts the selection sets below the top field, as Strawberry's
    ``QueryDepthLimiter`` does (introspection fields do not count)."""

    fields: int = 0
    depth: int = 0
    aliases: int = 0
    nodes: int = 0
    """GitHub-style cost: the nodes every page could return (see :func:`check_cost`)."""

    def __add__(self, other: Shape) -> Shape:
        """Side by side: sizes add up, the deeper one sets the depth."""
        return Shape(self.fields + other.fields, max(self.depth, other.depth), self.aliases + other.aliases,
                     self.nodes + other.nodes)


def _no_pages(node: FieldNode, definition: GraphQLField) -> int | None:
    return None


class _Measure:
    """Walks selection sets; a fragment is measured once (memo), so a spread costs O(1) and the walk is
    linear in the document's size. A fragment met again while being measured (a cycle, which graphql-core's
    NoFragmentCycles refuses) counts as nothing, so the walk ends."""

    def __init__(self, schema: GraphQLSchema | None, document: DocumentNode, page: PageSize) -> None:
        self.schema = schema
        self.page = page
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.memo: dict[str, Shape] = {}

    def named(self, condition: NamedTypeNode | None, default: GraphQLNamedType | None) -> GraphQLNamedType | None:
        if condition is None or self.schema is None:
            return default
        return self.schema.get_type(condition.name.value)

    def selections(self, node: SelectionSetNode | None, parent: GraphQLNamedType | None) -> Shape:
        total = Shape()
        for sel in node.selections if node is not None else ():
            if isinstance(sel, FieldNode):
                total += self.field(sel, parent)
            elif isinstance(sel, InlineFragmentNode):
                total += self.selections(sel.selection_set, self.named(sel.type_condition, parent))
            elif isinstance(sel, FragmentSpreadNode):
                total += self.spread(sel.name.value)
        return total

    def spread(self, name: str) -> Shape:
        if name not in self.memo:
            self.memo[name] = Shape()          # while it is being measured: a cycle adds nothing
            fragment = self.fragments.get(name)
            if fragment is not None:
                self.memo[name] = self.selections(fragment.selection_set, self.named(fragment.type_condition, None))
        return self.memo[name]

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Shape:
        fields = parent.fields if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)) else {}
        definition = fields.get(node.name.value)
        inner = self.selections(node.selection_set, get_named_type(definition.type) if definition else None)
        nested = node.selection_set is not None and not node.name.value.startswith("__")
        size = self.page(node, definition) if definition is not None else None
        return Shape(fields=1 + inner.fields, depth=1 + inner.depth if nested else 0,
                     aliases=inner.aliases + (node.alias is not None),
                     nodes=inner.nodes if size is None else size * (1 + inner.nodes))


def measure(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema | None = None,
            page: PageSize = _no_pages) -> Shape:
    """``operation``'s :class:`Shape`, fragments spread, in time linear in the document.

    >>> from graphql import parse
    >>> doc = parse("{ ...A ...A } fragment A on Query { a b { c } }")
    >>> measure(doc, doc.definitions[0])
    Shape(fields=6, depth=1, aliases=0, nodes=0)
    """
    root = schema.get_root_type(operation.operation) if schema is not None else None
    return _Measure(schema, document, page).selections(operation.selection_set, root)


def _name(operation: OperationDefinitionNode) -> str:
    return operation.name.value if operation.name else "anonymous"


def shape_rule(max_fields: int, max_depth: int, max_aliases: int, max_directives_per_node: int,
               max_directives: int) -> type[ValidationRule]:
    """A graphql-core rule refusing, per operation, more than ``max_fields`` fields once fragments are spread,
    a depth above ``max_depth`` or more than ``max_aliases`` aliases; and more than ``max_directives_per_node``
    directives on one field, spread or fragment, or ``max_directives`` in the document. Every refusal has
    ``extensions.code`` ``QUERY_TOO_COMPLEX``. Make it once (validation caches key on the rule class):

    >>> rule = shape_rule(max_fields=2000, max_depth=12, max_aliases=30, max_directives_per_node=3, max_directives=30)
    """

    class QueryShape(ValidationRule):
        directives = 0

        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            for op in node.definitions:
                if isinstance(op, OperationDefinitionNode):
                    self.check(measure(node, op, self.context.schema), op)

        def check(self, shape: Shape, op: OperationDefinitionNode) -> None:
            name = _name(op)
            if shape.fields > max_fields:
                self.refuse(f"'{name}' selects {shape.fields} fields once its fragments are spread; the limit is "
                            f"{max_fields}. Ask for less, or in several requests.", op)
            if shape.depth > max_depth:
                self.refuse(f"'{name}' exceeds maximum operation depth of {max_depth}", op)
            if shape.aliases > max_aliases:
                self.refuse(f"'{name}': {shape.aliases} aliases found once its fragments are spread. "
                            f"Allowed: {max_aliases}", op)

        def enter(self, node: Node, *_: Any) -> None:
            """Every node that may carry directives, once each (as written: fragments are not spread)."""
            count = len(getattr(node, "directives", None) or ())
            self.directives += count
            if count > max_directives_per_node:
                self.refuse(f"{count} directives on one {node.kind.replace('_', ' ')}; at most "
                            f"{max_directives_per_node}.", node)

        def leave_document(self, node: DocumentNode, *_: Any) -> None:
            if self.directives > max_directives:
                self.refuse(f"{self.directives} directives in the query; at most {max_directives}.", node)

        def refuse(self, message: str, node: Node) -> None:
            self.report_error(GraphQLError(message, node, extensions={"code": TOO_COMPLEX}))

    return QueryShape


def page_size(cap: int, variables: dict[str, Any]) -> PageSize:
    """The nodes a field with a ``first`` argument may return: ``first`` (a literal, a variable or the
    argument's default), at most ``cap`` as the resolvers answer (``Context.limit``). ``first: 5000`` with
    cap 100 is 100; a ``first`` that is not a number counts as the cap (coercion will refuse it)."""

    def size(node: FieldNode, definition: GraphQLField) -> int | None:
        if "first" not in definition.args:
            return None
        given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        value = definition.args["first"].default_value if given is None else value_from_ast(given, GraphQLInt, variables)
        if not isinstance(value, int) or isinstance(value, bool):
            return cap
        return min(max(value, 0), cap)

    return size


def check_cost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, context: Any,
               variables: dict[str, Any] | None, query: str, max_nodes: int) -> tuple[int, GraphQLError | None]:
    """The nodes ``operation`` could return, and the refusal to give before execution when that is more than
    ``max_nodes``. GitHub's count: a paged field costs its page size times one plus the nodes inside, so with
    the default page of 20, ``{ roles(first: 10) { nodes { id } } people { totalCount } }`` is 10 + 20 = 30
    nodes, reported as ``{"cost": {"nodes": 30, "limit": 50000}}``."""
    nodes = _cost(document, operation, schema, _cap(context), variables or {}, query)
    if nodes <= max_nodes:
        return nodes, None
    return nodes, GraphQLError(
        f"'{_name(operation)}' could return {nodes} nodes (each page's first, or its default, times "
        f"what it nests); the limit is {max_nodes}. Ask for smaller pages, or in several requests.",
        operation, extensions={"code": TOO_COSTLY, "cost": {"nodes": nodes, "limit": max_nodes}})


_COSTS: dict[tuple[str, str | None, str, int], int] = {}
"""Costs already measured, per (query, operation, variables, page cap): a repeated query is a dict lookup."""


def _cost(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, cap: int,
          given: dict[str, Any], query: str) -> int:
    """The nodes ``operation`` could return with the variables ``given`` (see :func:`check_cost`)."""
    try:
        key: tuple[str, str | None, str, int] | None = (
            query, operation.name.value if operation.name else None,
            json.dumps(given, sort_keys=True) if given else "", cap)
    except (TypeError, ValueError):
        key = None
    if key is not None and key in _COSTS:
        return _COSTS[key]
    variables = {v.variable.name.value: value_from_ast_untyped(v.default_value)
                 for v in operation.variable_definitions or () if v.default_value is not None}
    variables.update(given)
    nodes = measure(document, operation, schema, page_size(cap, variables)).nodes
    if key is not None and len(query) <= 20_000:
        if len(_COSTS) >= 1024:
            _COSTS.clear()
        _COSTS[key] = nodes
    return nodes


def _cap(context: Any) -> int:
    """The largest page the resolvers answer (``Thresholds.max_limit``, 100 by default)."""
    engine = getattr(context, "engine", None)
    thresholds = getattr(engine, "thresholds", None)
    return thresholds.max_limit if isinstance(thresholds, Thresholds) else Thresholds().max_limit
