"""What every answer carries and who may ask how often: security headers with a Content-Security-Policy
that the site passes (no inline script or style), and a per-token rate limit.

>>> limiter = RateLimiter(per_second=1.0, burst_seconds=2.0)
>>> [limiter.wait("ana", now=0.0) for _ in range(3)]
[0.0, 0.0, 1.0]
>>> limiter.wait("ana", now=1.0), limiter.wait("ben", now=1.0)
(0.0, 0.0)
"""

from __future__ import annotations

import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SecurityHeaders", "RateLimiter"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds :data:`HEADERS` and :data:`CSP` to every HTTP answer; the GraphiQL page (development only, it
    needs its inline scripts) gets the headers without the policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ide = scope["path"] == "/graphql" and scope["method"] == "GET"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in names]
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if not (ide and html):
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimiter:
    """A token bucket per caller: ``per_second`` on average, ``burst_seconds`` worth at once."""

    def __init__(self, per_second: float, burst_seconds: float = 5.0) -> None:
        self.rate, self.capacity = per_second, max(1.0, per_second * burst_seconds)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, caller: str, now: float) -> float:
        """0 when ``caller`` may go ahead now (and is counted), else the seconds until it may."""
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[caller] = (tokens - 1.0, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            if len(self._buckets) > 100_000:          # forget callers that have been quiet the longest
                for key in sorted(self._buckets, key=lambda k: self._buckets[k][1])[:50_000]:
                    del self._buckets[key]
            return (1.0 - tokens) / self.rate
