"""Growth over time: profiles as of a date, and the series that trend charts draw.

Assessments are never overwritten, so the organisation on any past day can be read back: a
person's effective proficiency *as of* a day is the same rule as today's (the most recent
assessment from the most trusted source) over the assessments made up to that day. The
assessments are sorted once per projection by (person, competency, trust, date, id); then the
effective assessment of every (person, competency) at every day of a series is the last valid
row of its group — one vectorised pass for the whole series, not one query per point.

>>> import datetime as dt
>>> from graph.seeds import sample_organisation
>>> from graph.projection import build_projection
>>> proj = build_projection(sample_organisation())
>>> before_all = dt.date(1900, 1, 1)
>>> float(profiles_as_of(proj, before_all).sum())
0.0
>>> (profiles_as_of(proj, dt.date(2100, 1, 1)) != proj.profiles).nnz
0
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
from scipy import sparse

from .chunks import Chunks
from .errors import BadInput, NotFound
from .gaps import Verdict, as_reported, deficits, readiness, verdicts
from .model import SOURCE_TRUST, Assessment
from .projection import PeopleChange, Projection, on_refresh
from .teams import TeamGap
from .thresholds import Thresholds

__all__ = ["AssessmentTable", "assessment_table", "profiles_as_of", "person_as_of", "series_levels",
           "Period", "period_ends", "TrendPoint", "CompetencySeries", "PersonTrend", "person_trend",
           "CompetencyDeficit", "TeamTrendPoint", "TeamTrend", "team_trend"]


@dataclass(frozen=True, eq=False)
class AssessmentTable:
    """Every assessment as arrays, sorted by (person, competency, trust, day, id): the last valid row of a
    (person, competency) group is its effective assessment."""

    person: np.ndarray      # person row (Projection.person_index)
    comp: np.ndarray        # competency column
    level: np.ndarray
    day: np.ndarray         # date ordinal
    rows: Chunks[Assessment]
    start: np.ndarray       # per person: where their rows begin (len people + 1)

    @property
    def last_day(self) -> int:
        return int(self.day.max()) if len(self.day) else dt.date.min.toordinal()


_TABLES: weakref.WeakKeyDictionary[Projection, AssessmentTable] = weakref.WeakKeyDictionary()
_PENDING: weakref.WeakKeyDictionary[Projection, tuple[AssessmentTable, np.ndarray]] = weakref.WeakKeyDictionary()
"""A refreshed projection's table to be: an older table and the person rows whose assessments changed since."""


@on_refresh
def _carry(old: Projection, new: Projection, change: PeopleChange) -> None:
    """The table holds while nobody joined and nobody's assessments changed; else it is patched on first use."""
    if change.shifted:
        return
    rows = np.asarray(sorted(new.person_index[p] for p in change.assessed), dtype=np.int64)
    table, pending = _TABLES.get(old), _PENDING.get(old)
    if table is not None and not len(rows):
        _TABLES[new] = table
    elif table is not None:
        _PENDING[new] = (table, rows)
    elif pending is not None:
        _PENDING[new] = (pending[0], np.union1d(pending[1], rows))


def _table(proj: Projection, found: Sequence[Assessment]) -> tuple[np.ndarray, ...]:
    """(person, comp, day, level, order) of ``found``, ``order`` sorting them by (person, competency, trust, day, id)."""
    person = np.asarray([proj.person_index[a.person_id] for a in found], dtype=np.int64)
    comp = np.asarray([proj.comp_index[a.competency_id] for a in found], dtype=np.int64)
    trust = np.asarray([SOURCE_TRUST[a.source] for a in found], dtype=np.int64)
    day = np.asarray([a.at.toordinal() for a in found], dtype=np.int64)
    id_rank = np.argsort(np.argsort(np.asarray([a.id for a in found], dtype=object), kind="stable"), kind="stable")
    order = np.lexsort((id_rank, day, trust, comp, person)) if len(found) else np.zeros(0, dtype=np.int64)
    level = np.asarray([found[i].level for i in order], dtype=np.float64)
    return person[order], comp[order], day[order], level, order


