"""Streak reminders: 20:00 on each member's wall clock, once, only to those who want them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, build_app
from bot.scheduler import Background
from domain.core.announcements import Target
from domain.core.clock import FixedClock
from tests.conftest import invoke
from tests.support.scheduling import Recorder, build_streak, member, step, times

ZONES = {"ana": "America/New_York", "ben": "Europe/Berlin", "chitra": "Asia/Kolkata"}


@pytest.mark.parametrize(
    "first_evening",
    [date(2026, 10, 24), date(2026, 10, 31)],  # Berlin falls back on the 25th, New York Nov 1
    ids=["eu-dst-end", "us-dst-end"],
)
async def test_reminders_fire_at_8pm_local_in_three_zones_across_dst(
    app: App, clock: FixedClock, first_evening: date
) -> None:
    people = {name: await member(app, name, zone) for name, zone in ZONES.items()}
    await build_streak(app, clock, list(ZONES.items()), first_evening - timedelta(days=1), 4)
    recorder = Recorder(clock)
    background = Background(app, [recorder])
    by_id = {p.id: name for name, p in people.items()}
    seen = 0
    # Each evening's window (13:00-03:00 UTC) holds 20:00 in every zone from UTC-7 to UTC+7.
    windows = [
        times(
            datetime.combine(d, time(13), UTC),
            datetime.combine(d, time(13), UTC) + timedelta(hours=14),
        )
        for d in (first_evening, first_evening + timedelta(days=1))
    ]
    for at in windows[0] + windows[1]:
        await step(background, clock, at)
        for _, delivery in recorder.got[seen:]:
            if delivery.kind != "streak_reminder":
                continue  # level-ups and achievements are delivered too
            for m in delivery.reply.mentions:  # a reminded member checks in right away
                await invoke(app, by_id[m.member_id], "checkin")
        seen = len(recorder.got)

    local = {name: [] for name in ZONES}
    for at, delivery in recorder.of_kind("streak_reminder"):
        for m in delivery.reply.mentions:
            name = by_id[m.member_id]
            local[name].append(at.astimezone(ZoneInfo(ZONES[name])))
    for name, fired in local.items():
        assert [f.date() for f in fired] == [first_evening, first_evening + timedelta(days=1)]
        assert {f.time() for f in fired} == {time(20, 0)}, (name, fired)
    # The change day really moved the UTC hour for the zone that changed.
    utc_hours = {name: {f.astimezone(UTC).hour for f in fired} for name, fired in local.items()}
    assert any(len(h) == 2 for h in utc_hours.values())


async def test_opted_out_member_gets_nothing(app: App, clock: FixedClock) -> None:
    ana = await member(app, "ana", "Europe/Berlin")
    ben = await member(app, "ben", "Europe/Berlin")
    evening = date(2026, 11, 18)
    await build_streak(
        app,
        clock,
        [("ana", "Europe/Berlin"), ("ben", "Europe/Berlin")],
        evening - timedelta(days=1),
        3,
    )
    off = await invoke(app, "ana", "settings notifications", "--reminders off")
    assert any(f.name == "Streak reminders" and f.value == "off" for f in off.fields)
    recorder = Recorder(clock)
    background = Background(app, [recorder])
    start = datetime.combine(evening, time(12), UTC)
    for at in times(start, start + timedelta(hours=12)):
        await step(background, clock, at)
    mentioned = {
        m.member_id for _, d in recorder.of_kind("streak_reminder") for m in d.reply.mentions
    }
    dm_to = {d.user_id for _, d in recorder.of_kind("streak_reminder") if d.target is Target.DM}
    assert ben.id in mentioned
    assert ana.id not in mentioned and "ana" not in dm_to


async def test_dm_preference_and_quiet_hours(app: App, clock: FixedClock) -> None:
    await member(app, "ana", "UTC")
    await member(app, "ben", "UTC")
    evening = date(2026, 11, 18)
    await build_streak(app, clock, [("ana", "UTC"), ("ben", "UTC")], evening - timedelta(days=1), 3)
    await invoke(app, "ana", "settings notifications", "--dms on")
    shown = await invoke(app, "ben", "settings notifications", "--quiet 19:00-21:00")
    assert any(f.value == "19:00-21:00" for f in shown.fields)
    recorder = Recorder(clock)
    background = Background(app, [recorder])
    start = datetime.combine(evening, time(18), UTC)
    for at in times(start, start + timedelta(hours=4)):
        await step(background, clock, at)
    reminders = recorder.of_kind("streak_reminder")
    dms = [(t, d) for t, d in reminders if d.target is Target.DM]
    assert [(t.time(), d.user_id) for t, d in dms] == [(time(20, 0), "ana")]
    posts = [(t, d) for t, d in reminders if d.target is Target.CHANNEL]
    # ben's quiet hours end at 21:00: reminded then, not at 20:00, and in the reminders channel.
    assert [t.time() for t, _ in posts] == [time(21, 0)]
    assert posts[0][1].channel_name == app.config.channels.reminders
    assert posts[0][1].reply.ping and posts[0][1].reply.mentions[0].accounts == {"console": "ben"}


async def test_bad_quiet_hours_are_refused_and_nothing_changes(app: App) -> None:
    refused = await invoke(app, "ana", "settings notifications", "--quiet 25:00-07:00")
    assert "not quiet hours" in refused.text
    shown = await invoke(app, "ana", "settings notifications")
    assert any(f.name == "Quiet hours" and f.value == "none" for f in shown.fields)


async def test_restart_between_schedule_and_fire_delivers_exactly_once(
    app: App, clock: FixedClock, database_url: str
) -> None:
    await member(app, "ana", "UTC")
    evening = date(2026, 11, 18)
    await build_streak(app, clock, [("ana", "UTC")], evening - timedelta(days=1), 3)
    first = Recorder(clock)
    before = Background(app, [first], holder="process-a")
    for at in times(
        datetime.combine(evening, time(19, 30), UTC), datetime.combine(evening, time(19, 55), UTC)
    ):
        await step(before, clock, at)
    assert first.of_kind("streak_reminder") == []
    # process A dies at 19:57 without releasing anything; B starts at 20:03.
    clock.set(datetime.combine(evening, time(20, 3), UTC))
    restarted = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        second = Recorder(clock)
        after = Background(restarted, [second], holder="process-b")
        assert await after.scheduler.heartbeat()  # A's lease expired; B catches up 20:00
        await after.delivery.drain()
        for at in times(clock.now(), datetime.combine(evening, time(23, 0), UTC)):
            await step(after, clock, at)
        reminders = second.of_kind("streak_reminder")
        assert len(reminders) == 1
        assert reminders[0][0] == datetime.combine(evening, time(20, 3), UTC)
    finally:
        await restarted.close()
    assert first.of_kind("streak_reminder") == []


async def test_a_reminder_missed_beyond_its_grace_is_dropped(
    app: App, clock: FixedClock, database_url: str
) -> None:
    await member(app, "ana", "UTC")
    evening = date(2026, 11, 18)
    await build_streak(app, clock, [("ana", "UTC")], evening - timedelta(days=1), 3)
    recorder = Recorder(clock)
    background = Background(app, [recorder])
    await step(background, clock, datetime.combine(evening, time(19, 0), UTC))
    # down from 19:00 until 23:30: three and a half hours late is too late for a reminder
    await step(background, clock, datetime.combine(evening, time(23, 30), UTC))
    assert recorder.of_kind("streak_reminder") == []
