"""Discord Guild Scheduled Events follow Guildhall events (`events.discord_native`).

The real discord.py client talks to the loopback fake; the events cog's minute
job fires the durable timers that keep the native entries in step.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.discord.scheduled_events import DiscordScheduledEvents
from cogs.kit import Actor, Invocation, Reply, Tone
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.events import NativeCalendar
from domain.events.native import NativeEvent
from domain.identity import Platform
from tests.cogs.event_helpers import job
from tests.support.discord import running_bot

GUILD = "290926798626357999"


@pytest.fixture
def config() -> CommunityConfig:
    cfg = CommunityConfig()
    return cfg.model_copy(update={"events": cfg.events.model_copy(update={"discord_native": True})})


async def run(app: App, who: str, command: str, text: str = "", *, mod: bool = False) -> Reply:
    """Run a command as a member of the Discord guild (the community the fake serves)."""
    reply = await app.runner.dispatch(
        Invocation(
            actor=Actor(Platform.DISCORD, GUILD, f"7000{len(who)}{who}", who, is_moderator=mod),
            key=uuid.uuid4().hex,
            command=command,
            text=text,
        )
    )
    assert reply is not None
    return reply


def _on_discord(fake_events: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    return sorted(fake_events.values(), key=lambda e: str(e["scheduled_start_time"]))


async def test_creating_and_cancelling_an_event_keeps_a_native_discord_event_in_step(
    app: App, clock: FixedClock
) -> None:
    async with running_bot(app) as (fake, client):
        app.ctx.provide(NativeCalendar, DiscordScheduledEvents(client))
        created = await run(
            app, "mia", "event create", '"Game night" tomorrow 18:00 --where #voice', mod=True
        )
        assert created.tone is not Tone.ERROR, created.text
        assert fake.scheduled_events == {}  # nothing is sent inside the command
        await job(app)(clock.now())
        [native] = _on_discord(fake.scheduled_events)
        assert native["name"] == "Game night" and native["entity_type"] == 3  # external
        assert native["entity_metadata"] == {"location": "#voice"}
        assert datetime.fromisoformat(str(native["scheduled_start_time"])) == datetime(
            2026, 11, 17, 18, 0, tzinfo=UTC
        )
        assert datetime.fromisoformat(str(native["scheduled_end_time"])) == datetime(
            2026, 11, 17, 19, 0, tzinfo=UTC
        )
        assert "Guildhall event #1" in str(native["description"])

        await job(app)(clock.now())  # the timer fired once: nothing more is sent
        assert len(fake.calls("POST", rf"/guilds/{GUILD}/scheduled-events")) == 1

        cancelled = await run(app, "mia", "event cancel", "1", mod=True)
        assert cancelled.tone is Tone.SUCCESS, cancelled.text
        await job(app)(clock.now())
        [native] = _on_discord(fake.scheduled_events)
        assert native["status"] == 4  # cancelled on Discord too
        assert len(fake.calls("POST", rf"/guilds/{GUILD}/scheduled-events")) == 1


async def test_a_series_gets_native_events_only_for_dates_within_the_planning_horizon(
    app: App, clock: FixedClock
) -> None:
    async with running_bot(app) as (fake, client):
        app.ctx.provide(NativeCalendar, DiscordScheduledEvents(client))
        await run(app, "mia", "event create", '"Study" tomorrow 18:00 --repeat daily', mod=True)
        await job(app)(clock.now())
        assert len(fake.scheduled_events) == 1  # not one per date of a 500-date series
        clock.advance(timedelta(days=1))
        await job(app)(clock.now())  # the next date enters the horizon and is planned
        assert [e["name"] for e in _on_discord(fake.scheduled_events)] == ["Study", "Study"]
        await run(app, "mia", "event cancel", "1 --all", mod=True)
        await job(app)(clock.now())
        assert {e["status"] for e in fake.scheduled_events.values()} == {4}


async def test_a_retry_finds_the_entry_it_made_and_edits_only_what_changed(app: App) -> None:
    async with running_bot(app) as (fake, client):
        calendar = DiscordScheduledEvents(client)
        now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
        wanted = NativeEvent(
            marker="Guildhall event #9",
            title="AMA",
            description="Ask anything\n\nGuildhall event #9",
            where="#stage",
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=1),
            cancelled=False,
        )
        await calendar.sync(GUILD, wanted, now)
        await calendar.sync(GUILD, wanted, now)  # a retry after a crash
        assert len(fake.scheduled_events) == 1
        assert fake.calls("PATCH", rf"/guilds/{GUILD}/scheduled-events/\d+") == []
        moved = replace(
            wanted, starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=1)
        )
        await calendar.sync(GUILD, moved, now)
        [edit] = fake.calls("PATCH", rf"/guilds/{GUILD}/scheduled-events/\d+")
        assert edit.json["scheduled_start_time"].startswith("2026-11-18T12:00:00")


async def test_no_permission_is_logged_and_not_retried_forever(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(app) as (fake, client):
        fake.fail(
            "POST",
            rf"/guilds/{GUILD}/scheduled-events",
            403,
            {"message": "Missing Permissions", "code": 50013},
        )
        now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
        wanted = NativeEvent(
            "m #1",
            "AMA",
            "m #1",
            "#stage",
            now + timedelta(hours=2),
            now + timedelta(hours=3),
            False,
        )
        await DiscordScheduledEvents(client).sync(GUILD, wanted, now)  # does not raise
        assert fake.scheduled_events == {}
        assert "not kept in step" in caplog.text


async def test_editing_the_place_edits_the_native_event(app: App, clock: FixedClock) -> None:
    async with running_bot(app) as (fake, client):
        app.ctx.provide(NativeCalendar, DiscordScheduledEvents(client))
        await run(app, "mia", "event create", '"AMA" tomorrow 18:00 --where #stage', mod=True)
        await job(app)(clock.now())
        edited = await run(app, "mia", "event edit", '1 --where "Main hall"', mod=True)
        assert edited.tone is Tone.SUCCESS, edited.text
        await job(app)(clock.now())
        [native] = _on_discord(fake.scheduled_events)
        assert native["entity_metadata"] == {"location": "Main hall"}
        assert len(fake.calls("PATCH", rf"/guilds/{GUILD}/scheduled-events/\d+")) == 1
