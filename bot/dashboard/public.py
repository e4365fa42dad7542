"""The opt-in public leaderboard page: `/c/<slug>/leaderboard`, names and scores only."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import aiohttp_jinja2
from aiohttp import web

from domain.core.contracts import LeaderboardReader
from domain.identity import Community
from domain.notifications import NotificationRepository

if TYPE_CHECKING:
    from bot.app import App

BOARDS = (("points", "Points"), ("xp", "XP"), ("streak", "Streaks"))


def slug_of(community: Community, configured: str) -> str:
    """The configured slug, or one made from the name ("Rust Learners" → rust-learners)."""
    return configured or re.sub(r"[^a-z0-9]+", "-", community.name.lower()).strip("-")


async def public_boards(app: App, request: web.Request) -> web.StreamResponse:
    """Render every board for this week and all time, or 404 when not opted in."""
    section = app.config.dashboard
    reader = app.ctx.maybe(LeaderboardReader)
    if not section.public_leaderboard or reader is None:
        raise web.HTTPNotFound()
    slug = request.match_info["slug"]
    async with app.uow(read_only=True) as uow:
        communities = await uow.get(NotificationRepository).communities()
        community = next((c for c in communities if slug_of(c, section.slug) == slug), None)
        if community is None:
            raise web.HTTPNotFound()
        boards = [
            (f"{title} — {label}", await reader.top(uow, community.id, board, period, limit=10))
            for board, title in BOARDS
            for period, label in (("week", "this week"), ("all", "all time"))
        ]
    return aiohttp_jinja2.render_template(
        "public.html", request, {"community": community, "boards": boards}
    )
