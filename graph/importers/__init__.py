"""Importers for public competency frameworks: each turns a dataset's own files into an
organisation document (see :mod:`graph.document`) plus what it skipped and which mappings
it applied.

======  ==================================  =========================================
format  reads                               module
======  ==================================  =========================================
onet    O*NET 29.3 text release (folder)    :mod:`graph.importers.onet`
esco    ESCO 1.2.0 CSV files (folder)       :mod:`graph.importers.esco`
ddat    UK DDaT CSV files (folder)          :mod:`graph.importers.ddat`
ftprog  FT progression YAML (folder/file)   :mod:`graph.importers.ftprog`
======  ==================================  =========================================

Every importer is ``load(path, progress=None) -> ImportResult``; ``progress(stage, done,
total)`` is called as it reads. The mappings are documented in each module and repeated in
``ImportResult.notes``.

>>> sorted(FORMATS)
['ddat', 'esco', 'ftprog', 'onet']
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import BadInput
from .common import ImportResult, Progress

__all__ = ["FORMATS", "ImportResult", "Progress", "load"]

FORMATS = {"onet": "O*NET 29.3", "esco": "ESCO 1.2.0", "ddat": "UK DDaT", "ftprog": "FT progression"}


def load(format: str, path: Path | str, progress: Progress | None = None) -> ImportResult:
    """Run the importer for ``format`` (one of :data:`FORMATS`) on ``path``."""
    if format not in FORMATS:
        raise BadInput(f"Unknown import format '{format}': use one of {', '.join(sorted(FORMATS))}.")
    module = importlib.import_module(f"{__name__}.{format}")
    result: ImportResult = module.load(Path(path), progress)
    return result
