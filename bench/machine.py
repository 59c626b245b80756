"""What a benchmark ran on, for the line ``bench/RESULTS.md`` records beside its figures.

>>> "Python" in machine(["numpy"]) and "numpy" in machine(["numpy"])
True
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from collections.abc import Iterable
from pathlib import Path

__all__ = ["machine", "write_section"]


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


RESULTS = Path(__file__).with_name("RESULTS.md")
BEGIN, END = "<!-- generated: do not edit by hand -->", "<!-- end of generated -->"


def write_section(title: str, block: str, path: Path = RESULTS) -> None:
    """Put ``block`` (a benchmark's command, machine and tables) under ``## title`` in RESULTS.md, replacing
    what was generated there before and keeping the written analysis around it; a new section goes last.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "R.md"
    >>> _ = p.write_text("# R\\n\\n## A\\n\\nprose\\n")
    >>> write_section("A", "t1", p); write_section("A", "t2", p); write_section("B", "t3", p)
    >>> print(p.read_text().replace(BEGIN, "<").replace(END, ">"))
    # R
    <BLANKLINE>
    ## A
    <BLANKLINE>
    <
    t2
    >
    <BLANKLINE>
    prose
    <BLANKLINE>
    ## B
    <BLANKLINE>
    <
    t3
    >
    <BLANKLINE>
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    generated = f"{BEGIN}\n{block.strip()}\n{END}"
    head = f"\n## {title}\n"
    at = text.find(head)
    if at < 0:
        text = text.rstrip() + f"\n{head}\n{generated}\n"
    else:
        body_start = at + len(head)
        nxt = text.find("\n## ", body_start)
        body = text[body_start:] if nxt < 0 else text[body_start:nxt + 1]
        if BEGIN in body and END in body:
            before, rest = body.split(BEGIN, 1)
            body = before + generated + rest.split(END, 1)[1]
        else:
            body = f"\n{generated}\n" + body
        text = text[:body_start] + body + ("" if nxt < 0 else text[nxt + 1:])
    path.write_text(text, encoding="utf-8")
