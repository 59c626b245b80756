"""Keeping a server's private memory small: what glibc's allocator holds on to after a request.

Why: a query at 1M people makes temporaries of tens of MB (numpy arrays over every stored level). glibc keeps
what was freed in its heap for the next allocation, so after a burst of requests a worker holds ~50-100 MB it
no longer uses; forked workers (:mod:`server.prefork`) hold it each, beside the pages they share. Measured at L
(50k roles, 1M people), 64 closestRoles on 8 threads left a worker ~100 MB of private pages, 27 MB after
``malloc_trim``, which took 3 ms (0.2 ms with nothing to give back). Elsewhere than glibc both are no-ops.
"""

from __future__ import annotations

import ctypes
import os

import anyio

__all__ = ["one_malloc_arena", "trim", "trim_every", "TRIM_SECONDS"]

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the number of malloc arenas."""

TRIM_SECONDS = 2.0
"""How often a server gives freed heap pages back to the system."""


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def one_malloc_arena() -> None:
    """Give the process one malloc arena (glibc), unless ``MALLOC_ARENA_MAX`` says otherwise.

    Why: glibc gives each thread that allocates its own arena and keeps what was freed there; the eight request
    threads of a worker kept ~80 MB of private pages each at M (10k roles, 100k people) that forked workers do
    not share. With one arena a worker keeps ~18 MB. Requests hold the GIL while they allocate anyway."""
    libc = _libc()
    if libc is not None and "MALLOC_ARENA_MAX" not in os.environ:
        libc.mallopt(M_ARENA_MAX, 1)


def trim() -> bool:
    """Give the heap pages that are free back to the system (``malloc_trim(0)``); whether any were."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False


async def trim_every(seconds: float = TRIM_SECONDS) -> None:
    """Trim the heap every ``seconds``, off the event loop, until cancelled (a server's lifespan task)."""
    while True:
        await anyio.sleep(seconds)
        await anyio.to_thread.run_sync(trim)
