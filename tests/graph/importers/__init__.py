"""Importer tests run on the real public datasets in ``../shared/data`` (beside the repository).

They fail, never skip, when the data are missing: the importers are only worth what they do
on the real files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def data_dir(name: str) -> Path:
    """The dataset folder ``name`` under ``../shared/data``; fails the test clearly when absent."""
    folder = DATA / name
    if not folder.is_dir():
        pytest.fail(f"The importer tests need the real dataset folder {folder} "
                    f"(../shared/data/{name} beside the repository); it is missing.", pytrace=False)
    return folder
