"""The small HTTP surface: /healthz, /metrics, Slack events (HTTP mode), later webhooks.

Adapters and the composer contribute routes (`add`) before `serve` starts.
`guildhall run` always serves it (on GUILDHALL_HTTP_HOST:PORT) whenever any
adapter runs, so every deployment can be health-checked and scraped.
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
    routes = list(routes)
    if not any(path == "/healthz" for _, path, _ in routes):
        app.router.add_get("/healthz", healthz)
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    for prefix, sub in subapps:
        app.add_subapp(prefix, sub)
    return app


class WebServer:
    """Collects routes from adapters and serves them on GUILDHALL_HTTP_HOST:PORT."""

    def __init__(self, host: str, port: int, *, shutdown_seconds: float = 10.0) -> None:
        self.host = host
        self.shutdown_seconds = shutdown_seconds  # in-flight requests may finish this long
        self.port = port  # the bound port once started (a configured 0 picks a free one)
        self.routes: list[Route] = []
        self.subapps: list[tuple[str, web.Application]] = []
        self.started = asyncio.Event()
        self._runner: web.AppRunner | None = None

    def add(self, routes: Iterable[Route]) -> None:
        self.routes.extend(routes)

    def mount(self, subapps: Iterable[tuple[str, web.Application]]) -> None:
        """Serve whole sub-applications (the dashboard) under their prefixes."""
        self.subapps.extend(subapps)

    async def start(self) -> None:
        """Listen; raise OSError (port taken) before anything else starts."""
        runner = web.AppRunner(
            create_web_app(self.routes, self.subapps),
            access_log=None,
            shutdown_timeout=self.shutdown_seconds,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.started.set()
        log.info("http: listening on %s:%s (%d routes)", self.host, self.port, len(self.routes))

    async def stop(self) -> None:
        """Stop accepting connections; requests in progress finish (up to aiohttp's grace)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def serve(self) -> None:
        """Serve until cancelled."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
