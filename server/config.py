"""Settings, read once from the environment (see DESIGN.md, "Commands and settings").

>>> s = Settings.from_env({"PORT": "9000", "TRELLIS_SECRET": "hunter2"})
>>> s.port, s.secret
(9000, Secret('**********'))
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.errors import BadInput
from graph.thresholds import Thresholds

__all__ = ["Secret", "Settings"]


class Secret:
    """A value that never shows in a repr or a log line."""

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadInput(f"Setting {key} must be a whole number, not {raw!r}.") from None


def _float(env: Mapping[str, str], key: str, default: float | None) -> float | None:
    raw = env.get(key)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise BadInput(f"Setting {key} must be a number, not {raw!r}.") from None


def _number(env: Mapping[str, str], key: str, default: float, positive: bool = False) -> float:
    """A number setting that is always present: 0 is a value like any other, not "unset"."""
    value = _float(env, key, default)
    value = default if value is None else value
    if positive and not value > 0:
        raise BadInput(f"Setting {key} must be more than 0, not {value:g}.")
    return value


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data: Path = Path(".trellis/store.json")
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: Secret = Secret("trellis-dev")
    neo4j_database: str = "neo4j"
    neo4j_timeout: float = 5.0
    """Seconds before a store operation gives up and answers UNAVAILABLE."""
    retry_seconds: float = 5.0
    """How often an unusable store is tried again."""
    secret: Secret = Secret("")
    demo: bool = False
    production: bool = False
    """``TRELLIS_ENV=production``, the default of ``trellis serve`` unless ``TRELLIS_DEMO`` (``make run``) asks for
    the demo: no GraphiQL, introspection, field suggestions or demo sign-in, queries by POST only, a secret set."""
    introspection: bool = True
    allow_get: bool = True
    """Queries (never mutations) over GET; off in production unless ``TRELLIS_ALLOW_GET=1``."""
    cors_origins: tuple[str, ...] = ()
    """Origins another site may call the API from (``TRELLIS_CORS_ORIGINS``, comma separated); none by default."""
    request_timeout: float = 30.0
    """Seconds a GraphQL request may run before it is answered ``TIMEOUT``."""
    rate_limit: float = 0.0
    """Requests per second per token (or per address when signed out), bursts of 5 s; 0 = no limit."""
    access_log: bool = True
    """A line per request on standard output (uvicorn's access log); ``TRELLIS_ACCESS_LOG=0`` when a proxy in front
    already logs them (it costs a trivial request a tenth of its time)."""
    dataset: str | None = None
    """Serve a public dataset (onet, esco, ddat, ftprog) instead of the sample organisation."""
    thresholds: Thresholds = Thresholds()

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise BadInput(f"PORT must be between 1 and 65535, not {self.port}.")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        base = Thresholds()
        demo = env.get("TRELLIS_DEMO", "") not in ("", "0", "false")
        mode = (env.get("TRELLIS_ENV") or ("development" if demo else "production")).lower()
        if mode not in ("production", "development"):
            raise BadInput(f"TRELLIS_ENV must be production or development, not {mode!r}.")
        production = mode == "production"
        if production and demo:
            raise BadInput("TRELLIS_DEMO lets anyone sign in as anyone: it cannot be on with TRELLIS_ENV=production.")

        def flag(key: str, default: bool) -> bool:
            return env.get(key, "1" if default else "0") not in ("0", "false", "")

        return cls(
            host=env.get("HOST", "127.0.0.1"),
            port=_int(env, "PORT", 8000),
            data=Path(env.get("TRELLIS_DATA") or ".trellis/store.json"),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=Secret(env.get("NEO4J_PASSWORD", "trellis-dev")),
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            neo4j_timeout=_number(env, "NEO4J_TIMEOUT", 5.0, positive=True),
            retry_seconds=_number(env, "TRELLIS_RETRY_SECONDS", 5.0, positive=True),
            secret=Secret(env.get("TRELLIS_SECRET", "")),
            demo=demo,
            production=production,
            introspection=flag("TRELLIS_INTROSPECTION", not production),
            allow_get=flag("TRELLIS_ALLOW_GET", not production),
            cors_origins=tuple(o.strip() for o in env.get("TRELLIS_CORS_ORIGINS", "").split(",") if o.strip()),
            request_timeout=_number(env, "TRELLIS_REQUEST_TIMEOUT", 30.0, positive=True),
            rate_limit=_number(env, "TRELLIS_RATE_LIMIT", 50.0 if production else 0.0),
            access_log=flag("TRELLIS_ACCESS_LOG", True),
            dataset=env.get("TRELLIS_DATASET") or None,
            thresholds=Thresholds(
                upskill=_number(env, "TRELLIS_UPSKILL", base.upskill),
                ready_now=_number(env, "TRELLIS_READY_NOW", base.ready_now),
                ready_soon=_number(env, "TRELLIS_READY_SOON", base.ready_soon),
                infer_moves_gap=_float(env, "TRELLIS_INFER_MOVES_GAP", None),
            ),
        )
