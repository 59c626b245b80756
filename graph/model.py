"""The domain model: frozen values for everything a competency framework holds.

An :class:`Organisation` is one consistent snapshot of a store. Stores build it;
the projection and the semantics read it; nothing mutates it in place.

>>> scale = default_scale()
>>> [s.name for s in scale]
['Awareness', 'Working', 'Practitioner', 'Advanced', 'Expert']
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from enum import Enum

from .chunks import Chunks

__all__ = [
    "no_gc", "unchecked",
    "Category", "Source", "MoveKind", "ResourceKind", "SOURCE_TRUST",
    "ScaleLevel", "Framework", "Competency", "Indicator", "JobFamily", "Track",
    "Level", "Requirement", "Role", "Move", "Person", "Evidence", "Assessment",
    "Development", "LearningResource", "SavedPlanItem", "SavedPlan", "Nomination", "Interest", "Organisation", "default_scale",
]


class Category(str, Enum):
    """What kind of competency: a skill (technical, behavioural, leadership) or a body of knowledge.

    Closeness compares knowledge and skills separately (``graph/closeness.py``): what someone
    knows says which field they work in, what they can do says how.
    """

    TECHNICAL = "TECHNICAL"
    BEHAVIOURAL = "BEHAVIOURAL"
    LEADERSHIP = "LEADERSHIP"
    KNOWLEDGE = "KNOWLEDGE"


class Source(str, Enum):
    SELF = "SELF"
    PEER = "PEER"
    MANAGER = "MANAGER"
    ASSESSED = "ASSESSED"


SOURCE_TRUST: Mapping[Source, int] = {
    Source.SELF: 0, Source.PEER: 1, Source.MANAGER: 2, Source.ASSESSED: 3,
}
"""Higher is more trusted: the effective proficiency comes from the most trusted source present."""


class MoveKind(str, Enum):
    PROGRESSES_TO = "PROGRESSES_TO"
    CAN_MOVE_TO = "CAN_MOVE_TO"


class ResourceKind(str, Enum):
    COURSE = "COURSE"
    MENTORING = "MENTORING"
    PROJECT = "PROJECT"
    READING = "READING"
    CERTIFICATION = "CERTIFICATION"


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    name: str
    description: str = ""


def default_scale() -> tuple[ScaleLevel, ...]:
    names = ["Awareness", "Working", "Practitioner", "Advanced", "Expert"]
    return tuple(ScaleLevel(i + 1, n) for i, n in enumerate(names))


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str = "1"
    validity_days: int = 365
    scale: tuple[ScaleLevel, ...] = field(default_factory=default_scale)

    @property
    def max_level(self) -> int:
        return len(self.scale)


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    category: Category
    description: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    competency_id: str
    level: int
    text: str


@dataclass(frozen=True)
class JobFamily:
    id: str
    name: str


@dataclass(frozen=True)
class Track:
    id: str
    name: str


@dataclass(frozen=True)
class Level:
    id: str
    rank: int
    name: str


@dataclass(frozen=True)
class Requirement:
    competency_id: str
    level: int
    weight: float = 1.0
    essential: bool = False


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    family_id: str | None = None
    track_id: str | None = None
    level_id: str | None = None
    description: str = ""
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    kind: MoveKind


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str = ""
    role_id: str | None = None
    since: dt.date | None = None
    manager_id: str | None = None


@dataclass(frozen=True)
class Evidence:
    kind: str
    note: str = ""
    at: dt.date | None = None


@dataclass(frozen=True)
class Assessment:
    id: str
    person_id: str
    competency_id: str
    level: int
    source: Source
    at: dt.date
    note: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Development:
    competency_id: str
    from_level: int
    to_level: int


@dataclass(frozen=True)
class LearningResource:
    id: str
    title: str
    kind: ResourceKind
    hours: float
    url: str = ""
    develops: tuple[Development, ...] = ()


@dataclass(frozen=True)
class SavedPlanItem:
    """One step of a saved plan: a resource that takes a competency from one level to the next; ``done`` when finished."""

    resource_id: str
    competency_id: str
    from_level: int
    to_level: int
    done: dt.date | None = None


@dataclass(frozen=True)
class SavedPlan:
    """A person's chosen target role and the development plan they keep for it (one per person).

    The plan is saved as it was computed, so progress is measured against what was agreed,
    not against a plan that silently changes whenever the framework does.
    """

    person_id: str
    role_id: str
    saved: dt.date
    items: tuple[SavedPlanItem, ...] = ()


@dataclass(frozen=True)
class Nomination:
    """A person put forward for a role's talent pool (a succession slate), by whom, when and why."""

    role_id: str
    person_id: str
    by: str | None
    at: dt.date
    note: str = ""


