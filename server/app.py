"""The Starlette application: the site at ``/``, GraphQL (with GraphiQL) at
``/graphql`` and ``/healthz``. A lifespan handler owns the store and the engine.

>>> from starlette.testclient import TestClient
>>> import tempfile, pathlib
>>> from graph.store.embedded import EmbeddedStore
>>> app = create_app(Settings(), store=EmbeddedStore(pathlib.Path(tempfile.mkdtemp()) / "s.json"))
>>> with TestClient(app) as client:
...     client.get("/healthz").json()["status"]
'ok'
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import logging
import math
import sys
import time
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from cross_web import HTTPException
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.http.temporal_response import TemporalResponse
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

import anyio
from graphql import GraphQLError, OperationDefinitionNode, parse

from graph.engine import Engine
from graph.errors import BadInput, TrellisError, Unauthenticated
from graph.store import Store

from .config import Settings
from .auth import ANONYMOUS, Viewer, bearer, load_secret, read_token
from .context import Context
from .demo import demo_routes
from .transfer_routes import transfer_routes
from .memory import trim_every
from .http import GRAPHQL_RESPONSE, finish, request_error, wants_graphql_response, with_codes
from .schema import MAX_TOKENS, closed_schema, schema
from .security import RateLimiter, SecurityHeaders
from .stores import open_store
from .threads import Threads

__all__ = ["create_app"]

log = logging.getLogger("trellis")

SITE_DIR = next(p for p in (Path(__file__).with_name("site"), Path(__file__).resolve().parents[1] / "site")
                if p.is_dir())
"""The site: inside the package when installed from a wheel, beside it in a checkout."""
MAX_BODY = 4_000_000
"""Bytes in a GraphQL request body: room for the longest free text a field takes (a 20,000-character note is
at most 80 kB as JSON) many times over, not for a body that takes seconds to parse."""
_QUERIES = Threads(8)
"""The threads GraphQL runs in (``server/threads.py``). A query over its timeout is answered 504 while its thread
finishes: Python cannot stop a thread."""
SWITCH_INTERVAL = 0.0005
"""Seconds a thread holds the GIL while another waits for it: the event loop and the query threads hand over
ten times as often as Python's default 5 ms (+20% requests/s at 16 connections, a third off p99 at 64)."""
_JSON = frozenset({"application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"})
"""Content types :meth:`TrellisGraphQL.answer` takes; any other goes through Strawberry's view."""
_STREAMING = ("multipart/mixed", "text/event-stream")
GRAPHIQL_ASSETS = {
    "react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
}


async def watch_store(store: Store, every: float) -> None:
    """Say clearly when the store is unusable, keep retrying, and say when it is back."""
    up: bool | None = None
    while True:
        try:
            await anyio.to_thread.run_sync(store.check)
            if up is not True:
                log.info("Store ready: %s", store.describe())
            up = True
        except TrellisError as exc:
            if up is not False:
                log.error("%s Retrying every %g s; /healthz reports the store as down.", exc.message, every)
            up = False
        await anyio.sleep(every)


async def warm_projection(engine: Engine) -> None:
    """Read the store and build the projection at start (Neo4j at 100k people: ~17 s), not in the first request
    someone makes; a request arriving meanwhile waits for this build rather than starting a second one."""
    try:
        await anyio.to_thread.run_sync(engine.projection)
    except TrellisError as exc:
        log.warning("Projection not built at start: %s", exc.message)
    except Exception:                     # the first request will say what is wrong; serving goes on
        log.exception("Projection not built at start")


async def warm_moves(engine: Engine) -> None:
    """Weigh the inferred moves once at start (ESCO: about 4 s), not in the first careerPath someone asks."""
    from graph.paths import step_graph

    started = time.perf_counter()
    try:
        proj = await anyio.to_thread.run_sync(engine.projection)
        graph = await anyio.to_thread.run_sync(step_graph, proj, engine.thresholds)
    except TrellisError as exc:
        log.warning("Career-path moves not prepared at start: %s", exc.message)
        return
    moves = sum(1 for u, _ in graph.edges() if u in proj.role_index)     # not the virtual start's
    log.info("Career-path moves ready: %d between %d roles in %.1f s", moves, len(proj.role_ids),
             time.perf_counter() - started)


@functools.lru_cache(maxsize=256)
def _operations(query: str) -> int:
    """How many operations a document defines (0 when it does not parse: GraphQL says why, later). Strawberry
    would run the first of several when no ``operationName`` is given; it names the first one itself, so the
    check cannot wait until its extensions see the document."""
    try:
        return sum(isinstance(d, OperationDefinitionNode) for d in parse(query, max_tokens=MAX_TOKENS).definitions)
    except GraphQLError:
        return 0


