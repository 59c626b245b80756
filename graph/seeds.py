"""The sample organisation in ``seeds/sample/``: reviewable YAML files whose merged
content is one organisation document (see :mod:`graph.document`).

>>> org = sample_organisation()
>>> len(org.roles) >= 35 and len(org.competencies) >= 40
True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .document import from_document
from .errors import BadInput
from .model import Organisation

__all__ = ["SAMPLE_DIR", "read_document", "sample_organisation"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAMPLE_DIR = next(p for p in (Path(__file__).with_name("sample"), Path(__file__).resolve().parents[1] / "seeds" / "sample")
                  if p.is_dir())
"""The sample: inside the package when installed from a wheel, in ``seeds/sample`` in a checkout."""


def read_document(folder: Path) -> dict[str, Any]:
    """Merge every ``*.yaml`` file in ``folder`` into one document (keys must not repeat)."""
    doc: dict[str, Any] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise BadInput(f"No .yaml files in {folder}.")
    for path in files:
        part = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
        for key, value in part.items():
            if key in doc:
                raise BadInput(f"{path.name}: key '{key}' is already defined in another file.")
            doc[key] = value
    return doc


@lru_cache(maxsize=1)
def sample_organisation() -> Organisation:
    """The Northwind Labs sample organisation that the embedded default serves (read once: it is immutable)."""
    return from_document(read_document(SAMPLE_DIR))
