"""Headers, cookies and the sign-in rate limit of the dashboard's pages."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from aiohttp import web

from bot.web import Handler

COOKIE = "gh_dashboard"
# No inline script or style at all: member-written text can never run.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every dashboard and public page: CSP, no framing, no referrer, no caching of pages."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        # Refusals and redirects get the same headers as pages.
        response = web.Response(
            status=exc.status, body=exc.body, headers=exc.headers, reason=exc.reason
        )
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The sign-in token is in the login URL: never send it on as a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    if not request.path.startswith(("/dashboard/static", "/c/")):
        response.headers["Cache-Control"] = "no-store"
    return response


def is_tls(request: web.Request) -> bool:
    """Behind TLS directly or through a proxy that says so."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def set_session_cookie(response: web.StreamResponse, request: web.Request, value: str) -> None:
    """HttpOnly, SameSite=Strict, Secure when the request came over TLS."""
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="Strict",
        secure=is_tls(request),
        path="/dashboard",
        max_age=8 * 3600,
    )


class FailedSignIns:
    """At most `limit` refused sign-in attempts per client address per `window` seconds.

    Kept in the process: it slows guessing down and needs no shared state to
    be correct (a token is 256 random bits; the limit only spares the database).
    """

    def __init__(self, limit: int = 10, window: float = 600.0) -> None:
        self._limit = limit
        self._window = window
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, client: str) -> bool:
        """True while `client` has used up its attempts."""
        seen = self._seen[client]
        cutoff = time.monotonic() - self._window
        while seen and seen[0] < cutoff:
            seen.popleft()
        return len(seen) >= self._limit

    def failed(self, client: str) -> None:
        """Count one refused attempt."""
        self._seen[client].append(time.monotonic())
