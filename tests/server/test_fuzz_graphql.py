"""Schemathesis's GraphQL mode against ``/graphql``, in process (the ASGI app over the tiny organisation).

Every query and mutation of the schema is fuzzed as an anonymous caller and as HR (a bearer token), with
queries that fit the schema (positive) and queries that do not (negative). IDs are drawn from the ids the
organisation holds as well as from arbitrary text, so resolvers are reached with ids that exist and ids
that do not. Each answer must be:

- no 5xx;
- a JSON object whose errors each carry an ``extensions.code`` of the documented set (README, "Errors and
  limits"), never ``INTERNAL_SERVER_ERROR``;
- shaped as the schema says: every field the query selected is there, of its type, never null where the
  schema says non-null (checked by walking the query against the schema, and by schemathesis's own
  ``response_schema_conformance`` check);
- for a query that does not fit the schema: refused (``GRAPHQL_VALIDATION_FAILED``/``GRAPHQL_PARSE_FAILED``/
  ``BAD_REQUEST``), with nothing executed.

Bounded: ``TRELLIS_FUZZ_EXAMPLES`` examples per operation and viewer (default 14, a third of them negative;
the file runs in under a minute on two cores; raise it for a longer hunt).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from schemathesis import GenerationMode
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.graphql import nodes
from schemathesis.python import asgi
from schemathesis.specs.graphql import scalars

from graph.document import from_document
from graph.store.embedded import EmbeddedStore
from server.app import create_app
from server.auth import Access
from tests.graph.conftest import AS_OF, tiny_document

from .conftest import settings, token

EXAMPLES = int(os.environ.get("TRELLIS_FUZZ_EXAMPLES", "14"))

SCHEMA = graphql.build_schema((Path(__file__).parents[2] / "server" / "schema.graphql").read_text())
OPERATIONS = [f"{root}.{name}" for root, kind in (("Query", SCHEMA.query_type), ("Mutation", SCHEMA.mutation_type))
              for name in kind.fields]                                           # type: ignore[union-attr]

# README, "Errors and limits"; UNAVAILABLE cannot happen on the embedded store, INTERNAL_SERVER_ERROR never may.
DOMAIN = {"BAD_INPUT", "NOT_FOUND", "CONFLICT", "FORBIDDEN", "UNAUTHENTICATED"}
LIMITS = {"QUERY_TOO_COMPLEX", "QUERY_TOO_COSTLY"}
REQUEST = {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"}
KNOWN = DOMAIN | LIMITS | REQUEST


def _ids(doc: dict[str, Any]) -> list[str]:
    found: set[str] = set()
    for kind in ("competencies", "families", "tracks", "levels", "roles", "resources", "people", "assessments"):
        found |= {str(item["id"]) for item in doc.get(kind, [])}
    return sorted(found)


EXISTING_IDS = _ids(tiny_document())


class Fuzz:
    def __init__(self, schema: Any, store: EmbeddedStore, hr: str) -> None:
        self.schema, self.store = schema, store
        self.headers = {"anonymous": {}, "hr": {"authorization": f"Bearer {hr}"}}
        self.outcomes: dict[tuple[str, str], Counter[str]] = {}    # (operation, viewer): answers by code or "ok"


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    store = EmbeddedStore(tmp_path_factory.mktemp("fuzz") / "s.json", seed=False)
    store.replace(from_document(tiny_document()))
    app = create_app(settings(), store=store, today=lambda: AS_OF)
    saved = dict(scalars.CUSTOM_SCALARS)
    # IDs: the organisation's own half the time, else any text (unicode, control characters, empty).
    scalars.CUSTOM_SCALARS["ID"] = st.one_of(st.sampled_from(EXISTING_IDS), st.text(max_size=300)).map(nodes.String)
    try:
        schema = schemathesis.graphql.from_asgi("/graphql", app)   # starts the app's lifespan (kept for the process)
        yield Fuzz(schema, store, token("boss", Access.HR))
    finally:
        scalars.CUSTOM_SCALARS.clear()
        scalars.CUSTOM_SCALARS.update(saved)
        asgi.shutdown_lifespans()


# --- the answer against the schema ------------------------------------------------------------------------


def _conforms(value: Any, type_: graphql.GraphQLOutputType, selection: graphql.SelectionSetNode | None,
              fragments: dict[str, graphql.FragmentDefinitionNode], path: str, problems: list[str]) -> None:
    if isinstance(type_, graphql.GraphQLNonNull):
        if value is None:
            problems.append(f"{path}: null for a non-null {type_}")
            return
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, graphql.GraphQLList):
        if not isinstance(value, list):
            problems.append(f"{path}: {value!r} is not a list")
            return
        for n, item in enumerate(value):
            _conforms(item, type_.of_type, selection, fragments, f"{path}[{n}]", problems)
        return
    if isinstance(type_, graphql.GraphQLEnumType):
        if value not in type_.values:
            problems.append(f"{path}: {value!r} is not a {type_.name}")
        return
    if isinstance(type_, graphql.GraphQLScalarType):
        ok = {"Int": lambda v: isinstance(v, int) and not isinstance(v, bool) and -2**31 <= v < 2**31,
              "Float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
              "String": lambda v: isinstance(v, str), "ID": lambda v: isinstance(v, str),
              "Boolean": lambda v: isinstance(v, bool)}.get(type_.name, lambda v: True)(value)
        if not ok:
            problems.append(f"{path}: {value!r} is not a {type_.name}")
        return
    assert isinstance(type_, graphql.GraphQLObjectType), type_
    if not isinstance(value, dict):
        problems.append(f"{path}: {value!r} is not a {type_.name} object")
        return
    assert selection is not None
    _object(value, type_, selection, fragments, path, problems)


def _object(value: dict[str, Any], type_: graphql.GraphQLObjectType, selection: graphql.SelectionSetNode,
            fragments: dict[str, graphql.FragmentDefinitionNode], path: str, problems: list[str]) -> None:
    expected: set[str] = set()
    for node in selection.selections:
        if isinstance(node, graphql.FieldNode):
            key = node.alias.value if node.alias else node.name.value
            expected.add(key)
            if key not in value:
                problems.append(f"{path}.{key}: missing")
                continue
            if node.name.value == "__typename":
                if value[key] != type_.name:
                    problems.append(f"{path}.{key}: {value[key]!r}, not {type_.name}")
                continue
            field = type_.fields.get(node.name.value)
            if field is None:
                problems.append(f"{path}.{key}: {type_.name} has no field {node.name.value}")
                continue
            _conforms(value[key], field.type, node.selection_set, fragments, f"{path}.{key}", problems)
        else:
            inner = (node.selection_set if isinstance(node, graphql.InlineFragmentNode)
                     else fragments[node.name.value].selection_set)                     # type: ignore[union-attr]
            sub: list[str] = []
            _object(value, type_, inner, fragments, path, sub)
            problems += sub
            expected |= set(value)          # what a fragment selected is checked by the recursion
    extra = set(value) - expected
    if extra:
        problems.append(f"{path}: fields nobody asked for: {sorted(extra)}")


def schema_problems(query: str, body: dict[str, Any]) -> list[str]:
    """What in the answer ``body`` to ``query`` contradicts the schema (empty: it conforms)."""
    doc = graphql.parse(query)
    fragments = {d.name.value: d for d in doc.definitions if isinstance(d, graphql.FragmentDefinitionNode)}
    op = next(d for d in doc.definitions if isinstance(d, graphql.OperationDefinitionNode))
    root = SCHEMA.mutation_type if op.operation is graphql.OperationType.MUTATION else SCHEMA.query_type
    assert root is not None
    data = body.get("data")
    if data is None:
        return [] if body.get("errors") else ["no data and no errors"]
    problems: list[str] = []
    _object(data, root, op.selection_set, fragments, "data", problems)
    return problems


def test_the_checker_catches_what_it_should() -> None:
    """The schema walk is itself tested: a null where the schema says non-null, a wrong scalar, a bad enum, a
    missing or extra field are each reported."""
    query = "{ framework { id validityDays scale { level name } } levels { rank } }"
    good = {"data": {"framework": {"id": "f", "validityDays": 3, "scale": [{"level": 1, "name": "x"}]},
                     "levels": [{"rank": 2}]}}
    assert schema_problems(query, good) == []
    for broken, words in (
        ({"framework": None, "levels": []}, "data.framework: null for a non-null Framework!"),
        ({"framework": {"id": "f", "validityDays": "3", "scale": []}, "levels": []}, "'3' is not a Int"),
        ({"framework": {"id": "f", "validityDays": 3, "scale": [{"level": 1}]}, "levels": []},
         "data.framework.scale[0].name: missing"),
        ({"framework": {"id": "f", "validityDays": 3, "scale": [], "x": 1}, "levels": []}, "nobody asked for"),
        ({"framework": {"id": "f", "validityDays": 2**40, "scale": []}, "levels": []}, "is not a Int"),
    ):
        assert any(words in p for p in schema_problems(query, {"data": broken})), (broken, words)
    assert schema_problems("{ viewer { access } }", {"data": {"viewer": {"access": "ROOT"}}}) == [
        "data.viewer.access: 'ROOT' is not a Access"]
    assert schema_problems("{ viewer { access } }", {"data": None}) == ["no data and no errors"]


# --- the fuzzing ------------------------------------------------------------------------------------------


def _check(fuzz: Fuzz, case: Any, response: Any, negative: bool, viewer: str) -> None:
    label = f"{case.operation.label}\n{case.body}"
    assert response.status_code < 500, (label, response.status_code, response.text)
    body = response.json()
    assert isinstance(body, dict), (label, body)
    errors = body.get("errors") or []
    codes = [(e.get("extensions") or {}).get("code") for e in errors]
    fuzz.outcomes.setdefault((case.operation.label, viewer), Counter()).update(
        ["negative:" + str(codes[0] if codes else "ok")] if negative else [str(c) for c in codes] or ["ok"])
    assert "INTERNAL_SERVER_ERROR" not in codes, (label, errors)
    assert set(codes) <= KNOWN, (label, errors)
    if negative:
        assert errors and set(codes) <= REQUEST | LIMITS, (label, body)      # refused, not executed
        assert body.get("data") is None, (label, body)
        assert 400 <= response.status_code < 500 or response.status_code == 200, (label, response.status_code)
        return
    assert set(codes) <= DOMAIN | LIMITS, (label, errors)       # a query that fits the schema is never "invalid"
    problems = schema_problems(case.body if isinstance(case.body, str) else case.body["query"], body)
    assert not problems, (label, problems, body)
    case.validate_response(response, checks=[schemathesis.checks.response_schema_conformance])


@pytest.mark.parametrize("viewer", ["anonymous", "hr"])
@pytest.mark.parametrize("label", OPERATIONS)
def test_every_operation(fuzz: Fuzz, label: str, viewer: str) -> None:
    root, field = label.split(".")
    operation = fuzz.schema[root][field]
    headers = fuzz.headers[viewer]
    strategy = st.one_of(operation.as_strategy(feedback=NO_FEEDBACK),      # our ID strategy as it is
                         operation.as_strategy(),          # with constants schemathesis finds in the app's code
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @hsettings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
               suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        _check(fuzz, case, response, case.meta.generation.mode.is_negative, viewer)   # negative falls back to positive
                                                                               # for operations without arguments

    run()
    assert fuzz.store.organisation().counts()            # the store still reads back


def test_the_fuzzing_reached_the_resolvers(fuzz: Fuzz) -> None:
    """The fuzzing above was not all refused at the door: HR is never turned away, its mutations succeed often
    enough (ids that exist are drawn), and an anonymous caller's mutations never do."""
    if len(fuzz.outcomes) < 2 * len(OPERATIONS):
        pytest.skip("meaningful only after every operation was fuzzed in this process (not under xdist)")
    hr = {op: seen for (op, viewer), seen in fuzz.outcomes.items() if viewer == "hr"}
    anonymous = {op: seen for (op, viewer), seen in fuzz.outcomes.items() if viewer == "anonymous"}
    assert all(not seen["UNAUTHENTICATED"] and not seen["FORBIDDEN"] for seen in hr.values()), hr
    assert all(any(not k.startswith("negative:") for k in seen) for seen in [*hr.values(), *anonymous.values()])
    succeeded = sorted(op for op, seen in hr.items() if op.startswith("Mutation.") and seen["ok"])
    assert len(succeeded) >= 10, succeeded
    assert not [op for op, seen in anonymous.items() if op.startswith("Mutation.") and seen["ok"]], anonymous
    assert sum(seen["NOT_FOUND"] for seen in hr.values()) and sum(seen["BAD_INPUT"] for seen in hr.values())


def test_anonymous_mutations_write_nothing(fuzz: Fuzz) -> None:
    """Every mutation, fuzzed once more without a token: always refused, and the store (version and
    organisation) exactly as it was."""
    before, version = fuzz.store.organisation(), fuzz.store.version()
    for label in (op for op in OPERATIONS if op.startswith("Mutation.")):
        operation = fuzz.schema["Mutation"][label.split(".")[1]]

        @hsettings(max_examples=3, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call()
            body = response.json()
            codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
            assert body.get("errors") and codes <= {"FORBIDDEN", "UNAUTHENTICATED", "BAD_INPUT", "NOT_FOUND",
                                                    *LIMITS}, (case.body, body)
        run()
    assert fuzz.store.version() == version and fuzz.store.organisation() == before