def _patched(proj: Projection, table: AssessmentTable, rows: np.ndarray) -> AssessmentTable:
    """``table`` with the segments of person ``rows`` (sorted) rebuilt from the projection's history."""
    found = [a for r in rows.tolist() for a in proj.history.get(proj.person_ids[r], ())
             if a.competency_id in proj.comp_index]
    person, comp, day, level, order = _table(proj, found)
    fresh = [found[i] for i in order]
    at = np.searchsorted(person, rows)
    at_end = np.searchsorted(person, rows, side="right")
    cuts = [(int(table.start[r]), int(table.start[r + 1]), int(a), int(b)) for r, a, b in zip(rows, at, at_end)]

    def spliced(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        parts, last = [], 0
        for lo, hi, a, b in cuts:
            parts += [old[last:lo], new[a:b]]
            last = hi
        parts.append(old[last:])
        return np.concatenate(parts)

    kept = table.rows
    for lo, hi, a, b in reversed(cuts):
        kept = kept.spliced(lo, hi, fresh[a:b])
    delta = np.zeros(len(table.start), dtype=np.int64)
    delta[rows + 1] = (at_end - at) - (table.start[rows + 1] - table.start[rows])
    return AssessmentTable(spliced(table.person, person), spliced(table.comp, comp), spliced(table.level, level),
                           spliced(table.day, day), kept,
                           table.start + np.cumsum(delta))


def assessment_table(proj: Projection) -> AssessmentTable:
    """The projection's assessments as a sorted table (built once per projection; after a refresh, the
    previous table with the changed people's rows rebuilt)."""
    table = _TABLES.get(proj)
    if table is not None:
        return table
    pending = _PENDING.pop(proj, None)
    if pending is not None:
        table = _TABLES[proj] = _patched(proj, *pending)
        return table
    found = [a for a in proj.org.assessments if a.person_id in proj.person_index and a.competency_id in proj.comp_index]
    person, comp, day, level, order = _table(proj, found)
    start = np.searchsorted(person, np.arange(len(proj.person_ids) + 1))
    table = AssessmentTable(person, comp, level, day, Chunks([found[i] for i in order]), start)
    _TABLES[proj] = table
    return table


def series_levels(table: AssessmentTable, rows: np.ndarray, days: Sequence[int]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For table rows ``rows`` (ascending, whole groups), per (person, competency) group the effective row at
    each of ``days``: (group's first row, effective row index per day and group (-1: none yet), levels)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return rows, np.zeros((len(days), 0), dtype=np.int64), np.zeros((len(days), 0))
    key = table.person[rows] * (int(table.comp.max()) + 1) + table.comp[rows]
    first = np.r_[0, np.nonzero(key[1:] != key[:-1])[0] + 1]
    valid = table.day[rows][None, :] <= np.asarray(days, dtype=np.int64)[:, None]
    score = np.where(valid, np.arange(len(rows))[None, :], -1)
    best = np.maximum.reduceat(score, first, axis=1)
    chosen = np.where(best >= 0, rows[np.maximum(best, 0)], -1)
    levels = np.where(best >= 0, table.level[rows[np.maximum(best, 0)]], 0.0)
    return rows[first], chosen, levels


def _people_rows(table: AssessmentTable, people: np.ndarray) -> np.ndarray:
    spans = [np.arange(table.start[p], table.start[p + 1]) for p in np.sort(people)]
    return np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)


def profiles_as_of(proj: Projection, day: dt.date) -> sparse.csr_matrix:
    """Effective levels (people × competencies, sparse, read-only) from the assessments made up to ``day``."""
    table = assessment_table(proj)
    if day.toordinal() >= table.last_day:
        return proj.profiles
    heads, _, levels = series_levels(table, np.arange(len(table.day)), [day.toordinal()])
    held = levels[0] > 0
    return sparse.csr_matrix((levels[0][held], (table.person[heads][held], table.comp[heads][held])),
                             shape=proj.profiles.shape)


def person_as_of(proj: Projection, person_id: str, day: dt.date) -> tuple[np.ndarray, dict[str, Assessment]]:
    """One person's levels on ``day`` and, per competency, the assessment each comes from."""
    row = proj.person_index.get(person_id)
    if row is None:
        raise NotFound("person", person_id)
    table = assessment_table(proj)
    rows = np.arange(table.start[row], table.start[row + 1])
    heads, chosen, levels = series_levels(table, rows, [day.toordinal()])
    vec = np.zeros(len(proj.comp_ids))
    vec[table.comp[heads]] = levels[0]
    effective = {proj.comp_ids[table.comp[h]]: table.rows[c] for h, c in zip(heads, chosen[0]) if c >= 0}
    return vec, effective


class Period(str, Enum):
    MONTH = "MONTH"
    QUARTER = "QUARTER"


def period_ends(start: dt.date, end: dt.date, every: Period, limit: int = 240) -> list[dt.date]:
    """The last day of each month or quarter from ``start``'s to ``end``'s; the last point is ``end`` itself.

    >>> period_ends(dt.date(2026, 2, 10), dt.date(2026, 8, 1), Period.QUARTER)
    [datetime.date(2026, 3, 31), datetime.date(2026, 6, 30), datetime.date(2026, 8, 1)]
    """
    if end < start:
        raise BadInput(f"to: {end.isoformat()} is before from ({start.isoformat()}).")
    step = 3 if every is Period.QUARTER else 1
    y, m = start.year, ((start.month - 1) // step + 1) * step
    out: list[dt.date] = []
    while True:
        last = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        if last >= end:
            out.append(end)
            break
        out.append(last)
        if len(out) > limit:
            raise BadInput(f"from..to spans more than {limit} {every.value.lower()}s; ask for a shorter span.")
        m += step
        if m > 12:
            y, m = y + 1, m - 12
    return out


# --- a person's growth ----------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    at: dt.date
    gap: float
    readiness: float
    verdict: Verdict


@dataclass(frozen=True)
class CompetencySeries:
    competency_id: str
    required: int | None
    """What the target requires (None when it does not)."""
    levels: tuple[int, ...]
    """The effective level at each of the trend's days."""


@dataclass(frozen=True)
class PersonTrend:
    person_id: str
    target_id: str | None
    days: tuple[dt.date, ...]
    points: tuple[TrendPoint, ...]
    competencies: tuple[CompetencySeries, ...]


def person_trend(proj: Projection, person_id: str, target: str | None, today: dt.date,
                 t: Thresholds = Thresholds()) -> PersonTrend:
    """A person's level per competency and readiness for ``target`` on each day they were assessed, and today.

    ``target`` defaults to the person's saved plan's target, else their current role.
    """
    row = proj.person_index.get(person_id)
    if row is None:
        raise NotFound("person", person_id)
    if target is None:
        plan = proj.org.plans.get(person_id)
        target = plan.role_id if plan else proj.org.people[person_id].role_id
    r = -1
    if target is not None:
        r = proj.role_index.get(target, -1)
        if r < 0:
            raise NotFound("role", target)
    table = assessment_table(proj)
    rows = np.arange(table.start[row], table.start[row + 1])
    days = sorted({int(d) for d in table.day[rows] if d <= today.toordinal()} | {today.toordinal()})
    heads, _, levels = series_levels(table, rows, days)
    matrix = np.zeros((len(days), len(proj.comp_ids)))
    matrix[:, table.comp[heads]] = levels
    points: list[TrendPoint] = []
    if r >= 0:
        cols, need, w, ess = proj.role_requirements(r)
        short = deficits(need[None, :], matrix[:, cols])
        gaps = as_reported(short @ w) if len(cols) else np.zeros(len(days))
        ready = readiness(gaps, np.full(len(days), proj.max_gap[r]))
        blocked = ((short > 1) & ess[None, :]).any(axis=1) if len(cols) else np.zeros(len(days), dtype=bool)
        points = [TrendPoint(dt.date.fromordinal(d), float(g), float(x), v)
                  for d, g, x, v in zip(days, gaps, ready, verdicts(gaps, ready, blocked, t))]
        required = {int(c): int(n) for c, n in zip(cols, need)}
    else:
        required = {}
    shown = sorted(set(int(c) for c in table.comp[heads]) | set(required), key=lambda c: proj.comp_ids[c])
    series = tuple(CompetencySeries(proj.comp_ids[c], required.get(c), tuple(int(x) for x in matrix[:, c]))
                   for c in shown)
    return PersonTrend(person_id, target, tuple(dt.date.fromordinal(d) for d in days), tuple(points), series)


# --- a team's growth --------------------------------------------------------------------------


CompetencyDeficit = TeamGap
"""A competency's total weighted deficit over the team and who is below: the heatmap's own top-gap value."""


@dataclass(frozen=True)
class TeamTrendPoint:
    at: dt.date
    total_deficit: float
    mean_readiness: float
    deficits: tuple[CompetencyDeficit, ...]
    """Every competency the people's roles require, by id."""
    top_gaps: tuple[CompetencyDeficit, ...]


@dataclass(frozen=True)
class TeamTrend:
    manager_id: str
    people: tuple[str, ...]
    points: tuple[TeamTrendPoint, ...]


def team_trend(proj: Projection, manager: str, start: dt.date, end: dt.date, every: Period,
               depth: int | None = None, top: int = 3) -> TeamTrend:
    """The team's deficits against each person's own role at the end of every period (today's team)."""
    if manager not in proj.person_index:
        raise NotFound("person", manager)
    if depth is not None and depth < 1:
        raise BadInput(f"depth must be at least 1 (1 = direct reports), not {depth}.")
    days = period_ends(start, end, every)
    people = tuple(proj.all_reports(manager, depth))
    rows = np.asarray([proj.person_index[p] for p in people], dtype=np.int64)
    placed = rows[proj.person_role[rows] >= 0] if len(rows) else rows
    # every requirement of every placed person's role: one entry each
    spans = [(p, *proj.role_requirements(int(proj.person_role[p]))[:3]) for p in placed]
    owner = np.concatenate([np.full(len(c), p) for p, c, _, _ in spans]) if spans else np.zeros(0, dtype=np.int64)
    col = np.concatenate([c for _, c, _, _ in spans]) if spans else np.zeros(0, dtype=np.int64)
    need = np.concatenate([n for _, _, n, _ in spans]) if spans else np.zeros(0)
    w = np.concatenate([x for _, _, _, x in spans]) if spans else np.zeros(0)
    table = assessment_table(proj)
    heads, _, levels = series_levels(table, _people_rows(table, placed), [d.toordinal() for d in days])
    width = len(proj.comp_ids)
    end_key = np.iinfo(np.int64).max                  # a last, never-matching group: every lookup lands somewhere
    head_key = np.append(table.person[heads] * width + table.comp[heads], end_key)
    at = np.searchsorted(head_key, owner * width + col)
    padded = np.hstack([levels, np.zeros((len(days), 1))])
    current = np.where(head_key[at] == owner * width + col, padded[:, at], 0.0)
    deficit = deficits(need[None, :], current)
    weighted = deficit * w[None, :]
    comps = np.unique(col)
    slot = np.searchsorted(comps, col)
    sorted_placed = np.sort(placed)
    person_slot = np.searchsorted(sorted_placed, owner)
    position = {p: i for i, p in enumerate(people)}
    points = []
    for i, day in enumerate(days):
        per_comp = np.bincount(slot, weights=weighted[i], minlength=len(comps))
        gaps = as_reported(np.bincount(person_slot, weights=weighted[i], minlength=len(sorted_placed)))
        ready = readiness(gaps, proj.max_gap[proj.person_role[sorted_placed]]) if len(sorted_placed) else gaps
        below: list[list[str]] = [[] for _ in comps]
        for e in np.nonzero(deficit[i] > 0)[0]:
            below[slot[e]].append(proj.person_ids[owner[e]])
        items = tuple(CompetencyDeficit(proj.comp_ids[c], as_reported(float(per_comp[k])),
                                        tuple(sorted(below[k], key=position.__getitem__)))
                      for k, c in enumerate(comps))
        ranked = sorted((x for x in items if x.total_deficit > 0), key=lambda x: (-x.total_deficit, x.competency_id))
        points.append(TeamTrendPoint(day, as_reported(float(weighted[i].sum())),
                                     round(float(ready.mean()), 6) if len(ready) else 1.0,
                                     tuple(sorted(items, key=lambda x: x.competency_id)), tuple(ranked[:top])))
    return TeamTrend(manager, people, tuple(points))
