"""The Starlette application: the site at ``/``, GraphQL (with GraphiQL) at
``/graphql`` and ``/healthz``. A lifespan handler owns the store and the engine.

>>> from starlette.testclient import TestClient
>>> import tempfile, pathlib
>>> from graph.store.embedded import EmbeddedStore
>>> app = create_app(store=EmbeddedStore(pathlib.Path(tempfile.mkdtemp()) / "s.json"))
>>> with TestClient(app) as client:
...     client.get("/healthz").json()["status"]
'ok'
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from cross_web import HTTPException
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.temporal_response import TemporalResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

import anyio

from graph.engine import Engine, PinnedEngine
from graph.errors import TrellisError, Unauthenticated
from graph.store import Store

from .config import Settings
from .auth import ANONYMOUS, Viewer, bearer, load_secret, read_token
from .context import Context
from .demo import demo_routes
from .transfer_routes import transfer_routes
from .http import finish, request_error, wants_graphql_response, with_codes
from .schema import closed_schema, schema
from .stores import open_store

__all__ = ["create_app"]

log = logging.getLogger("trellis")

SITE_DIR = next(p for p in (Path(__file__).with_name("site"), Path(__file__).resolve().parents[1] / "site")
                if p.is_dir())
"""The site: inside the package when installed from a wheel, beside it in a checkout."""
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


class TrellisGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context."""

    def __init__(self, engine_of: Any, secret: str, introspection: bool = True, **kwargs: Any) -> None:
        super().__init__(schema if introspection else closed_schema, **kwargs)
        self._engine_of = engine_of
        self._secret = secret

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
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as exc:
            return request_error(exc.reason, exc.status_code, spec)
        return finish(response, spec, request.state.refused) if isinstance(response, Response) else response

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Codes on every error while the answer is still a dict (never parsed back from JSON)."""
        body = await super().process_result(request, result)
        if isinstance(request, Request):
            request.state.refused = with_codes(cast(dict[str, Any], body), request.state.spec)
        return body

    async def get_context(self, request: Any, response: TemporalResponse | Response | None) -> Context:
        """One projection per request, fetched off the event loop (the store may be slow or down)."""
        engine: Engine = self._engine_of(request)
        viewer = getattr(request.state, "viewer", ANONYMOUS)
        try:
            proj = await anyio.to_thread.run_sync(engine.projection)
        except TrellisError as exc:
            return Context(engine=engine, base=engine, request=request, response=response, error=exc, viewer=viewer)
        return Context(engine=PinnedEngine(engine, proj), base=engine, request=request, response=response,
                       viewer=viewer)


def create_app(settings: Settings | None = None, store: Store | None = None,
               today: Callable[[], dt.date] = dt.date.today) -> Starlette:
    """The app; ``store`` and ``today`` may be given (tests), else come from the settings."""
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = store or await anyio.to_thread.run_sync(lambda: open_store(settings, seed=True))
        thresholds = settings.thresholds
        if settings.dataset and thresholds.infer_moves_gap is None:
            from .datasets import DATASETS

            spec = DATASETS.get(settings.dataset)
            if spec and spec.infer_moves_gap is not None:
                thresholds = dataclasses.replace(thresholds, infer_moves_gap=spec.infer_moves_gap)
        app.state.engine = Engine(opened, thresholds, today)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch_store, opened, settings.retry_seconds)
            if thresholds.infer_moves_gap is not None:
                tasks.start_soon(warm_moves, app.state.engine)
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

    secret = load_secret(str(settings.secret), settings.data.parent)
    graphql = TrellisGraphQL(lambda request: request.app.state.engine, secret, settings.introspection,
                             graphql_ide="graphiql" if settings.introspection else None)
    routes = [
        Route("/healthz", healthz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
    ]
    routes += transfer_routes(secret)
    if settings.demo:
        routes += demo_routes(secret)
    routes.append(Mount("/", StaticFiles(directory=SITE_DIR, html=True), name="site"))
    return Starlette(routes=routes, lifespan=lifespan)
