"""Who is asking: signed bearer tokens (PyJWT, HS256) carrying a person id and an access level.

>>> secret = "correct horse battery staple, 32+ chars"
>>> token = issue_token(secret, "ada", Access.MANAGER, ttl=60)
>>> viewer = read_token(secret, token)
>>> viewer.person_id, viewer.access
('ada', <Access.MANAGER: 'MANAGER'>)
>>> read_token("another secret of at least 32 characters", token)
Traceback (most recent call last):
...
graph.errors.Unauthenticated: The token is not signed by this server; sign in again.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import jwt

from graph.errors import BadInput, Unauthenticated

__all__ = ["Access", "Viewer", "ANONYMOUS", "issue_token", "read_token", "bearer", "load_secret"]

ISSUER = "trellis"


class Access(str, Enum):
    ANONYMOUS = "ANONYMOUS"
    EMPLOYEE = "EMPLOYEE"
    MANAGER = "MANAGER"
    HR = "HR"


@dataclass(frozen=True)
class Viewer:
    person_id: str | None
    access: Access

    @property
    def signed_in(self) -> bool:
        return self.access is not Access.ANONYMOUS


ANONYMOUS = Viewer(None, Access.ANONYMOUS)


def issue_token(secret: str, person_id: str, access: Access, ttl: int = 8 * 3600) -> str:
    now = int(time.time())
    claims = {"sub": person_id, "access": access.value, "iss": ISSUER, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(secret: str, token: str) -> Viewer:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], issuer=ISSUER,
                            options={"require": ["sub", "exp", "iss"]})
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("The token has expired; sign in again.") from None
    except jwt.InvalidSignatureError:
        raise Unauthenticated("The token is not signed by this server; sign in again.") from None
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated(f"The token is malformed ({exc}); sign in again.") from None
    try:
        return Viewer(str(claims["sub"]), Access(claims.get("access")))
    except ValueError:
        raise Unauthenticated("The token carries no valid access level; sign in again.") from None


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    return token.strip()


MIN_SECRET = 32


def load_secret(configured: str, folder: Path) -> str:
    """``TRELLIS_SECRET``, or a random one kept in ``folder/secret`` so every process agrees."""
    if configured:
        if len(configured) < MIN_SECRET:
            raise BadInput(f"TRELLIS_SECRET must be at least {MIN_SECRET} characters long.")
        return configured
    path = folder / "secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()
