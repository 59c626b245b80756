"""Public datasets that ``trellis serve --dataset NAME`` (or ``TRELLIS_DATASET``) serves instead
of the sample organisation: imported once from ``../shared/data`` (``TRELLIS_SHARED_DATA``) into
``.trellis/NAME.json``, then served from that file like any embedded store.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from graph import transfer
from graph.errors import BadInput
from graph.store.embedded import EmbeddedStore

__all__ = ["Dataset", "DATASETS", "shared_data", "open_dataset"]

log = logging.getLogger("trellis")


@dataclass(frozen=True)
class Dataset:
    folder: str
    format: str
    infer_moves_gap: float | None
    """Public frameworks have few or no curated moves: career paths use inferred ones."""


DATASETS = {
    "onet": Dataset("onet-29.3", "onet", 30.0),
    "esco": Dataset("esco-1.2.0", "esco", 6.0),
    "ddat": Dataset("uk-ddat", "ddat", None),
    "ftprog": Dataset("ft-progression", "ftprog", None),
}


def shared_data() -> Path:
    configured = os.environ.get("TRELLIS_SHARED_DATA")
    return Path(configured) if configured else Path(__file__).resolve().parents[1].parent / "shared" / "data"


def open_dataset(name: str, folder: Path) -> EmbeddedStore:
    """The store file of dataset ``name`` in ``folder``, imported on first use."""
    if name not in DATASETS:
        raise BadInput(f"TRELLIS_DATASET must be one of {', '.join(sorted(DATASETS))} (or unset), not '{name}'.")
    spec = DATASETS[name]
    path = folder / f"{name}.json"
    if not path.exists():
        source = shared_data() / spec.folder
        log.info("Importing %s from %s into %s (first use)...", name, source, path)
        store = EmbeddedStore(path, seed=False)
        try:
            transfer.import_into(store, source, spec.format)
        except BaseException:
            path.unlink(missing_ok=True)        # no half-made dataset file to be served next time
            raise
        return store
    return EmbeddedStore(path, seed=False)
