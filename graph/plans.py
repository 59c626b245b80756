"""Development plans: the cheapest learning (by hours) that closes every deficit.

For each competency short of the target role, the cheapest chain of resources
from the current level to the required one is a shortest path over levels: a
resource that develops ``from -> to`` can be taken at any level ``a`` with
``from <= a < to`` and lifts it to ``to``. A resource that serves several
competencies is taken (and counted) once. Items are ordered from lower to
higher levels, each with the indicators to practise.

>>> from graph.document import from_document
>>> from graph.projection import build_projection
>>> from graph.profiles import resolve_profile
>>> org = from_document({"framework": {"id": "f", "name": "F"},
...     "competencies": [{"id": "a", "name": "A", "category": "TECHNICAL"}],
...     "roles": [{"id": "r", "title": "R", "requires": [{"competency": "a", "level": 3}]}],
...     "resources": [
...         {"id": "big", "title": "0 to 3", "hours": 50, "develops": [{"competency": "a", "from": 0, "to": 3}]},
...         {"id": "s1", "title": "0 to 2", "hours": 10, "develops": [{"competency": "a", "from": 0, "to": 2}]},
...         {"id": "s2", "title": "2 to 3", "hours": 15, "develops": [{"competency": "a", "from": 2, "to": 3}]}]})
>>> proj = build_projection(org)
>>> plan = development_plan(proj, resolve_profile(proj, proficiencies={}), "r")
>>> [i.resource_id for i in plan.items], plan.total_hours
(['s1', 's2'], 25.0)
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from .errors import NotFound
from .model import Indicator, LearningResource
from .profiles import Profile
from .projection import Projection

__all__ = ["PlanItem", "Uncovered", "DevelopmentPlan", "development_plan"]


@dataclass(frozen=True)
class PlanItem:
    resource_id: str
    competency_id: str
    from_level: int
    to_level: int
    hours: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Uncovered:
    competency_id: str
    from_level: int
    to_level: int


@dataclass(frozen=True)
class DevelopmentPlan:
    role_id: str
    total_hours: float
    items: tuple[PlanItem, ...]
    uncovered: tuple[Uncovered, ...]
    """Deficits that no resource (or chain of resources) can close."""


def _cheapest_chain(options: list[tuple[LearningResource, int, int]], start: int, goal: int
                    ) -> list[tuple[LearningResource, int, int]] | None:
    """Dijkstra over levels; ties broken by resource id for a stable plan."""
    queue: list[tuple[float, int, tuple[str, ...], int, list[tuple[LearningResource, int, int]]]] = [
        (0.0, 0, (), start, [])]
    settled: set[int] = set()
    while queue:
        cost, _, key, level, chain = heapq.heappop(queue)
        if level >= goal:
            return chain
        if level in settled:
            continue
        settled.add(level)
        for res, lo, hi in options:
            if lo <= level < hi and hi not in settled:
                heapq.heappush(queue, (cost + res.hours, len(chain) + 1, (*key, res.id), hi,
                                       [*chain, (res, level, hi)]))
    return None


def development_plan(proj: Projection, profile: Profile, role_id: str) -> DevelopmentPlan:
    r = proj.role_index.get(role_id)
    if r is None:
        raise NotFound("role", role_id)
    by_comp: dict[str, list[tuple[LearningResource, int, int]]] = {}
    for res in sorted(proj.org.resources.values(), key=lambda x: x.id):
        for d in res.develops:
            by_comp.setdefault(d.competency_id, []).append((res, d.from_level, d.to_level))
    items: list[PlanItem] = []
    uncovered: list[Uncovered] = []
    cols, levels, _, _ = proj.role_requirements(r)
    for col, need in zip(cols, levels):
        cid, cur, need = proj.comp_ids[col], int(profile.levels[col]), int(need)
        if cur >= need:
            continue
        chain = _cheapest_chain(by_comp.get(cid, []), cur, need)
        if chain is None:
            uncovered.append(Uncovered(cid, cur, need))
            continue
        for res, lo, hi in chain:
            shown = tuple(i for lvl in range(lo + 1, min(hi, need) + 1) for i in proj.indicators.get((cid, lvl), ()))
            items.append(PlanItem(res.id, cid, lo, min(hi, need), res.hours, shown))
    items.sort(key=lambda i: (i.from_level, i.to_level, i.competency_id, i.resource_id))
    hours = {i.resource_id: i.hours for i in items}
    return DevelopmentPlan(role_id, float(sum(hours.values())), tuple(items), tuple(uncovered))
