"""``trellis import FOLDER`` recognises the public datasets' folders without ``--format``."""

from __future__ import annotations

import pytest

from graph import transfer
from graph.seeds import SAMPLE_DIR

from . import data_dir


@pytest.mark.parametrize("folder, fmt", [("onet-29.3", "onet"), ("esco-1.2.0", "esco"), ("uk-ddat", "ddat"),
                                         ("ft-progression", "ftprog")])
def test_dataset_folders_are_recognised(folder: str, fmt: str) -> None:
    assert transfer.detect(data_dir(folder)) == fmt


def test_other_folders_still_go_by_their_files() -> None:
    assert transfer.detect(SAMPLE_DIR) == "yaml"
