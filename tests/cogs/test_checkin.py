"""/checkin: one per local day, streaks across midnights, zones and DST."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.identity import IdentityRepository, Platform
from tests.conftest import invoke


async def set_zone(app: App, name: str, zone: str) -> None:
    async with app.uow() as uow:
        repo = uow.get(IdentityRepository)
        member = await repo.member_for_account(Platform.CONSOLE, "demo", name)
        assert member is not None
        await repo.set_timezone(member.id, zone)
        await uow.commit()


async def test_first_checkin_awards_points_and_starts_a_streak(app: App) -> None:
    reply = await invoke(app, "alice", "checkin")
    assert reply.tone is Tone.SUCCESS
    assert "day **1** of a new streak" in reply.text
    assert "balance **10**" in reply.text


async def test_second_checkin_same_day_is_refused_with_time_to_wait(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "alice", "checkin")
    clock.advance(timedelta(hours=2))
    reply = await invoke(app, "alice", "checkin")
    assert reply.tone is Tone.ERROR
    assert "already checked in today" in reply.text
    assert "10h" in reply.text  # 14:00 UTC -> midnight is 10 hours away


async def test_2359_and_0001_local_are_two_days_and_extend_the_streak(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "alice", "checkin")
    await set_zone(app, "alice", "America/New_York")
    clock.set(datetime(2026, 11, 17, 23, 59, tzinfo=ZoneInfo("America/New_York")))
    first = await invoke(app, "alice", "checkin")
    clock.advance(timedelta(minutes=2))  # 00:01 the next local day
    second = await invoke(app, "alice", "checkin")
    assert first.tone is Tone.SUCCESS and second.tone is Tone.SUCCESS
    assert "day **3**" in second.text


async def test_0001_and_2359_same_local_day_count_once(app: App, clock: FixedClock) -> None:
    await invoke(app, "bob", "checkin", key="warmup")  # enrol bob
    await set_zone(app, "bob", "Asia/Tokyo")
    clock.set(datetime(2026, 11, 18, 0, 1, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert (await invoke(app, "bob", "checkin")).tone is Tone.SUCCESS
    clock.set(datetime(2026, 11, 18, 23, 59, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert (await invoke(app, "bob", "checkin")).tone is Tone.ERROR


async def test_changing_zone_cannot_give_two_checkins_in_one_real_day(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "carol", "help")  # enrol without checking in
    await set_zone(app, "carol", "Europe/Berlin")
    clock.set(datetime(2026, 11, 18, 23, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    assert (await invoke(app, "carol", "checkin")).tone is Tone.SUCCESS
    await set_zone(app, "carol", "Asia/Tokyo")  # it is already 07:30 tomorrow in Tokyo
    clock.advance(timedelta(minutes=10))
    assert (await invoke(app, "carol", "checkin")).tone is Tone.ERROR


async def test_streak_survives_a_daylight_saving_week(app: App, clock: FixedClock) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    await invoke(app, "dave", "help")
    await set_zone(app, "dave", "Europe/Berlin")
    # Berlin leaves summer time on 2026-10-25; check in at 00:30 local every day around it.
    for day in range(22, 30):
        clock.set(datetime(2026, 10, day, 0, 30, tzinfo=berlin))
        reply = await invoke(app, "dave", "checkin")
        assert reply.tone is Tone.SUCCESS, (day, reply.text)
    assert "day **8**" in reply.text


async def test_missing_a_day_restarts_the_streak(app: App, clock: FixedClock) -> None:
    await invoke(app, "erin", "checkin")
    clock.advance(timedelta(days=1))
    await invoke(app, "erin", "checkin")
    clock.advance(timedelta(days=2))
    reply = await invoke(app, "erin", "checkin")
    assert "day **1** of a new streak" in reply.text