@dataclass(frozen=True)
class Interest:
    """A person's own word that they would like a role one day (their manager and HR see it)."""

    person_id: str
    role_id: str
    at: dt.date


@dataclass(frozen=True)
class Organisation:
    """One consistent snapshot of everything a store holds, keyed by id."""

    framework: Framework
    competencies: Mapping[str, Competency] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()
    families: Mapping[str, JobFamily] = field(default_factory=dict)
    tracks: Mapping[str, Track] = field(default_factory=dict)
    levels: Mapping[str, Level] = field(default_factory=dict)
    roles: Mapping[str, Role] = field(default_factory=dict)
    moves: tuple[Move, ...] = ()
    people: Mapping[str, Person] = field(default_factory=dict)
    assessments: Sequence[Assessment] = ()
    """Sorted by id (every reader and edit keeps it so: edits find an id by bisection). Held as
    :class:`graph.chunks.Chunks` (whatever sequence is given), so that an edit copies one chunk, not 8M items."""
    resources: Mapping[str, LearningResource] = field(default_factory=dict)
    plans: Mapping[str, SavedPlan] = field(default_factory=dict)
    """Saved target roles and plans, keyed by person id."""
    nominations: tuple[Nomination, ...] = ()
    """Talent pools, sorted by (role, person)."""
    interests: tuple[Interest, ...] = ()
    """Career interests, sorted by (person, role)."""

    def __post_init__(self) -> None:
        if not isinstance(self.assessments, Chunks):
            object.__setattr__(self, "assessments", Chunks(self.assessments))

    def counts(self) -> dict[str, int]:
        """How many of each kind: the summary that imports and the README print."""
        return {
            "competencies": len(self.competencies),
            "indicators": len(self.indicators),
            "families": len(self.families),
            "tracks": len(self.tracks),
            "levels": len(self.levels),
            "roles": len(self.roles),
            "requirements": sum(len(r.requirements) for r in self.roles.values()),
            "moves": len(self.moves),
            "people": len(self.people),
            "assessments": len(self.assessments),
            "resources": len(self.resources),
            "plans": len(self.plans),
            "nominations": len(self.nominations),
            "interests": len(self.interests),
        }


def unchecked(cls: type) -> Callable[..., Any]:
    """A constructor for the frozen dataclass ``cls`` taking every field positionally: what its generated
    ``__init__`` does (each field set in order, so the instances are laid out alike), without the per-field
    global lookups. For stores reading millions of rows they checked themselves; only for classes without
    ``__post_init__``.

    >>> unchecked(Level)("l", "L", 1) == Level("l", "L", 1)
    True
    """
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return cls
    names = [f.name for f in dataclasses.fields(cls)]
    body = "".join(f"    set(o, {n!r}, {n})\n" for n in names)
    scope: dict[str, Any] = {"new": object.__new__, "set": object.__setattr__, "cls": cls}
    exec(f"def make({', '.join(names)}):\n    o = new(cls)\n{body}    return o\n", scope)   # noqa: S102
    return scope["make"]  # type: ignore[no-any-return]


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """The garbage collector off while millions of new objects, none of them in a cycle, are built: its passes
    would walk all of them again and again (a third of a Neo4j read at 100k people)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