class Refused(HTTPException):
    """A request answered before (or instead of) GraphQL, with its own error code."""

    def __init__(self, status: int, reason: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(status, reason)
        self.code = code


class TrellisGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context."""

    def __init__(self, engine_of: Any, secret: str, introspection: bool = True, timeout: float = 30.0,
                 rate_limit: float = 0.0, **kwargs: Any) -> None:
        super().__init__(schema if introspection else closed_schema, **kwargs)
        self._engine_of = engine_of
        self._secret = secret
        self._timeout = timeout
        self._limiter = RateLimiter(rate_limit) if rate_limit > 0 else None

    @property
    def graphql_ide_html(self) -> str:
        """Strawberry's GraphiQL page, with its scripts served from ``site/vendor/graphiql`` (no CDN)."""
        html = super().graphql_ide_html
        for remote, local in GRAPHIQL_ASSETS.items():
            html = html.replace(f"https://unpkg.com/{remote}", f"/vendor/graphiql/{local}")
        return html

    def viewer(self, request: Any) -> Viewer:
        token = bearer(request.headers.get("authorization"))
        return read_token(self._secret, token) if token else ANONYMOUS

    def parse_json(self, data: str | bytes) -> Any:
        """A request body that is JSON, an object or a list, and not absurd: else a clear 400, never a 500."""
        if len(data) > MAX_BODY:
            raise HTTPException(413, f"The request body is over {MAX_BODY:,} bytes.")
        try:
            value = json.loads(data)
        except RecursionError:
            raise HTTPException(400, "Unable to parse request body as JSON: it is nested too deeply.") from None
        except ValueError as exc:           # not JSON, not UTF-8, or an integer too long to read
            raise HTTPException(400, f"Unable to parse request body as JSON: {exc}") from None
        if not isinstance(value, (dict, list)):
            kind = {str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
            raise HTTPException(400, f"A GraphQL request is a JSON object with a query, not a {kind}.")
        return value

    async def execute_single(self, request: Any, request_adapter: Any, sub_response: Any, context: Any,
                             root_value: Any, request_data: Any) -> ExecutionResult:
        return await self._execute(request_adapter.method, context, root_value, request_data.query,
                                   request_data.variables, request_data.operation_name, request_data.extensions)

    async def _execute(self, method: str, context: Any, root_value: Any, query: str | None,
                       variables: dict[str, Any] | None, operation_name: str | None,
                       extensions: dict[str, Any] | None) -> ExecutionResult:
        """Parse, validate and resolve in a worker thread: a heavy query never stalls the event loop, so
        /healthz and every other request keep answering (the resolvers are synchronous)."""
        allowed = OperationType.from_http(method)
        if not self.allow_queries_via_get and method == "GET":
            allowed = allowed - {OperationType.QUERY}

        if operation_name is None and _operations(query or "") > 1:
            raise Refused(400, "Must provide operationName if the query contains more than one operation.")

        def execute() -> ExecutionResult:
            if isinstance(context, Context):
                context.pin()                 # one projection for the whole request, read in this thread
            return self.schema.execute_sync(
                query, root_value=root_value, variable_values=variables, context_value=context,
                operation_name=operation_name, allowed_operation_types=allowed, operation_extensions=extensions)

        try:
            return await _QUERIES.run(execute, self._timeout)
        except TimeoutError:
            raise Refused(504, f"The request took more than {self._timeout:g} s; ask for less (a smaller first or "
                               "limit) or try again later.", "TIMEOUT") from None
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except InvalidOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason(method)) from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "No GraphQL query found in the request") from exc

    async def answer(self, request: Request, spec: bool) -> Response | None:
        """A JSON POST answered without Strawberry's HTTP view (its content-type parsing and response building
        were 40% of a trivial request): the same checks, answers and codes as the view for a body that is one
        operation, or None to let the view answer (batches, odd fields, anything it would refuse)."""
        data = self.parse_json(await request.body())
        if not isinstance(data, dict):
            return None
        query, variables, name, extensions = (data.get("query"), data.get("variables"), data.get("operationName"),
                                              data.get("extensions"))
        if not (isinstance(query, str) and isinstance(variables, (dict, type(None)))
                and isinstance(name, (str, type(None))) and isinstance(extensions, (dict, type(None)))):
            return None
        context = await self.get_context(request, None)
        result = await self._execute("POST", context, None, query, variables, name, extensions)
        body = process_result(result)
        refused = with_codes(cast(dict[str, Any], body), spec)
        status = 400 if spec and refused else 200
        return Response(json.dumps(body, separators=(",", ":")), status_code=status,
                        media_type=f"{GRAPHQL_RESPONSE}; charset=utf-8" if spec else "application/json")

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if isinstance(request, Request):
            try:
                request.state.viewer = self.viewer(request)
            except Unauthenticated as exc:
                body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
                return JSONResponse(body, status_code=401, headers={"www-authenticate": "Bearer"})
        if not isinstance(request, Request):
            return await super().run(request, context, root_value)
        spec = request.state.spec = wants_graphql_response(request)
        request.state.refused = False
        if int(request.headers.get("content-length") or 0) > MAX_BODY:      # refused before it is read
            return request_error(f"The request body is over {MAX_BODY:,} bytes.", 413, spec)
        if self._limiter is not None:
            caller = request.state.viewer.person_id or (request.client.host if request.client else "?")
            wait = self._limiter.wait(caller, time.monotonic())
            if wait:
                return request_error("Too many requests: slow down.", 429, spec, "RATE_LIMITED",
                                     {"retry-after": str(math.ceil(wait))})
        try:
            direct = (request.method == "POST" and context is UNSET and root_value is UNSET
                      and request.headers.get("content-type", "").lower() in _JSON
                      and not any(media in request.headers.get("accept", "") for media in _STREAMING))
            response = (await self.answer(request, spec) if direct else None) or \
                await super().run(request, context, root_value)
        except HTTPException as exc:
            return request_error(exc.reason, exc.status_code, spec, getattr(exc, "code", "BAD_REQUEST"))
        return finish(response, spec, request.state.refused) if isinstance(response, Response) else response

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Codes on every error while the answer is still a dict (never parsed back from JSON)."""
        body = await super().process_result(request, result)
        if isinstance(request, Request):
            request.state.refused = with_codes(cast(dict[str, Any], body), request.state.spec)
        return body

    async def get_context(self, request: Any, response: TemporalResponse | Response | None) -> Context:
        """The request's context; its projection is pinned in the worker thread that runs the query
        (:meth:`execute_single`), off the event loop: the store may be slow or down."""
        engine: Engine = self._engine_of(request)
        viewer = getattr(request.state, "viewer", ANONYMOUS)
        return Context(engine=engine, base=engine, request=request, response=response, viewer=viewer)


def build_engine(settings: Settings, store: Store, today: Callable[[], dt.date] = dt.date.today) -> Engine:
    """The engine over ``store`` with the thresholds the settings (and the dataset served) ask for."""
    thresholds = settings.thresholds
    if settings.dataset and thresholds.infer_moves_gap is None:
        from .datasets import DATASETS

        spec = DATASETS.get(settings.dataset)
        if spec and spec.infer_moves_gap is not None:
            thresholds = dataclasses.replace(thresholds, infer_moves_gap=spec.infer_moves_gap)
    return Engine(store, thresholds, today)


def create_app(settings: Settings | None = None, store: Store | None = None,
               today: Callable[[], dt.date] = dt.date.today, engine: Engine | None = None) -> Starlette:
    """The app; ``store`` and ``today`` may be given (tests), else come from the settings. ``engine`` (already
    built, its projection too: :mod:`server.prefork`) is served as it is."""
    settings = settings or Settings.from_env()
    sys.setswitchinterval(SWITCH_INTERVAL)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if engine is not None:
            opened = engine.store
            app.state.engine = engine
        else:
            opened = store or await anyio.to_thread.run_sync(lambda: open_store(settings, seed=True))
            app.state.engine = build_engine(settings, opened, today)
        thresholds = app.state.engine.thresholds
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch_store, opened, settings.retry_seconds)
            tasks.start_soon(trim_every)
            if thresholds.infer_moves_gap is not None:
                tasks.start_soon(warm_moves, app.state.engine)
            else:
                tasks.start_soon(warm_projection, app.state.engine)
            try:
                yield
            finally:
                tasks.cancel_scope.cancel()
                opened.close()

    async def healthz(request: Request) -> Response:
        engine: Engine = request.app.state.engine
        def probe() -> tuple[bool, str | None]:
            if not engine.store.healthy():
                return False, None
            try:
                return True, engine.store.version()
            except TrellisError:
                return False, None

        ok, version = await anyio.to_thread.run_sync(probe)     # the store may be slow: never on the event loop
        body = {"status": "ok" if ok else "down", "store": type(engine.store).__name__}
        if ok:
            body["version"] = version
        return JSONResponse(body, status_code=200 if ok else 503)

    if settings.production and not settings.secret:
        raise BadInput("TRELLIS_SECRET must be set (32 characters or more) to serve in production, the default of "
                       "`trellis serve`; `make run` (TRELLIS_DEMO=1) serves the demo without one.")
    secret = load_secret(str(settings.secret), settings.data.parent)
    ide = settings.introspection and not settings.production
    graphql = TrellisGraphQL(lambda request: request.app.state.engine, secret, settings.introspection,
                             settings.request_timeout, settings.rate_limit, graphql_ide="graphiql" if ide else None,
                             allow_queries_via_get=settings.allow_get)
    routes = [
        Route("/healthz", healthz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
    ]
    routes += transfer_routes(secret)
    if settings.demo:
        routes += demo_routes(secret)
    routes.append(Mount("/", StaticFiles(directory=SITE_DIR, html=True), name="site"))
    middleware = [Middleware(SecurityHeaders)]
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["POST"], allow_headers=["authorization", "content-type"]))
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
