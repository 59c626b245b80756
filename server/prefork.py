"""Several workers over one projection: build it once, then fork the workers that serve it.

Why: uvicorn's own ``--workers`` spawns fresh interpreters, and each one opens the store and builds its
projection: four workers hold four copies (4.3x one worker's memory at S, 14 GiB at L). Forked after the build,
the workers share every page of the organisation and the projection's arrays with the parent (copy-on-write;
:func:`gc.freeze` keeps the collector from touching them), and each keeps current by following the others'
journal lines (:meth:`graph.store.embedded.EmbeddedStore.changes_since`), so a check-in in one worker costs the
others its line, not a second copy. Only what changes becomes a worker's own.

The parent binds the socket, builds the engine, forks ``workers`` children that each run a uvicorn server on that
socket, restarts a child that dies, and on SIGTERM or SIGINT stops them all (each finishes its requests).
Used by ``trellis serve --workers N`` on the embedded store; Neo4j's driver holds sockets and threads that must
not cross a fork, so that store keeps uvicorn's spawned workers.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
import traceback
from types import FrameType

from graph.engine import Engine
from graph.errors import TrellisError
from graph.store import Store

from .app import build_engine, create_app
from .config import Settings
from .memory import trim

__all__ = ["serve"]

log = logging.getLogger("trellis")

RESTART_PAUSE = 1.0
"""Seconds before a worker that died is started again (a worker that keeps dying is not a busy loop)."""


def warm(engine: Engine) -> None:
    """Weigh the inferred moves (if the dataset has them) and ask each kind of question once, so that the caches
    the answers build on first use (the people matrix by column, the step graph) are built here and shared, not
    built again in every worker."""
    from graph.paths import step_graph

    proj = engine.projection()
    if engine.thresholds.infer_moves_gap is not None:
        step_graph(proj, engine.thresholds)
    if not proj.person_ids or not proj.role_ids:
        return
    person, role = proj.person_ids[0], proj.role_ids[0]
    for ask in (lambda: engine.closest_roles((person, None, None)), lambda: engine.successors(role),
                lambda: engine.career_paths((person, None, None), role), lambda: engine.skills_inventory()):
        try:
            ask()
        except TrellisError:
            pass


def serve(settings: Settings, store: Store, workers: int) -> int:
    """Serve ``store`` on ``settings.host:settings.port`` with ``workers`` forked workers; the exit code."""
    import uvicorn

    started = time.perf_counter()
    engine = build_engine(settings, store)
    app = create_app(settings, engine=engine)          # first: a setting it refuses stops the parent at once
    proj = engine.projection()
    warm(engine)
    sock = socket.create_server((settings.host, settings.port), backlog=2048)
    log.info("Projection of %d roles and %d people built in %.1f s; forking %d workers that share it",
             len(proj.role_ids), len(proj.person_ids), time.perf_counter() - started, workers)
    gc.collect()
    trim()
    gc.freeze()                              # the collector would write to every shared object's page
    children: set[int] = set()
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid:
            children.add(pid)
            return
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            config = uvicorn.Config(app, log_level="info", access_log=settings.access_log)
            uvicorn.Server(config).run(sockets=[sock])
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start()
    log.info("Workers %s on http://%s:%d/", " ".join(map(str, children)), settings.host, settings.port)
    while children:
        pid, status = os.wait()
        if pid not in children:
            continue
        children.discard(pid)
        if stopping:
            continue
        log.error("Worker %d stopped (exit code %d); starting another in %g s", pid, os.waitstatus_to_exitcode(status),
                  RESTART_PAUSE)
        time.sleep(RESTART_PAUSE)
        if not stopping:
            start()
    sock.close()
    store.close()
    log.info("All workers stopped")
    return 0
