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

__all__ = ["GRAPHQL_RESPONSE", "wants_graphql_response", "with_codes", "finish", "request_error"]

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


def with_codes(body: dict[str, Any], spec: bool) -> bool:
    """Give every error of an answer being built an ``extensions.code`` (parse errors come from before our
    error policy runs); in the spec's form, a request error loses its ``data``. True for a request error."""
    errors = body.get("errors") or []
    for e in errors:
        ext = e.setdefault("extensions", {})
        if "code" not in ext:
            ext["code"] = "GRAPHQL_PARSE_FAILED" if str(e.get("message", "")).startswith("Syntax Error") else "BAD_REQUEST"
    refused = bool(errors) and body.get("data") is None and all("path" not in e for e in errors)
    if spec and refused:
        body.pop("data", None)
    return refused


def finish(response: Response, spec: bool, refused: bool) -> Response:
    """In the spec's media type (and status 400 for a refused request) when ``spec``; headers only."""
    if spec and response.headers.get("content-type", "").startswith("application/json"):
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if refused:
            response.status_code = 400
    return response


def request_error(message: str, status: int, spec: bool, code: str = "BAD_REQUEST",
                  headers: dict[str, str] | None = None) -> Response:
    """A request refused before GraphQL (a body that is not JSON, too many requests), as a GraphQL error."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    media = f"{GRAPHQL_RESPONSE}; charset=utf-8" if spec else "application/json"
    return Response(json.dumps(body), status_code=status, media_type=media, headers=headers)
