"""``store``: the same contract tests run on every store implementation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import open_store


@pytest.fixture(params=["embedded", "neo4j"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    s = open_store(store_kind, tmp_path, request)
    yield s
    s.close()
