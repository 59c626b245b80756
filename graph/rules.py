"""Field rules: what an id, a name, a text, a level, a weight, hours, a rank and a date may be.

Every way in asks these functions — the document reader (JSON and YAML files, the embedded store's
file, and the CSV and CASE readers and the importers, which all build documents) and the edits behind
the mutations — so an import and a mutation can never disagree about a value. A rule returns the
clean value or raises :class:`FieldError` saying what is wrong; the caller adds where (a document
path such as ``roles[3].requires[0].weight``, or a mutation's field name).

Bounds are finite and documented (README, "Field rules"): a weight of 1e308 would make every total
infinite, and a note of two million characters is not a note.

>>> identifier(" sql-analytics ")
'sql-analytics'
>>> identifier("sql analytics")
Traceback (most recent call last):
...
graph.rules.FieldError: 'sql analytics' is not a usable id (no spaces, at most 200 characters)
>>> weight(1e308)
Traceback (most recent call last):
...
graph.rules.FieldError: must be more than 0 and at most 1000, not 1e+308
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

__all__ = ["FieldError", "ID_MAX", "NAME_MAX", "TEXT_MAX", "URL_MAX", "WEIGHT_MAX", "HOURS_MAX", "RANK_MAX",
           "VALIDITY_DAYS_MAX", "identifier", "name", "behaviour", "text", "level", "weight", "hours", "rank", "validity_days",
           "date"]

ID_MAX = 200
NAME_MAX = 500
"""Names and titles: a competency, a role, a person, a scale level, an evidence kind."""
TEXT_MAX = 20_000
"""Free text: descriptions, notes, indicator texts."""
URL_MAX = 2_000
WEIGHT_MAX = 1_000.0
HOURS_MAX = 100_000.0
RANK_MAX = 1_000
VALIDITY_DAYS_MAX = 36_500
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


class FieldError(ValueError):
    """A value that breaks a field rule; the message says what is wrong but not where."""

    @property
    def message(self) -> str:
        return str(self.args[0])


def _string(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError("must be text")
    return str(value).strip()


def identifier(value: Any) -> str:
    """A stable, human-readable id: no whitespace, 1..200 characters."""
    out = _string(value)
    if not out:
        raise FieldError("must not be empty")
    if any(c.isspace() for c in out) or len(out) > ID_MAX:
        raise FieldError(f"'{out[:60]}' is not a usable id (no spaces, at most {ID_MAX} characters)")
    return out


def name(value: Any, limit: int = NAME_MAX) -> str:
    """A required name or title: not blank, at most ``limit`` characters."""
    out = _string(value)
    if not out:
        raise FieldError("must not be empty")
    if len(out) > limit:
        raise FieldError(f"is {len(out):,} characters long; at most {limit:,}")
    return out


def behaviour(value: Any) -> str:
    """An indicator: an observable behaviour, in prose (required, at most the free-text limit)."""
    return name(value, TEXT_MAX)


def text(value: Any, limit: int = TEXT_MAX) -> str:
    """Optional free text (empty when absent): at most ``limit`` characters."""
    if value is None:
        return ""
    out = _string(value)
    if len(out) > limit:
        raise FieldError(f"is {len(out):,} characters long; at most {limit:,}")
    return out


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError(f"must be a number, not {value!r}")
    if not math.isfinite(value):
        raise FieldError(f"must be a finite number, not {value!r}")
    return float(value)


def _whole(value: Any) -> int:
    x = _number(value)
    if x != int(x):
        raise FieldError(f"must be a whole number, not {value!r}")
    return int(x)


def level(value: Any, top: int, low: int = 1) -> int:
    """A level on the framework's scale ``low..top`` (0 means none, where ``low`` is 0)."""
    x = _whole(value)
    if not low <= x <= top:
        raise FieldError(f"must be between {low} and {top} on the framework's scale, not {x}")
    return x


def weight(value: Any) -> float:
    """A requirement's weight: more than 0 and at most 1000."""
    x = _number(value)
    if not 0 < x <= WEIGHT_MAX:
        raise FieldError(f"must be more than 0 and at most {WEIGHT_MAX:g}, not {x:g}")
    return x


def hours(value: Any) -> float:
    """A learning resource's hours: more than 0 and at most 100,000."""
    x = _number(value)
    if not 0 < x <= HOURS_MAX:
        raise FieldError(f"must be more than 0 and at most {HOURS_MAX:,.0f}, not {x:g}")
    return x


def rank(value: Any) -> int:
    """A level's rank (its place in the ladder): a whole number from 0 to 1000."""
    x = _whole(value)
    if not 0 <= x <= RANK_MAX:
        raise FieldError(f"must be between 0 and {RANK_MAX}, not {x}")
    return x


def validity_days(value: Any) -> int:
    """How long a verified assessment stays fresh: 1 day to 100 years."""
    x = _whole(value)
    if not 1 <= x <= VALIDITY_DAYS_MAX:
        raise FieldError(f"must be between 1 and {VALIDITY_DAYS_MAX:,}, not {x}")
    return x


def date(value: Any) -> dt.date:
    """A calendar date (ISO 8601, like 2026-03-31) between 1900 and 2200."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldError(f"must be a date like 2026-03-31, not {value!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise FieldError(f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}, not {day.isoformat()}")
    return day
