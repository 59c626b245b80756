"""server/threads.py: calls run off the event loop's thread, hand back results and errors, and time out."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from server.threads import Threads


def test_a_call_runs_in_another_thread_and_returns_its_result() -> None:
    threads = Threads(2, name="t")

    async def main() -> tuple[str, str, list[int]]:
        here = threading.current_thread().name
        there = await threads.run(lambda: threading.current_thread().name, timeout=5)
        squares = await asyncio.gather(*(threads.run(lambda n=n: n * n, timeout=5) for n in range(10)))
        return here, there, list(squares)

    here, there, squares = asyncio.run(main())
    assert there.startswith("t-") and there != here
    assert squares == [n * n for n in range(10)]


def test_an_error_is_raised_in_the_caller() -> None:
    threads = Threads(1)

    def fail() -> None:
        raise ValueError("no such role: r9")

    with pytest.raises(ValueError, match="no such role: r9"):
        asyncio.run(threads.run(fail, timeout=5))


def test_a_slow_call_times_out_and_the_threads_keep_serving() -> None:
    threads = Threads(2)
    release = threading.Event()

    async def main() -> tuple[float, int]:
        started = time.perf_counter()
        with pytest.raises(TimeoutError):
            await threads.run(release.wait, timeout=0.2)
        waited = time.perf_counter() - started
        answer = await threads.run(lambda: 7, timeout=5)      # the other thread answers meanwhile
        release.set()
        return waited, answer

    waited, answer = asyncio.run(main())
    assert 0.2 <= waited < 2.0
    assert answer == 7
