"""The small HTTP surface: Slack events (HTTP mode), /healthz, and later webhooks.

Adapters contribute routes (`add`) before `serve` starts; the server is only
started when someone contributed one, so a Socket Mode or Discord-only bot
opens no port.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]


async def healthz(_: web.Request) -> web.Response:
    """Liveness for load balancers and container health checks."""
    return web.json_response({"ok": True})


def create_web_app(
    routes: Iterable[Route] = (), subapps: Iterable[tuple[str, web.Application]] = ()
) -> web.Application:
    """An aiohttp application with /healthz, the given routes and mounted sub-applications."""
    app = web.Application(client_max_size=1024**2)  # Slack payloads are far below 1 MiB
    app.router.add_get("/healthz", healthz)
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    for prefix, sub in subapps:
        app.add_subapp(prefix, sub)
    return app


class WebServer:
    """Collects routes from adapters and serves them on GUILDHALL_HTTP_HOST:PORT."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.routes: list[Route] = []
        self.subapps: list[tuple[str, web.Application]] = []

    def add(self, routes: Iterable[Route]) -> None:
        self.routes.extend(routes)

    def mount(self, subapps: Iterable[tuple[str, web.Application]]) -> None:
        """Serve whole sub-applications (the dashboard) under their prefixes."""
        self.subapps.extend(subapps)

    async def serve(self) -> None:
        """Serve until cancelled."""
        runner = web.AppRunner(create_web_app(self.routes, self.subapps), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        log.info("http: listening on %s:%s (%d routes)", self.host, self.port, len(self.routes))
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
