"""The calendar feed route of the HTTP surface: `GET /ical/<token>.ics`.

A token opens one member's feed (the events they are going to) or the
community's (every event); an unknown or revoked token is a 404 that tells
nothing more. The file is rendered off the event loop: a feed of hundreds
of series takes tens of milliseconds of pure Python.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp import web

from bot.app import App
from bot.web import Route
from cogs.events import ical
from domain.events import FeedRepository
from domain.identity import IdentityRepository

PATH = "/ical/{token:[A-Za-z0-9_-]{16,64}}.ics"
HISTORY = timedelta(days=90)  # past series a calendar still shows


def ical_routes(app: App) -> list[Route]:
    """The feed route, bound to a wired app; add it with `WebServer.add`."""

    async def feed(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        now = app.clock.now()
        async with app.uow(read_only=True) as uow:
            feeds = uow.get(FeedRepository)
            owner = await feeds.feed_owner(token)
            if owner is None:
                raise web.HTTPNotFound(text="no such calendar")
            community = await uow.get(IdentityRepository).get_community(owner.community_id)
            series = await feeds.feed(owner, now - HISTORY)
        name = community.name if community is not None else "Guildhall"
        body = await asyncio.to_thread(ical.calendar, series, now, f"{name} events")
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    return [("GET", PATH, feed)]
