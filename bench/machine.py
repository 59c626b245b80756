"""What a benchmark ran on, for the line ``bench/RESULTS.md`` records beside its figures.

>>> "Python" in machine(["numpy"]) and "numpy" in machine(["numpy"])
True
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from collections.abc import Iterable

__all__ = ["machine"]


def machine(packages: Iterable[str], extra: str = "") -> str:
    """CPU, cores, memory and OS, then Python and the versions of ``packages`` (and ``extra``)."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as fh:
            memory = f"{int(fh.readline().split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        memory = "unknown RAM"
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in packages)
    return (f"{cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, {versions}{', ' + extra if extra else ''}")
