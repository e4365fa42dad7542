"""A real dashboard on a loopback port, and a browser-like HTTP client for it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from bot.app import App
from bot.dashboard import dashboard_apps
from bot.web import create_web_app
from domain.dashboard import DashboardSite
from tests.conftest import invoke

LINK = re.compile(r"(http://\S+/dashboard/login\?token=[\w-]+)")


@asynccontextmanager
async def serve_dashboard(app: App) -> AsyncIterator[str]:
    """Serve /dashboard and /c on 127.0.0.1 (a free port) and tell the app its address."""
    runner = web.AppRunner(create_web_app(subapps=dashboard_apps(app)), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    base = f"http://127.0.0.1:{port}"
    if app.ctx.maybe(DashboardSite) is None:
        app.ctx.provide(DashboardSite, DashboardSite(base))
    try:
        yield base
    finally:
        await runner.cleanup()


async def sign_in_link(app: App, moderator: str = "mod") -> str:
    """Ask for a link in chat, as a moderator would."""
    reply = await invoke(app, moderator, "admin dashboard", mod=True)
    found = LINK.search(reply.text)
    assert found, reply.text
    return found.group(1)


def browser() -> aiohttp.ClientSession:
    """An HTTP client that keeps cookies for 127.0.0.1 like a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
