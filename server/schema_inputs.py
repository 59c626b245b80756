"""GraphQL input types of the mutations."""

from __future__ import annotations

import strawberry

from .types import Category, ResourceKind, Source


@strawberry.input
class NamedInput:
    id: strawberry.ID
    name: str


@strawberry.input
class LevelInput:
    id: strawberry.ID
    rank: int
    name: str


@strawberry.input
class ScaleLevelInput:
    name: str
    description: str | None = None


@strawberry.input(description="Only the fields given change.")
class FrameworkInput:
    name: str | None = None
    version: str | None = None
    validity_days: int | None = None
    scale: list[ScaleLevelInput] | None = None


@strawberry.input
class CompetencyInput:
    id: strawberry.ID
    name: str
    category: Category
    description: str | None = None


@strawberry.input
class RequirementInput:
    competency_id: strawberry.ID
    level: int
    weight: float = 1.0
    essential: bool = False


@strawberry.input
class RoleInput:
    id: strawberry.ID
    title: str
    description: str | None = None
    family_id: strawberry.ID | None = None
    track_id: strawberry.ID | None = None
    level_id: strawberry.ID | None = None
    requirements: list[RequirementInput] | None = None


@strawberry.input
class PersonInput:
    id: strawberry.ID
    name: str
    email: str | None = None
    role_id: strawberry.ID | None = None
    since: str | None = None
    manager_id: strawberry.ID | None = None


@strawberry.input
class DevelopmentInput:
    competency_id: strawberry.ID
    from_level: int
    to_level: int


@strawberry.input
class LearningResourceInput:
    id: strawberry.ID
    title: str
    kind: ResourceKind
    hours: float
    url: str | None = None
    develops: list[DevelopmentInput] = strawberry.field(default_factory=list)


@strawberry.input
class EvidenceInput:
    kind: str
    note: str | None = None
    at: str | None = None


@strawberry.input
class AssessmentInput:
    person_id: strawberry.ID
    competency_id: strawberry.ID
    level: int
    source: Source
    at: str | None = None
    note: str | None = None
    evidence: list[EvidenceInput] = strawberry.field(default_factory=list)
