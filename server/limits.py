"""Warnings collected during a request (e.g. a capped limit) go out in
``extensions.warnings``, beside the data they qualify."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension

__all__ = ["Warnings"]


class Warnings(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        ctx = self.execution_context.context
        warnings = getattr(ctx, "warnings", None)
        return {"warnings": list(warnings)} if warnings else {}
