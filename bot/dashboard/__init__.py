"""The moderators' web dashboard and the public leaderboard page, on the HTTP surface.

Server-rendered with Jinja2 (autoescaping on) through aiohttp-jinja2; no
script at all, charts are SVG drawn on the server, so the pages work offline
and under a CSP that forbids inline script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.dashboard.security import FailedSignIns, security_headers
from bot.dashboard.views import Dashboard

if TYPE_CHECKING:
    from bot.app import App

_C = "/c/{community:[0-9]+}"


def _templated(app: web.Application) -> web.Application:
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("bot.dashboard", "templates"),
        autoescape=True,
    )
    return app


def dashboard_apps(app: App) -> list[tuple[str, web.Application]]:
    """The sub-applications to mount: (prefix, app) for /dashboard and /c."""
    views = Dashboard(app, FailedSignIns())
    dashboard = _templated(web.Application(middlewares=[security_headers]))
    dashboard.router.add_get("/login", views.login)
    dashboard.router.add_get(_C + "/", views.overview)
    dashboard.router.add_get(_C + "/metrics.json", views.metrics_json)
    dashboard.router.add_get(_C + "/members", views.members)
    dashboard.router.add_get(_C + "/members/{member}", views.member)
    dashboard.router.add_get(_C + "/p/{slug}", views.page)
    dashboard.router.add_get(_C + "/settings", views.settings)
    dashboard.router.add_post(_C + "/run", views.run)
    dashboard.router.add_post(_C + "/logout", views.logout)
    dashboard.router.add_static("/static", _static_dir(), append_version=True)
    public = _templated(web.Application(middlewares=[security_headers]))
    public.router.add_get("/{slug}/leaderboard", views.public_leaderboard)
    return [("/dashboard", dashboard), ("/c", public)]


def _static_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).parent / "static")
