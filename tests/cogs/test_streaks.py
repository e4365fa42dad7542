"""Streak milestones, freezes and /settings timezone, on every engine."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from cogs.kit import Tone
from domain.checkin import StreakRepository
from domain.core.clock import FixedClock
from storage.points import LedgerRow
from tests.conftest import invoke
from tests.support.progress import member


async def freezes(app: App, name: str) -> int:
    who = await member(app, name)
    async with app.uow(read_only=True) as uow:
        return (await uow.get(StreakRepository).get(who.id)).freezes


async def streak_bonuses(app: App, name: str) -> list[int]:
    who = await member(app, name)
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(LedgerRow.amount).where(
                LedgerRow.member_id == who.id, LedgerRow.source == "streak"
            )
        )
        return [int(r[0]) for r in rows]


async def fund(app: App, name: str, amount: int) -> None:
    await member(app, name)
    await member(app, "mia")
    reply = await invoke(app, "mia", "admin award", f"@{name} {amount} seed", mod=True)
    assert reply.tone is Tone.SUCCESS, reply.text


async def test_seven_day_milestone_pays_once_and_grants_a_freeze(
    app: App, clock: FixedClock
) -> None:
    for day in range(1, 10):
        reply = await invoke(app, "alice", "checkin")
        assert reply.tone is Tone.SUCCESS
        if day == 7:
            assert "7-day streak!" in reply.text and "+50 bonus points" in reply.text
            assert "earned 1 streak freeze" in reply.text
        else:
            assert "streak!" not in reply.text
        clock.advance(timedelta(days=1))
    assert await streak_bonuses(app, "alice") == [50]
    assert await freezes(app, "alice") == 1


async def test_a_freeze_covers_one_missed_day_and_is_used_up(app: App, clock: FixedClock) -> None:
    await fund(app, "alice", 150)
    buy = await invoke(app, "alice", "streak freeze buy")
    assert buy.tone is Tone.SUCCESS and "1 freeze" in buy.text
    assert buy.footer == "Your balance: 0"
    await invoke(app, "alice", "checkin")
    clock.advance(timedelta(days=1))
    await invoke(app, "alice", "checkin")
    clock.advance(timedelta(days=2))  # missed one day
    reply = await invoke(app, "alice", "checkin")
    assert "day **3**" in reply.text and "1 streak freeze covered" in reply.text
    assert await freezes(app, "alice") == 0
    clock.advance(timedelta(days=2))  # missed again, no freeze left
    assert "day **1** of a new streak" in (await invoke(app, "alice", "checkin")).text


async def test_two_missed_days_need_two_freezes_else_the_freeze_is_kept(
    app: App, clock: FixedClock
) -> None:
    await fund(app, "alice", 150)
    await invoke(app, "alice", "streak freeze buy")
    await invoke(app, "alice", "checkin")
    clock.advance(timedelta(days=3))  # two days missed
    assert "day **1** of a new streak" in (await invoke(app, "alice", "checkin")).text
    assert await freezes(app, "alice") == 1


async def test_freezes_keep_a_streak_across_a_daylight_saving_change(
    app: App, clock: FixedClock
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    await fund(app, "dave", 150)
    await invoke(app, "dave", "settings timezone", "Europe/Berlin")
    await invoke(app, "dave", "streak freeze buy")
    # Berlin leaves summer time on 2026-10-25; the 25th is missed and frozen.
    for day in (23, 24, 26, 27):
        clock.set(datetime(2026, 10, day, 23, 30, tzinfo=berlin))
        reply = await invoke(app, "dave", "checkin")
        assert reply.tone is Tone.SUCCESS, (day, reply.text)
    assert "day **4**" in reply.text


async def test_freeze_purchase_refusals_change_nothing(app: App) -> None:
    await invoke(app, "alice", "checkin")  # 10 points, a freeze costs 150
    poor = await invoke(app, "alice", "streak freeze buy")
    assert poor.tone is Tone.ERROR and "**150**" in poor.text
    assert await freezes(app, "alice") == 0
    await fund(app, "alice", 1000)
    await invoke(app, "alice", "streak freeze buy")
    await invoke(app, "alice", "streak freeze buy")
    full = await invoke(app, "alice", "streak freeze buy")
    assert full.tone is Tone.ERROR and "already hold **2** streak freezes" in full.text
    assert await freezes(app, "alice") == 2
    assert "**710**" in (await invoke(app, "alice", "points balance")).text


async def test_a_freeze_too_dear_says_its_price_not_a_gift_refusal(app: App) -> None:
    await invoke(app, "alice", "checkin")  # 10 points, a freeze costs 150
    poor = await invoke(app, "alice", "streak freeze buy")
    assert poor.tone is Tone.ERROR
    assert "A streak freeze costs **150** points and you have **10**" in poor.text
    assert "give" not in poor.text
    assert await freezes(app, "alice") == 0
    assert "**10**" in (await invoke(app, "alice", "points balance")).text


async def test_settings_timezone_accepts_any_case_and_refuses_unknown_zones(app: App) -> None:
    ok = await invoke(app, "alice", "settings timezone", "america/new_york")
    assert ok.tone is Tone.SUCCESS and "**America/New_York**" in ok.text
    bad = await invoke(app, "alice", "settings timezone", "Mars/Olympus")
    assert bad.tone is Tone.ERROR and "I don't know the time zone “Mars/Olympus”" in bad.text
    assert (await member(app, "alice")).timezone == "America/New_York"
    reset = await invoke(app, "alice", "settings timezone", "default")
    assert "community's time zone (**UTC**)" in reset.text
    assert (await member(app, "alice")).timezone is None


async def test_changing_zone_by_command_cannot_give_two_checkins_in_one_real_day(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "carol", "settings timezone", "Europe/Berlin")
    clock.set(datetime(2026, 11, 18, 23, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    assert (await invoke(app, "carol", "checkin")).tone is Tone.SUCCESS
    await invoke(app, "carol", "settings timezone", "Asia/Tokyo")  # already tomorrow there
    clock.advance(timedelta(minutes=10))
    assert (await invoke(app, "carol", "checkin")).tone is Tone.ERROR


async def test_timezone_autocomplete_suggests_matching_zones(app: App) -> None:
    suggest = app.registry.autocomplete("timezone")
    assert suggest is not None
    found = await suggest(app.ctx, "berl")
    assert ("Europe/Berlin", "Europe/Berlin") in found and len(found) <= 25


async def test_hopping_west_cannot_reopen_a_day_already_checked_in(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "erin", "settings timezone", "Asia/Tokyo")
    clock.set(datetime(2026, 11, 18, 0, 5, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert (await invoke(app, "erin", "checkin")).tone is Tone.SUCCESS  # Nov 18 in Tokyo
    await invoke(app, "erin", "settings timezone", "Pacific/Honolulu")
    clock.set(datetime(2026, 11, 18, 0, 5, tzinfo=ZoneInfo("Pacific/Honolulu")))  # 19h later
    refused = await invoke(app, "erin", "checkin")  # Nov 18 again
    assert refused.tone is Tone.ERROR and "opens in 23h 55m" in refused.text
    clock.set(datetime(2026, 11, 19, 0, 5, tzinfo=ZoneInfo("Pacific/Honolulu")))
    reply = await invoke(app, "erin", "checkin")
    assert reply.tone is Tone.SUCCESS and "day **2**" in reply.text
