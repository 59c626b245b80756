"""Settings from the environment: numbers as given (0 included), refusals that name the setting."""

from __future__ import annotations

import pytest

from graph.errors import BadInput
from server.config import Settings


def test_a_threshold_of_zero_is_kept() -> None:
    s = Settings.from_env({"TRELLIS_UPSKILL": "0", "TRELLIS_READY_SOON": "0", "TRELLIS_READY_NOW": "0.5"})
    assert (s.thresholds.upskill, s.thresholds.ready_soon, s.thresholds.ready_now) == (0.0, 0.0, 0.5)
    assert Settings.from_env({}).thresholds.upskill == 0.7


@pytest.mark.parametrize(("env", "words"), [
    ({"TRELLIS_UPSKILL": "lots"}, "TRELLIS_UPSKILL must be a number"),
    ({"TRELLIS_RETRY_SECONDS": "0"}, "TRELLIS_RETRY_SECONDS must be more than 0"),
    ({"NEO4J_TIMEOUT": "-1"}, "NEO4J_TIMEOUT must be more than 0"),
    ({"TRELLIS_UPSKILL": "1.5"}, "upskill must be between 0 and 1"),
])
def test_bad_settings_are_named(env: dict[str, str], words: str) -> None:
    with pytest.raises(BadInput, match=words):
        Settings.from_env(env)
