"""The audit trail: who changed what, when, with the value before and after.

>>> from graph.edits import create_family
>>> from graph.seeds import sample_organisation
>>> e = entry(create_family(sample_organisation(), "legal", "Legal"), "ada", "HR")
>>> e.action, e.subject, e.actor, json.loads(e.after)
('createJobFamily', 'JobFamily:legal', 'ada', {'id': 'legal', 'name': 'Legal'})
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from .edits import Edit

__all__ = ["AuditEntry", "entry"]


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: str
    """UTC, ISO 8601."""
    actor: str | None
    """The person id of the token, or None (the command line)."""
    access: str
    action: str
    subject: str
    before: str
    """JSON of the value before (``null`` when created)."""
    after: str
    """JSON of the value after (``null`` when deleted)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def entry(edit: Edit, actor: str | None, access: str, now: dt.datetime | None = None) -> AuditEntry:
    at = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="milliseconds")
    return AuditEntry(uuid.uuid4().hex, at, actor, access, edit.action, edit.subject,
                      json.dumps(edit.before, sort_keys=True), json.dumps(edit.after, sort_keys=True))
