"""Reminders: durable timers, sent once, by DM or channel mention, honouring settings."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App, build_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.cogs.event_helpers import create, job, outbox
from tests.conftest import invoke


async def _reminders(app: App) -> list[tuple[str, str, int | None]]:
    return [(r.dedupe_key, r.target, r.member_id) for r in await outbox(app, "event.reminder")]


async def test_24h_and_1h_reminders_go_once_by_dm_or_one_channel_mention(
    app: App, clock: FixedClock
) -> None:
    await create(app, '"Game night" tomorrow 18:00')  # Tue 18:00 UTC, 30 hours away
    await invoke(app, "ana", "event rsvp", "1 going")
    await invoke(app, "bo", "event rsvp", "1 going")
    await invoke(app, "cy", "event rsvp", "1 maybe")
    await invoke(app, "bo", "settings notifications", "--dms on")
    tick = job(app)
    await tick(clock.now())
    assert await _reminders(app) == []
    clock.advance(timedelta(hours=6, minutes=1))  # Mon 18:01: 24 hours before
    await tick(clock.now())
    await tick(clock.now())  # a second run (or process) sends nothing more
    sent = await _reminders(app)
    assert [t for _, t, _ in sent] == ["dm", "channel"]
    assert sent[0][0] == f"event:1:remind:1440:{sent[0][2]}"  # bo's DM, keyed per member
    rows = await outbox(app, "event.reminder")
    assert "starts" in rows[0].payload["text"] and rows[1].payload["ping"] is True
    assert [m["display_name"] for m in rows[1].payload["mentions"]] == ["ana"]
    clock.advance(timedelta(hours=23))  # Tue 17:01: one hour before
    await tick(clock.now())
    assert len(await _reminders(app)) == 4


async def test_a_reminder_missed_while_down_is_sent_before_the_start_and_dropped_after(
    database_url: str, config: CommunityConfig, clock: FixedClock
) -> None:
    first = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        await create(first, '"Early" tomorrow 18:00')
        await create(first, '"Late" tomorrow 20:00')
        await invoke(first, "ana", "event rsvp", "1 going")
        await invoke(first, "ana", "event rsvp", "2 going")
    finally:
        await first.close()
    # Down from Monday noon until Tuesday 19:30: "Early" has started, "Late" has not.
    clock.advance(timedelta(days=1, hours=7, minutes=30))
    second = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        await job(second)(clock.now())
        sent = await _reminders(second)
    finally:
        await second.close()
    # Early: both dropped (started). Late: the 1-hour one only (the 24-hour one is superseded).
    assert [k for k, _, _ in sent] == ["event:2:remind:60:channel"]


async def test_opted_out_and_quiet_members_are_not_pinged(app: App, clock: FixedClock) -> None:
    await create(app, '"Night owls" "in 3 days at 23:30"')
    for who in ("ana", "bo", "cy"):
        await invoke(app, who, "event rsvp", "1 going")
    await invoke(app, "ana", "settings notifications", "--reminders off")
    await invoke(app, "bo", "settings notifications", "--dms on --quiet 22:00-07:00")
    clock.advance(timedelta(days=2))  # planned within the horizon now
    await job(app)(clock.now())
    clock.advance(timedelta(hours=11, minutes=31))  # 23:31, 24 h before: bo is in quiet hours
    await job(app)(clock.now())
    sent = await _reminders(app)
    assert sorted(t for _, t, _ in sent) == ["channel", "dm"]  # nothing for ana
    rows = await outbox(app, "event.reminder")
    dm = next(r for r in rows if r.target == "dm")
    assert dm.not_before.hour == 7  # held until bo's quiet hours end
    channel = next(r for r in rows if r.target == "channel")
    assert [m["display_name"] for m in channel.payload["mentions"]] == ["cy"]


async def test_later_dates_of_a_series_get_their_card_and_reminders_when_near(
    app: App, clock: FixedClock
) -> None:
    await create(app, '"Weekly sync" tomorrow 18:00 --repeat weekly')
    cards = [r for r in await outbox(app, "event.card") if r.target == "channel"]
    assert [r.anchor for r in cards] == ["event:1"]
    clock.advance(timedelta(days=5))  # date 2 is still beyond the horizon (24 h + a day)
    await job(app)(clock.now())
    assert len([r for r in await outbox(app, "event.card") if r.target == "channel"]) == 1
    clock.advance(timedelta(days=2))
    await job(app)(clock.now())
    cards = [r for r in await outbox(app, "event.card") if r.target == "channel"]
    assert [r.anchor for r in cards] == ["event:1", "event:2"]
    assert cards[1].payload["title"] == "📅 #1.2 · Weekly sync"
