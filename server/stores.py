"""The store factory: which store the settings name, opened the same way for the server and every command.

>>> import tempfile, pathlib
>>> settings = Settings(data=pathlib.Path(tempfile.mkdtemp()) / "store.json")
>>> open_store(settings, seed=True).describe().startswith("embedded store")
True
"""

from __future__ import annotations

from graph.errors import BadInput
from graph.store import Store
from graph.store.embedded import EmbeddedStore

from .config import Settings

__all__ = ["open_store"]


def open_store(settings: Settings, *, seed: bool = False, existing: bool = False) -> Store:
    """Neo4j when ``neo4j_uri`` is set; else the ``dataset``'s file (imported on first use); else the embedded
    store at ``data`` — with the sample organisation when ``seed`` and the file is new. ``existing`` refuses
    to create one (reading a mistyped path must not make an empty store)."""
    if settings.neo4j_uri:
        from graph.store.neo4j import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, str(settings.neo4j_password),
                          settings.neo4j_database, settings.neo4j_timeout)
    if settings.dataset:
        from .datasets import open_dataset

        return open_dataset(settings.dataset, settings.data.parent)
    if existing and not settings.data.exists():
        raise BadInput(f"There is no store at {settings.data}: `trellis seed`, `trellis import FILE` or `make run` "
                       "creates one; --data or $TRELLIS_DATA points at another.")
    return EmbeddedStore(settings.data, seed=seed)
