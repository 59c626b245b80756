"""GraphQL over HTTP as the spec says, for clients that ask for it.

Strawberry answers ``application/json`` only. When a client prefers
``application/graphql-response+json`` (the spec's media type), we answer in it
and use status 400 for request errors (parse, validation, variable coercion:
errors with no ``path``, nothing executed), without a ``data`` entry. Clients
that ask for ``application/json`` keep the legacy 200 answers.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["GRAPHQL_RESPONSE", "wants_graphql_response", "to_graphql_response"]

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


def to_graphql_response(response: Response) -> Response:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response
    body = json.loads(bytes(response.body))
    status = response.status_code
    if isinstance(body, dict) and body.get("errors") and body.get("data") is None \
            and all("path" not in e for e in body["errors"]):
        body.pop("data", None)
        status = 400
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")}
    return Response(json.dumps(body), status_code=status, headers=headers,
                    media_type=f"{GRAPHQL_RESPONSE}; charset=utf-8")
