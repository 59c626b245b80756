"""GraphQL over HTTP as the spec says, for clients that ask for it.

Strawberry answers ``application/json`` only. When a client prefers
``application/graphql-response+json`` (the spec's media type), we answer in it
and use status 400 for request errors (parse, validation, variable coercion:
errors with no ``path``, nothing executed), without a ``data`` entry. Clients
that ask for ``application/json`` keep the legacy 200 answers.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["GRAPHQL_RESPONSE", "wants_graphql_response", "finish", "request_error"]

GRAPHQL_RESPONSE = "application/graphql-response+json"


def wants_graphql_response(request: Request) -> bool:
    """Whether the Accept header lists the spec's media type before plain JSON.

    >>> from starlette.requests import Request
    >>> req = Request({"type": "http", "headers": [(b"accept", b"application/graphql-response+json, application/json")]})
    >>> wants_graphql_response(req)
    True
    """
    accept = request.headers.get("accept", "").lower()
    media = [part.split(";")[0].strip() for part in accept.split(",")]
    if GRAPHQL_RESPONSE not in media:
        return False
    return "application/json" not in media or media.index(GRAPHQL_RESPONSE) < media.index("application/json")


def _with_codes(errors: list[dict[str, Any]]) -> bool:
    """Give every error an ``extensions.code`` (parse errors come from before our error policy runs)."""
    changed = False
    for e in errors:
        ext = e.setdefault("extensions", {}) if isinstance(e, dict) else {}
        if isinstance(ext, dict) and "code" not in ext:
            syntax = str(e.get("message", "")).startswith("Syntax Error")
            ext["code"] = "GRAPHQL_PARSE_FAILED" if syntax else "BAD_REQUEST"
            changed = True
    return changed


def finish(response: Response, spec: bool) -> Response:
    """Every error with a code; in the spec's media type (and status codes) when ``spec``."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response
    body = json.loads(bytes(response.body))
    errors = body.get("errors") if isinstance(body, dict) else None
    changed = _with_codes(errors) if isinstance(errors, list) else False
    if not spec and not changed:
        return response
    status = response.status_code
    media = "application/json"
    if spec:
        media = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if errors and body.get("data") is None and all("path" not in e for e in errors):
            body.pop("data", None)
            status = 400
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")}
    return Response(json.dumps(body), status_code=status, headers=headers, media_type=media)


def request_error(message: str, status: int, spec: bool) -> Response:
    """A request Strawberry refused before GraphQL (e.g. a body that is not JSON), as a GraphQL error."""
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    media = f"{GRAPHQL_RESPONSE}; charset=utf-8" if spec else "application/json"
    return Response(json.dumps(body), status_code=status, media_type=media)
