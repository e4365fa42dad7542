"""Referrals on the console: /invite, /join on the first day, credit once when active."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.app import App
from domain.achievements.config import AchievementSpec, default_catalog
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.referrals.activities import REFERRALS
from storage.check import balance_mismatches
from tests.conftest import invoke


@pytest.fixture
def config() -> CommunityConfig:
    """The default catalog plus the shipped config.toml's Recruiter achievement."""
    recruiter = AchievementSpec(
        id="recruiter",
        name="Recruiter",
        description="Invite someone who becomes an active member",
        emoji="📣",
        requires={REFERRALS: 1},
    )
    return CommunityConfig(achievements=(*default_catalog(), recruiter))


async def _code(app: App, who: str) -> str:
    reply = await invoke(app, who, "invite")
    found = re.search(r"`/join ([A-Z0-9]+)`", reply.text)
    assert found, reply.text
    return found.group(1)


async def _activate(app: App) -> None:
    job = next(j for j in app.registry.jobs if j.name == "referrals.activate")
    await job.handler(app.clock.now())


async def _balance(app: App, who: str) -> int:
    text = (await invoke(app, who, "points balance")).text
    found = re.search(r"\*\*(\d+)\*\* points?", text)
    assert found, text
    return int(found.group(1))


async def test_invite_gives_one_stable_code(app: App) -> None:
    await invoke(app, "ana", "checkin")
    assert await _code(app, "ana") == await _code(app, "ana")
    assert await _code(app, "ana") != await _code(app, "bob")


async def test_a_newcomer_who_becomes_active_pays_the_referrer_once(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "ana", "checkin")
    code = await _code(app, "ana")
    joined = await invoke(app, "neo", "join", code.lower())  # typed in any case
    assert "You joined through <@m:1>'s invite" in joined.text
    assert [m.display_name for m in joined.mentions] == ["ana"]
    before = await _balance(app, "ana")
    for _ in range(3):  # three check-ins within 14 days
        clock.set(clock.now() + timedelta(days=1))
        await invoke(app, "neo", "checkin")
        await _activate(app)
    await _activate(app)  # and again: nothing more
    assert await _balance(app, "ana") == before + 50
    assert await balance_mismatches(app.database.reader) == []
    # The `referrals` counter feeds achievements: ana is now a Recruiter.
    achievements = await invoke(app, "ana", "achievements")
    assert "📣 **Recruiter**" in achievements.text  # bold = unlocked


async def test_join_refusals_change_nothing(app: App, clock: FixedClock) -> None:
    await invoke(app, "ana", "checkin")
    code = await _code(app, "ana")
    assert "own invite" in (await invoke(app, "ana", "join", code)).text
    assert "no invite with the code" in (await invoke(app, "neo", "join", "NOPE1234")).text
    await invoke(app, "neo", "join", code)
    assert "already joined" in (await invoke(app, "neo", "join", await _code(app, "bob"))).text
    await invoke(app, "old", "checkin")
    clock.set(clock.now() + timedelta(hours=25))
    assert "first 24 hours" in (await invoke(app, "old", "join", code)).text
    weeks = (await invoke(app, "mod", "admin referrals", "1", mod=True)).text
    assert "1 joins" in weeks  # neo only


async def test_a_newcomer_who_stays_quiet_pays_nothing(app: App, clock: FixedClock) -> None:
    await invoke(app, "ana", "checkin")
    await invoke(app, "neo", "join", await _code(app, "ana"))
    before = await _balance(app, "ana")
    clock.set(clock.now() + timedelta(days=15))
    await invoke(app, "neo", "checkin")
    await invoke(app, "neo", "checkin")
    await _activate(app)
    assert await _balance(app, "ana") == before


async def test_the_weekly_growth_numbers_and_k(app: App, clock: FixedClock) -> None:
    # One week: 4 members; ana and bob hand out invites; 2 newcomers join, 1 becomes active.
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    await invoke(app, "neo", "join", await _code(app, "ana"))
    await invoke(app, "max", "join", await _code(app, "bob"))
    for _ in range(3):  # a check-in a day: 20 h apart
        clock.set(clock.now() + timedelta(hours=20))
        await invoke(app, "neo", "checkin")
    await _activate(app)
    reply = await invoke(app, "mod", "admin referrals", "1", mod=True)
    # K = invites per member (2 of 5, counting the asking moderator) x activation (1 of 2).
    assert "2 invites · 2 joins · 1 active · K = 0.20" in reply.text
