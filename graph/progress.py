"""How long work reports how far it got: the CLI shows a rich progress bar, tests and servers ignore it.

>>> seen = []
>>> report: Progress = lambda step, done, total: seen.append((step, done, total))
>>> report("roles", 10, 20); seen
[('roles', 10, 20)]
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress"]

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, rows_done, rows_total)``."""
