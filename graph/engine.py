"""The engine: one store, its current projection, and every question Trellis answers.

The projection is rebuilt when, and only when, the store's version changes, so
several API processes over one store each stay current by themselves. A write made
through :meth:`Engine.apply` refreshes it instead, when the edit changed only people,
assessments or what the projection does not hold (:func:`graph.projection.refresh_projection`),
labelled with the version the commit answered.

>>> import tempfile, pathlib
>>> from graph.store.embedded import EmbeddedStore
>>> engine = Engine(EmbeddedStore(pathlib.Path(tempfile.mkdtemp()) / "s.json"))
>>> engine.projection() is engine.projection()
True
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .audit import entry
from .closeness import Direction, RoleMatch, closest_roles
from .bench import RoleBench, bench_strength, if_leaves
from .gaps import GapReport, gap_report
from .history import Period, PersonTrend, TeamTrend, person_trend, profiles_as_of, team_trend
from .inventory import CompetencyCoverage, skills_inventory
from .edits import Edit
from .errors import StaleVersion
from .learn import SkillStep, learn_next
from .paths import CareerPath, career_paths
from .plans import DevelopmentPlan, development_plan
from .profiles import Profile, ProfileRef, resolve_profile
from .projection import Projection, build_projection, edit_hint, refresh_projection
from .store import Store
from .succession import PoolMember, SuccessionReport, successors, talent_pool
from .teams import Heatmap, team_heatmap
from .thresholds import Thresholds
from .whatif import ReadinessChange, what_if

__all__ = ["Engine", "PinnedEngine", "ProfileSpec", "as_ref"]

RETRIES = 12
"""Tries of one edit while other writers keep moving the store on."""

ProfileSpec = ProfileRef | tuple[str | None, str | None, Mapping[str, int] | None] | \
    tuple[str | None, str | None, Mapping[str, int] | None, str | None]
"""A :class:`ProfileRef`, or the tuple (person_id, role_id, proficiencies[, current_role])."""


def as_ref(spec: ProfileSpec) -> ProfileRef:
    return spec if isinstance(spec, ProfileRef) else ProfileRef(*spec)


class Engine:
    def __init__(self, store: Store, thresholds: Thresholds = Thresholds(),
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.store = store
        self.thresholds = thresholds
        self.today = today
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._projection: Projection | None = None

    def projection(self) -> Projection:
        version = self.store.version()
        current = self._projection
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._projection is None or self._projection.version != version:
                self._projection = self._followed() or build_projection(self.store.organisation(), version)
            return self._projection

    def _followed(self) -> Projection | None:
        """The current projection refreshed with what other processes wrote, when the store only followed their
        journal lines since (the embedded store: :meth:`~graph.store.embedded.EmbeddedStore.changes_since`)."""
        current, since = self._projection, getattr(self.store, "changes_since", None)
        if current is None or since is None:
            return None
        found = since(current.version)
        if found is None:
            return None
        org, version, hint = found
        try:
            return refresh_projection(current, org, version, hint)
        except Exception:                   # a refresh that cannot be derived: build it in full
            return None

    def profile(self, spec: ProfileSpec, proj: Projection | None = None) -> Profile:
        ref = as_ref(spec)
        return resolve_profile(proj or self.projection(), ref.person_id, ref.role_id, ref.proficiencies,
                               ref.current_role, ref.as_of)

    def closest_roles(self, spec: ProfileSpec, limit: int = 10, family: str | None = None,
                      direction: Direction = Direction.ANY, max_level_delta: int | None = None) -> list[RoleMatch]:
        proj = self.projection()
        return closest_roles(proj, self.profile(spec, proj), limit, family, direction, max_level_delta,
                             self.thresholds)

    def learn_next(self, spec: ProfileSpec, target: str | None = None, limit: int = 5) -> list[SkillStep]:
        proj = self.projection()
        return learn_next(proj, self.profile(spec, proj), target, limit, self.thresholds)

    def gap(self, spec: ProfileSpec, role_id: str) -> GapReport:
        proj = self.projection()
        return gap_report(proj, self.profile(spec, proj), role_id, as_ref(spec).as_of or self.today(),
                          self.thresholds)

    def career_paths(self, spec: ProfileSpec, role_id: str, k: int = 1, max_steps: int | None = None,
                     max_step_gap: float | None = None) -> list[CareerPath]:
        proj = self.projection()
        return career_paths(proj, self.profile(spec, proj), role_id, k, max_steps, max_step_gap, self.thresholds)

    def successors(self, role_id: str, limit: int = 10, manager: str | None = None,
                   as_of: dt.date | None = None) -> SuccessionReport:
        proj = self.projection()
        levels = None if as_of is None else profiles_as_of(proj, as_of)
        return successors(proj, role_id, limit, manager, self.thresholds, levels)

    def development_plan(self, spec: ProfileSpec, role_id: str) -> DevelopmentPlan:
        proj = self.projection()
        return development_plan(proj, self.profile(spec, proj), role_id)

    def team_heatmap(self, manager: str, depth: int | None = None, as_of: dt.date | None = None) -> Heatmap:
        proj = self.projection()
        levels = None if as_of is None else profiles_as_of(proj, as_of)
        return team_heatmap(proj, manager, depth, profiles=levels)

    def person_trend(self, person_id: str, target: str | None = None) -> PersonTrend:
        return person_trend(self.projection(), person_id, target, self.today(), self.thresholds)

    def team_trend(self, manager: str, start: dt.date, end: dt.date, every: Period = Period.QUARTER,
                   depth: int | None = None, top: int = 3) -> TeamTrend:
        return team_trend(self.projection(), manager, start, end, every, depth, top)

    def what_if(self, spec: ProfileSpec, raise_to: Mapping[str, int], limit: int = 20) -> list[ReadinessChange]:
        proj = self.projection()
        return what_if(proj, self.profile(spec, proj), raise_to, limit, self.thresholds)

    def talent_pool(self, role_id: str, manager: str | None = None) -> list[PoolMember]:
        return talent_pool(self.projection(), role_id, manager, self.thresholds)

    def bench_strength(self, manager: str | None = None, threshold: int = 2) -> list[RoleBench]:
        return bench_strength(self.projection(), manager, threshold, self.thresholds)

    def if_leaves(self, person_id: str, manager: str | None = None, threshold: int = 2) -> list[RoleBench]:
        return if_leaves(self.projection(), person_id, manager, threshold, self.thresholds)

    def skills_inventory(self, family: str | None = None) -> list[CompetencyCoverage]:
        return skills_inventory(self.projection(), family)

    def apply(self, edit: Callable[..., Edit], *args: Any, actor: str | None = None, access: str = "SYSTEM",
              **kwargs: Any) -> Edit:
        """Run one edit on the current organisation and commit it with its audit entry, in one transaction.

        A concurrent write in between (another worker process, another thread) is never lost: the edit is
        made again on what the store holds now, as long as it still applies (else its own error says why);
        after a few tries in a row it answers CONFLICT. Writers in this process take turns (each edit is made
        on what the one before wrote), so only another process can make an edit try again.
        """
        with self._writing:
            return self._apply(edit, args, kwargs, actor, access)

    def _apply(self, edit: Callable[..., Edit], args: tuple[Any, ...], kwargs: dict[str, Any], actor: str | None,
               access: str) -> Edit:
        proj = self.projection()
        version, org = proj.version, proj.org
        for attempt in range(1, RETRIES + 1):
            done = edit(org, *args, **kwargs)
            try:
                with self._lock:          # a reader meanwhile waits for the refresh instead of rebuilding
                    written = self.store.commit(done, version, entry(done, actor, access))
                    self._refresh(done, written)
                return done
            except StaleVersion:
                if attempt == RETRIES:
                    raise
            time.sleep(random.uniform(0, 0.002 * attempt))       # writers in step would collide again
            version = self.store.version()                       # then the organisation: never older than it
            org = self.store.organisation()
        raise AssertionError("unreachable")

    def _refresh(self, done: Edit, version: str) -> None:
        """Install the projection of ``done.org`` at ``version``, derived from the current one when the edit was
        made on its organisation and changed only the people side; else leave it to the next read to rebuild."""
        current = self._projection
        if current is None or done.base is None or current.org is not done.base:
            return
        try:
            refreshed = refresh_projection(current, done.org, version, edit_hint(done.action, done.subject))
        except Exception:                   # the write is committed whatever happens here: rebuild on the next read
            refreshed = None
        if refreshed is not None:
            self._projection = refreshed


class PinnedEngine(Engine):
    """An engine held to one projection: what one request sees, whatever the store does meanwhile."""

    def __init__(self, base: Engine, proj: Projection) -> None:
        super().__init__(base.store, base.thresholds, base.today)
        self._pinned = proj

    def projection(self) -> Projection:
        return self._pinned
