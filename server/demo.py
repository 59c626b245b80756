"""Demo sign-in (``TRELLIS_DEMO=1`` only; without it these routes do not exist).

``GET /auth/demo`` lists the people one may sign in as; ``POST /auth/demo``
``{"personId": ...}`` answers a token for them. The access level follows the
organisation: HR for people in a People/HR job family, MANAGER for anyone with
reports, EMPLOYEE otherwise.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph.engine import Engine
from graph.projection import Projection

from .auth import Access, issue_token

__all__ = ["demo_routes", "demo_access"]

_HR_WORDS = ("people", "hr", "human resources")


def demo_access(proj: Projection, person_id: str) -> Access:
    person = proj.org.people[person_id]
    role = proj.org.roles.get(person.role_id or "")
    family = proj.org.families.get(role.family_id or "") if role else None
    if family and any(w in family.name.lower().split() or family.name.lower().startswith(w) for w in _HR_WORDS):
        return Access.HR
    return Access.MANAGER if proj.reports.get(person_id) else Access.EMPLOYEE


def demo_routes(secret: str) -> list[Route]:
    async def people(request: Request) -> Response:
        engine: Engine = request.app.state.engine
        proj = engine.projection()
        rows = []
        for p in sorted(proj.org.people.values(), key=lambda p: p.name):
            role = proj.org.roles.get(p.role_id or "")
            rows.append({"id": p.id, "name": p.name, "roleTitle": role.title if role else None,
                         "access": demo_access(proj, p.id).value})
        return JSONResponse({"people": rows})

    async def sign_in(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            person_id = str(body["personId"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": {"code": "BAD_INPUT", "message": 'Send {"personId": "..."}.'}},
                                status_code=400)
        proj = request.app.state.engine.projection()
        if person_id not in proj.person_index:
            return JSONResponse({"error": {"code": "NOT_FOUND", "message": f"No person with id '{person_id}'."}},
                                status_code=404)
        access = demo_access(proj, person_id)
        person = proj.org.people[person_id]
        return JSONResponse({"token": issue_token(secret, person_id, access),
                             "person": {"id": person.id, "name": person.name}, "access": access.value})

    return [Route("/auth/demo", people, methods=["GET"]), Route("/auth/demo", sign_in, methods=["POST"])]
