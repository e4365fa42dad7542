"""Seed the console's demo community so a newcomer sees a living community.

The history is made through the real command path with a clock set in the
past, so the demo exercises exactly what members would. Features add their
own demo data by exposing `async def seed_demo(demo: Demo) -> None` in their
cog package (proposals, quests, …).
"""

from __future__ import annotations

import importlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import cogs
from bot.app import App, build_app
from bot.console.adapter import CHANNEL, WORKSPACE
from cogs.kit import Actor, Invocation, Place, Reply, Runner
from domain.core.announcements import OutboxRepository
from domain.core.clock import FixedClock
from domain.identity import IdentityRepository, Platform
from domain.leaderboards.periods import local_date, local_midnight
from domain.moderation.config import LimitsSection

log = logging.getLogger(__name__)

MEMBERS = ("alice", "bob", "carol", "dave", "erin", "frank")
# How many of the last 14 days each demo member checked in (most recent first).
HABITS = {"alice": 14, "bob": 9, "carol": 5, "dave": 3, "erin": 12, "frank": 1}
# Who already checked in today (alice, the newcomer's persona, leaves hers to the newcomer).
EARLY_BIRDS = ("bob", "erin")


@dataclass
class Demo:
    """A handle for seeders: run commands as a demo member at the demo clock's time."""

    app: App
    runner: Runner
    clock: FixedClock
    community_name: str

    async def run(self, who: str, command: str, text: str = "", *, mod: bool = False) -> Reply:
        inv = Invocation(
            actor=Actor(Platform.CONSOLE, WORKSPACE, who, who, is_moderator=mod),
            key=f"demo:{uuid.uuid4().hex}",
            place=Place(channel_id=CHANNEL),
            command=command,
            text=text,
            community_name=self.community_name,
        )
        reply = await self.runner.dispatch(inv)
        assert reply is not None
        return reply


async def needs_seed(app: App) -> bool:
    """Whether the demo community has not been seeded yet (a fresh database)."""
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(
            Platform.CONSOLE, WORKSPACE, MEMBERS[0]
        )
    return found is None


async def seed(app: App) -> None:
    """Create the demo members and two weeks of history, once.

    The history runs up to a moment earlier today, so this week's boards and
    challenges are alive whatever the weekday (on a Monday too).
    """
    if not app.config.console.demo or not await needs_seed(app):
        return
    now = app.clock.now()
    today = earlier_today(now, app.config.community.timezone)
    clock = FixedClock(now - timedelta(days=14))
    # Two weeks replayed in moments: members' rate limits would refuse the history.
    unlimited = app.config.model_copy(update={"limits": LimitsSection()})
    past = await build_app(app.database.url, unlimited, clock=clock, upgrade=False)
    try:
        demo = Demo(past, past.runner, clock, app.config.community.name)
        for day in range(14, 0, -1):
            clock.set(now - timedelta(days=day))
            for who in MEMBERS:
                if HABITS[who] >= day:
                    await demo.run(who, "checkin")
        clock.set(today)
        for who in EARLY_BIRDS:
            await demo.run(who, "checkin")
        await demo.run("alice", "points give", "@bob 15 thanks for reviewing my talk")
        await demo.run("erin", "points give", "@carol 10 great onboarding notes")
        await demo.run("bob", "points give", "@dave 5 welcome!")
        for name in cogs.FEATURES:
            module = importlib.import_module(f"cogs.{name}")
            seeder = getattr(module, "seed_demo", None)
            if seeder is not None:
                await seeder(demo)
        await _settle_seeded_announcements(app)
        log.info("seeded the demo community with %d members", len(MEMBERS))
    finally:
        await past.close()


def earlier_today(now: datetime, timezone: str) -> datetime:
    """A moment of the community's today before `now`: when the demo's recent news happened.

    Four hours ago when today is that old, else today's first minute (at worst `now`),
    so it always falls in the current local day and week.
    """
    midnight = local_midnight(local_date(now, timezone), timezone)
    return min(max(now - timedelta(hours=4), midnight + timedelta(minutes=1)), now)


async def _settle_seeded_announcements(app: App) -> None:
    """The seeded fortnight's level-ups and cards are history, not news to post."""
    async with app.uow() as uow:
        community = await app.ctx.identity.community(
            uow, Platform.CONSOLE, WORKSPACE, app.config.community.name
        )
        settled = await uow.get(OutboxRepository).settle_pending(community.id, app.clock.now())
        await uow.commit()
    log.info("demo: %d seeded announcements kept as history", settled)
