"""server.memory: freed heap pages go back to the system."""

from __future__ import annotations

import anyio
import pytest

from server import memory


def _private_mib() -> float:
    total = 0
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


def test_trim_gives_freed_heap_pages_back() -> None:
    if memory._libc() is None:
        pytest.skip("not glibc")
    blocks = [bytearray(100_000) for _ in range(2_000)]      # below the mmap threshold: from the heap
    pin = bytearray(100_000)                                 # above them, so free() cannot shrink the heap
    held = _private_mib()
    del blocks
    freed = _private_mib()
    memory.trim()
    trimmed = _private_mib()
    assert held - freed < 50                                 # glibc kept the ~190 MB ...
    assert freed - trimmed > 150                             # ... until malloc_trim gave it back
    del pin


def test_a_server_trims_every_few_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(memory, "trim", lambda: bool(calls.append(1)))

    async def run() -> None:
        with anyio.move_on_after(0.35):
            await memory.trim_every(0.05)

    anyio.run(run)
    assert 2 <= len(calls) <= 7
