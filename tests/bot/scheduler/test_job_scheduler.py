"""The job scheduler: one runner across processes, each scheduled time once, DST-correct."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import App, build_app
from bot.scheduler import JobScheduler
from bot.scheduler.triggers import JobClock
from cogs.kit import Cron, Every, Job
from domain.core.clock import FixedClock, SystemClock
from tests.conftest import invoke


def counting_job(
    name: str, seen: list[datetime], *, every: timedelta = timedelta(minutes=1), **kw: object
) -> Job:
    async def run(now: datetime) -> None:
        seen.append(now)

    return Job(name, Every(every), run, **kw)  # type: ignore[arg-type]


async def test_lease_is_taken_over_within_a_minute_when_the_holder_dies(
    app: App, clock: FixedClock, database_url: str
) -> None:
    other = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        ran_a: list[datetime] = []
        ran_b: list[datetime] = []
        a = JobScheduler(
            app.uow, [counting_job("t.tick", ran_a)], clock, timezone="UTC", holder="a"
        )
        b = JobScheduler(
            other.uow, [counting_job("t.tick", ran_b)], clock, timezone="UTC", holder="b"
        )
        assert await a.heartbeat() and not await b.heartbeat()
        for _ in range(3):  # A leads and renews; B stands by
            clock.advance(timedelta(seconds=15))
            assert await a.heartbeat() and not await b.heartbeat()
            await a.run_due()
            await b.run_due()
        assert not b.is_leader
        # A dies: no more renewals. B keeps knocking every 15 s.
        died_at = clock.now()
        while not await b.heartbeat():
            clock.advance(timedelta(seconds=15))
            assert clock.now() - died_at <= timedelta(minutes=1)
        assert b.is_leader and not await a.heartbeat()
        clock.advance(timedelta(minutes=1))
        await b.heartbeat()
        await b.run_due()
        assert ran_b and all(t > max(ran_a, default=died_at - timedelta(days=1)) for t in ran_b)
    finally:
        await other.close()


async def test_two_schedulers_that_both_think_they_lead_still_run_each_time_once(
    app: App, clock: FixedClock, database_url: str
) -> None:
    other = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        seen: list[datetime] = []
        a = JobScheduler(app.uow, [counting_job("t.tick", seen)], clock, timezone="UTC", holder="a")
        b = JobScheduler(
            other.uow, [counting_job("t.tick", seen)], clock, timezone="UTC", holder="b"
        )
        assert await a.heartbeat()
        b._lease_until = clock.now() + timedelta(days=1)  # split brain, e.g. a paused VM
        for _ in range(20):
            clock.advance(timedelta(minutes=1))
            a._lease_until = clock.now() + timedelta(days=1)
            await asyncio.gather(a.run_due(), b.run_due())
        assert len(seen) == len(set(seen)) == 20
    finally:
        await other.close()


async def test_a_job_missed_while_down_runs_once_at_start_when_its_grace_allows(
    app: App, clock: FixedClock
) -> None:
    always: list[datetime] = []
    lenient = counting_job("t.close", always, every=timedelta(hours=1), grace=None)
    strict: list[datetime] = []
    picky = counting_job("t.remind", strict, every=timedelta(hours=1), grace=timedelta(minutes=10))
    first = JobScheduler(app.uow, [lenient, picky], clock, timezone="UTC", holder="a")
    await first.heartbeat()  # first sighting: start counting now
    clock.advance(timedelta(days=3, minutes=20))  # down for three days
    restarted = JobScheduler(app.uow, [lenient, picky], clock, timezone="UTC", holder="b")
    assert await restarted.heartbeat()  # catches up on taking the lease
    await restarted.run_due()
    assert len(always) == 1 and always[0] == clock.now().replace(minute=0, second=0, microsecond=0)
    assert strict == []  # 20 minutes late is beyond its 10-minute grace


async def test_a_failing_job_is_recorded_and_shown_and_the_others_still_run(
    app: App, clock: FixedClock
) -> None:
    async def broken(now: datetime) -> None:
        raise RuntimeError("boom")

    seen: list[datetime] = []
    jobs = [Job("t.broken", Every(timedelta(minutes=1)), broken), counting_job("t.ok", seen)]
    scheduler = JobScheduler(app.uow, jobs, clock, timezone="UTC")
    await scheduler.heartbeat()
    for _ in range(2):  # renewed every 30 s, as the running process does
        clock.advance(timedelta(seconds=30))
        await scheduler.heartbeat()
    assert [name for name, _ in await scheduler.run_due()] == ["t.broken", "t.ok"]
    assert len(seen) == 1
    shown = await invoke(app, "mia", "admin schedule", mod=True)
    assert "next" in shown.text and "notifications.weekly_leaderboard" in shown.text
    # The declared jobs' view does not include these test jobs, but the runner is named.
    assert dict((f.name, f.value) for f in shown.fields)["Runner"] == scheduler.holder


def test_cron_jobs_keep_wall_clock_time_across_a_dst_change() -> None:
    async def noop(now: datetime) -> None:
        return None

    weekly = Job("t.weekly", Cron(minute="0", hour="9", day_of_week="mon"), noop)
    times = JobClock([weekly], "America/New_York")
    before = times.next_run("t.weekly", datetime(2026, 10, 24, tzinfo=UTC))
    after = times.next_run("t.weekly", datetime(2026, 10, 31, tzinfo=UTC))
    assert before is not None and after is not None
    zone = ZoneInfo("America/New_York")
    assert before.astimezone(zone).hour == after.astimezone(zone).hour == 9
    assert (before.hour, after.hour) == (13, 14)  # EDT then EST


async def test_apscheduler_is_given_every_job_in_the_community_zone(
    app: App, clock: FixedClock
) -> None:
    scheduler = JobScheduler(
        app.uow, app.registry.jobs, clock, timezone="Europe/Berlin", holder="aps"
    )
    scheduler.start()
    try:
        planned = scheduler.next_run_times()
        assert {j.name for j in app.registry.jobs} <= set(planned)
        weekly = planned["notifications.weekly_leaderboard"]
        assert weekly is not None and weekly.tzinfo is not None
        assert weekly.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %H:%M") == "Mon 09:00"
        for _ in range(200):  # the lease heartbeat runs at once
            if scheduler.is_leader:
                break
            await asyncio.sleep(0.01)
        assert scheduler.is_leader
    finally:
        await scheduler.stop()
    assert not scheduler.is_leader


async def test_started_scheduler_runs_jobs_on_the_wall_clock(app: App) -> None:
    ran: list[datetime] = []
    scheduler = JobScheduler(
        app.uow,
        [counting_job("t.second", ran, every=timedelta(seconds=1))],
        SystemClock(),
        timezone="UTC",
    )
    scheduler.start()
    try:
        for _ in range(500):  # first the lease, then a fire on a whole second
            if ran:
                break
            await asyncio.sleep(0.01)
    finally:
        await scheduler.stop()
    assert ran and ran[0].microsecond == 0 and ran[0].tzinfo is not None


def test_schedule_shows_cron_triggers_with_the_five_crontab_fields() -> None:
    from bot.scheduler.triggers import describe

    monthly = describe(Cron(minute="0", hour="9", day="1"), "UTC")
    assert monthly == "cron 0 9 1 * * (UTC)"  # minute hour day month weekday
    assert (
        describe(Cron(minute="0", hour="9", day_of_week="mon"), "UTC") == "cron 0 9 * * mon (UTC)"
    )
    assert describe(Every(timedelta(minutes=1)), "UTC") == "every 1m"
