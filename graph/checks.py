"""Framework checks: what makes a competency framework weak, as a list of issues.

An **ERROR** makes answers wrong or meaningless; fix it before relying on gaps,
paths or succession. A **WARNING** is a hole worth a look that can be deliberate.

=============================  ========  =====================================================
code                           severity  what
=============================  ========  =====================================================
ROLE_WITHOUT_REQUIREMENTS      ERROR     a role requires nothing: everyone is READY for it and
                                         its readiness divides by zero
PROMOTION_REQUIRES_LESS        ERROR     a PROGRESSES_TO move whose target's total requirement
                                         (Σ weight × level) is lower than its source's
MOVE_TO_MISSING_ROLE           ERROR     a move whose target role does not exist (deleted)
MOVE_FROM_MISSING_ROLE         ERROR     a move whose source role does not exist (deleted)
MISSING_INDICATORS             WARNING   a competency lacks an indicator for some level of the
                                         scale, so "what good looks like" is blank there
PROMOTION_LOWERS_REQUIREMENT   WARNING   a promotion's target requires a shared competency at a
                                         lower level (often deliberate: IC → management)
UNREACHABLE_ROLE               WARNING   no move leads into a role that is not an entry role
                                         (see below): no career path can reach it
UNUSED_COMPETENCY              WARNING   no role requires the competency
PERSON_WITHOUT_ROLE            WARNING   a person holds no role (or a role that does not exist):
                                         no gap, succession or heatmap row for them
=============================  ========  =====================================================

**Entry roles.** A role is an entry role when its level's rank is the lowest rank
among the roles of its job family (roles without a family form one group): people
are hired into it, so nobody needs to move into it. Roles without a level are
not judged. Any curated move (PROGRESSES_TO or CAN_MOVE_TO) from another role counts.

:func:`framework_issues` checks an :class:`Organisation`. A document with moves
between unknown roles never becomes one (``from_document`` refuses it), so
:func:`document_issues` checks a raw organisation document for those.

>>> from graph.document import from_document
>>> org = from_document({"framework": {"id": "f", "name": "F"},
...     "competencies": [{"id": "sql", "name": "SQL", "category": "TECHNICAL"}],
...     "roles": [{"id": "analyst", "title": "Analyst"}]})
>>> [(i.severity.value, i.code, i.subjects) for i in framework_issues(org)]
[('ERROR', 'ROLE_WITHOUT_REQUIREMENTS', ('analyst',)), ('WARNING', 'MISSING_INDICATORS', ('sql',)), \
('WARNING', 'UNUSED_COMPETENCY', ('sql',))]
>>> [i.code for i in document_issues({"roles": [{"id": "a"}], "moves": {"can_move_to": [["a", "gone"]]}})]
['MOVE_TO_MISSING_ROLE']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .model import Move, MoveKind, Organisation, Role

__all__ = ["Severity", "Issue", "framework_issues", "document_issues"]


class Severity(str, Enum):
    ERROR = "ERROR"
    WARNING = "WARNING"


@dataclass(frozen=True)
class Issue:
    """One weakness of a framework; ``subjects`` are the ids it is about (roles, competencies, people)."""

    severity: Severity
    code: str
    message: str
    subjects: tuple[str, ...] = ()


def _order(issue: Issue) -> tuple[int, str, tuple[str, ...]]:
    return (0 if issue.severity is Severity.ERROR else 1, issue.code, issue.subjects)


def framework_issues(org: Organisation) -> list[Issue]:
    """Every issue of ``org``: errors first, then by code and subjects."""
    issues = [*_requirements(org), *_promotions(org), *_reachability(org), *_missing_roles(org.moves, org.roles),
              *_indicators(org), *_unused(org), *_people(org)]
    return sorted(issues, key=_order)


def document_issues(doc: Mapping[str, Any]) -> list[Issue]:
    """Moves of a raw organisation document that refer to roles it does not have.

    Malformed parts are skipped: :func:`graph.document.from_document` reports those.
    """
    if not isinstance(doc, Mapping):
        return []
    raw_roles, raw_moves = doc.get("roles"), doc.get("moves")
    roles = {str(r.get("id")) for r in raw_roles if isinstance(r, Mapping)} if isinstance(raw_roles, list) else set()
    moves = []
    for kind in MoveKind:
        pairs = raw_moves.get(kind.value.lower()) if isinstance(raw_moves, Mapping) else None
        for pair in pairs if isinstance(pairs, list) else []:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                moves.append(Move(str(pair[0]), str(pair[1]), kind))
    return sorted(_missing_roles(moves, roles), key=_order)


def _total(role: Role) -> float:
    return sum(q.weight * q.level for q in role.requirements)


def _requirements(org: Organisation) -> Iterable[Issue]:
    for role in org.roles.values():
        if not role.requirements:
            yield Issue(Severity.ERROR, "ROLE_WITHOUT_REQUIREMENTS",
                        f"Role '{role.id}' requires no competency: everyone would be ready for it.", (role.id,))


def _promotions(org: Organisation) -> Iterable[Issue]:
    for move in org.moves:
        source, target = org.roles.get(move.source), org.roles.get(move.target)
        if move.kind is not MoveKind.PROGRESSES_TO or source is None or target is None:
            continue
        if _total(target) < _total(source):
            yield Issue(Severity.ERROR, "PROMOTION_REQUIRES_LESS",
                        f"The promotion from '{source.id}' to '{target.id}' requires less in total "
                        f"({_total(target):g} < {_total(source):g}, as Σ weight × level).", (source.id, target.id))
        before = {q.competency_id: q.level for q in source.requirements}
        for q in target.requirements:
            if q.competency_id in before and q.level < before[q.competency_id]:
                yield Issue(Severity.WARNING, "PROMOTION_LOWERS_REQUIREMENT",
                            f"The promotion from '{source.id}' to '{target.id}' lowers '{q.competency_id}' "
                            f"from level {before[q.competency_id]} to {q.level}.",
                            (source.id, target.id, q.competency_id))


def _rank(org: Organisation, role: Role) -> int | None:
    level = org.levels.get(role.level_id) if role.level_id is not None else None
    return level.rank if level is not None else None


def _reachability(org: Organisation) -> Iterable[Issue]:
    entered = {m.target for m in org.moves if m.source != m.target and m.source in org.roles}
    lowest: dict[str | None, int] = {}
    for role in org.roles.values():
        rank = _rank(org, role)
        if rank is not None:
            lowest[role.family_id] = min(rank, lowest.get(role.family_id, rank))
    for role in org.roles.values():
        rank = _rank(org, role)
        if role.id not in entered and rank is not None and rank > lowest[role.family_id]:
            family = f"family '{role.family_id}'" if role.family_id else "roles without a family"
            yield Issue(Severity.WARNING, "UNREACHABLE_ROLE",
                        f"No move leads into role '{role.id}', and it is not an entry role (rank {rank}; "
                        f"the lowest in {family} is {lowest[role.family_id]}).", (role.id,))


def _missing_roles(moves: Iterable[Move], roles: Mapping[str, Any] | set[str]) -> Iterable[Issue]:
    for m in moves:
        if m.target not in roles:
            yield Issue(Severity.ERROR, "MOVE_TO_MISSING_ROLE",
                        f"A {m.kind.value} move from '{m.source}' leads to role '{m.target}', which does not exist.",
                        (m.source, m.target))
        if m.source not in roles:
            yield Issue(Severity.ERROR, "MOVE_FROM_MISSING_ROLE",
                        f"A {m.kind.value} move to '{m.target}' starts from role '{m.source}', which does not exist.",
                        (m.source, m.target))


def _indicators(org: Organisation) -> Iterable[Issue]:
    present = {(i.competency_id, i.level) for i in org.indicators}
    for comp in org.competencies.values():
        missing = [s.level for s in org.framework.scale if (comp.id, s.level) not in present]
        if missing:
            levels = ", ".join(map(str, missing))
            yield Issue(Severity.WARNING, "MISSING_INDICATORS",
                        f"Competency '{comp.id}' has no indicator for level{'s' if len(missing) > 1 else ''} "
                        f"{levels}.", (comp.id,))


def _unused(org: Organisation) -> Iterable[Issue]:
    used = {q.competency_id for role in org.roles.values() for q in role.requirements}
    for comp in org.competencies.values():
        if comp.id not in used:
            yield Issue(Severity.WARNING, "UNUSED_COMPETENCY", f"No role requires competency '{comp.id}'.", (comp.id,))


def _people(org: Organisation) -> Iterable[Issue]:
    for person in org.people.values():
        if person.role_id is None:
            yield Issue(Severity.WARNING, "PERSON_WITHOUT_ROLE", f"Person '{person.id}' holds no role.", (person.id,))
        elif person.role_id not in org.roles:
            yield Issue(Severity.WARNING, "PERSON_WITHOUT_ROLE",
                        f"Person '{person.id}' holds role '{person.role_id}', which does not exist.", (person.id,))
