"""Rate limits per member and command class, shared through the database by every process."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import App, build_app
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.conftest import invoke


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(limits={"write": 3, "groups": {"report": 1}})


async def test_the_fourth_write_in_a_minute_is_asked_to_slow_down(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "bob", "checkin")
    assert (await invoke(app, "ana", "checkin")).tone is Tone.SUCCESS
    gifts = [await invoke(app, "ana", "points give", "@bob 1") for _ in range(2)]
    assert all(r.tone is Tone.SUCCESS for r in gifts), [r.text for r in gifts]
    slow = await invoke(app, "ana", "points give", "@bob 1")
    assert slow.tone is Tone.ERROR and "Slow down" in slow.text
    reads = await invoke(app, "ana", "points balance")  # reads are not counted
    assert reads.tone is not Tone.ERROR
    clock.set(clock.now() + timedelta(minutes=1))
    assert (await invoke(app, "ana", "points give", "@bob 1")).tone is not Tone.ERROR


async def test_a_command_group_has_its_own_limit_and_moderators_are_exempt(app: App) -> None:
    await invoke(app, "bob", "checkin")
    assert (await invoke(app, "ana", "report", "@bob spam")).tone is Tone.SUCCESS
    again = await invoke(app, "ana", "report", "@bob more spam")
    assert again.tone is Tone.ERROR and "Slow down" in again.text
    for i in range(5):
        award = await invoke(app, "mia", "admin award", f"@bob {i + 1} thanks", mod=True)
        assert award.tone is Tone.SUCCESS


async def test_two_processes_share_one_count(
    app: App, database_url: str, config: CommunityConfig, clock: FixedClock
) -> None:
    other = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        await invoke(app, "carl", "checkin")
        await invoke(app, "bob", "checkin")
        tones = []
        for process in (app, other, app, other):
            tones.append((await invoke(process, "bob", "points give", "@carl 1")).tone)
        assert tones.count(Tone.ERROR) == 2  # checkin + two gifts used bob's three writes
    finally:
        await other.close()


async def test_concurrent_writes_never_pass_the_limit(app: App) -> None:
    await invoke(app, "carl", "checkin")
    await invoke(app, "bob", "checkin")
    replies = await asyncio.gather(
        *(invoke(app, "bob", "points give", "@carl 1") for _ in range(8))
    )
    passed = [r for r in replies if r.tone is not Tone.ERROR]
    slowed = [r for r in replies if "Slow down" in r.text]
    assert len(passed) == 2 and len(slowed) == 6


def test_the_shipped_config_turns_limits_on() -> None:
    """What a deployment runs: 10 writes a minute, 2 reports a minute, moderators exempt."""
    from pathlib import Path

    from bot.settings import load_config

    limits = load_config(Path(__file__).resolve().parents[2] / "config.toml").limits
    assert (limits.write, limits.groups, limits.exempt_moderators) == (10, {"report": 2}, True)
