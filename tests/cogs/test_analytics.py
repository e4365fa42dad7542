"""Analytics on a seeded community whose answers were worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.app import App
from domain.analytics import AnalyticsRepository, AnalyticsService
from domain.core.clock import FixedClock
from tests.conftest import invoke

DAY0 = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # a Monday; the community's zone is UTC


async def _at(clock: FixedClock, day: int, hour: int = 12) -> None:
    clock.set(DAY0 + timedelta(days=day, hours=hour - 12))


async def _seed(app: App, clock: FixedClock) -> None:
    """Who did what, by day (cohort day 0: alice, bob, carol; cohort day 1: dave).

    day 0: alice, bob, carol check in (they join)
    day 1: alice checks in; bob gives alice 5 points; dave checks in (joins)
    day 7: alice and carol check in
    day 30: carol checks in
    """
    await _at(clock, 0)
    for who in ("alice", "bob", "carol"):
        await invoke(app, who, "checkin")
    await _at(clock, 1)
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "points give", "@alice 5")
    await invoke(app, "dave", "checkin")
    await _at(clock, 7)
    await invoke(app, "alice", "checkin")
    await invoke(app, "carol", "checkin")
    await _at(clock, 30)
    await invoke(app, "carol", "checkin")


async def _run_roll_up_job(app: App, now: datetime) -> None:
    job = next(j for j in app.registry.jobs if j.name == "analytics.roll_up")
    await job.handler(now)


async def test_roll_up_matches_the_hand_computed_tables(app: App, clock: FixedClock) -> None:
    await _seed(app, clock)
    await _run_roll_up_job(app, clock.now())
    async with app.uow(read_only=True) as uow:
        community = await uow.get(AnalyticsRepository).daily(
            1, date(2026, 11, 2), date(2026, 12, 2)
        )
        retention = await uow.get(AnalyticsRepository).retention(
            1, date(2026, 11, 2), date(2026, 11, 3)
        )
    by_day = {d.day: d for d in community}
    d = lambda n: date(2026, 11, 2) + timedelta(days=n)  # noqa: E731
    assert (by_day[d(0)].dau, by_day[d(0)].new_members, by_day[d(0)].members) == (3, 3, 3)
    assert (by_day[d(1)].dau, by_day[d(1)].new_members, by_day[d(1)].members) == (3, 1, 4)
    assert by_day[d(1)].gifts == 1 and by_day[d(1)].checkins == 2
    assert by_day[d(3)].dau == 0 and by_day[d(3)].wau == 4  # days 0..3: all four
    # WAU on day 7 = days 1..7: alice, bob, dave, carol; MAU on day 30 = days 1..30: the same four.
    assert by_day[d(7)].wau == 4
    assert by_day[d(30)].mau == 4 and by_day[d(30)].dau == 1
    assert by_day[d(29)].mau == 4  # days 0..29
    # Cohort day 0 (alice, bob, carol): day 1 alice+bob, day 7 alice+carol, day 30 carol.
    # Cohort day 1 (dave): never seen again.
    assert [(r.cohort, r.size, r.d1, r.d7, r.d30) for r in retention] == [
        (d(0), 3, 2, 2, 1),
        (d(1), 1, 0, 0, 0),
    ]


async def test_admin_stats_reports_the_window_from_the_roll_ups(
    app: App, clock: FixedClock
) -> None:
    await _seed(app, clock)
    await _run_roll_up_job(app, clock.now())
    reply = await invoke(app, "mod", "admin stats", "30d", mod=True)
    # Window = days 1..30: dave is the one new member; four were active, three checked in.
    # The roll-up ran before the moderator first spoke, so they are not counted yet.
    assert "**4** members (1 new)" in reply.text
    # D30 is known for the day-0 cohort only: carol of alice, bob and carol.
    assert "30-day retention: **33%**" in reply.text
    assert "**4** this month" in reply.text
    assert "Of **4** active members: 75% checked in, 0% voted, 25% gave points" in reply.text
    assert "Top contributors: alice (20), carol (20), dave (10), bob (0)" in reply.text


async def test_admin_stats_is_for_moderators_only(app: App) -> None:
    reply = await invoke(app, "bob", "admin stats")
    assert "moderator" in reply.text.lower()


async def test_rolling_a_day_up_twice_counts_it_once(app: App, clock: FixedClock) -> None:
    await _seed(app, clock)
    service = app.ctx.need(AnalyticsService)
    async with app.uow() as uow:
        community = await uow.get(AnalyticsRepository).daily(
            1, date(2026, 11, 2), date(2026, 11, 2)
        )
    assert community == []
    for _ in range(2):
        async with app.uow() as uow:
            from domain.identity import IdentityRepository

            c = await uow.get(IdentityRepository).get_community(1)  # type: ignore[arg-type]
            assert c is not None
            stats = await service.roll_up(uow, c, date(2026, 11, 3))
            await uow.commit()
    assert (stats.dau, stats.checkins, stats.gifts) == (3, 2, 1)


async def test_the_weekly_leaderboard_post_carries_a_line_of_stats(
    app: App, clock: FixedClock
) -> None:
    from bot.scheduler import OutboxDeliverer
    from tests.support.scheduling import Recorder

    await _seed(app, clock)  # ends on day 30, a Wednesday; the week holds carol alone
    monday = DAY0 + timedelta(days=35, hours=-3)  # Monday 09:00 of the next week
    clock.set(monday)
    await _run_roll_up_job(app, monday)
    weekly = next(j for j in app.registry.jobs if j.name == "notifications.weekly_leaderboard")
    await weekly.handler(monday)
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    [(_, post)] = recorder.of_kind("leaderboard_week")
    # The last 7 days (Tue..Mon) hold carol's Wednesday check-in only.
    assert "📈 The last 7 days: active members 1 · new 0 · stickiness 0%" in post.reply.text


async def test_a_failed_announcement_can_be_sent_again_by_a_moderator(
    app: App, clock: FixedClock
) -> None:
    from sqlalchemy import select, update

    from bot.scheduler import OutboxDeliverer
    from domain.core.announcements import Announcement
    from storage.base import Base
    from tests.support.scheduling import Recorder

    await invoke(app, "ana", "checkin")
    async with app.uow() as uow:
        uow.announce(Announcement(1, "news", "news:1", {"text": "hello"}))  # type: ignore[arg-type]
        await uow.commit()
    outbox = Base.metadata.tables["outbox"]
    async with app.database.writer.begin() as conn:  # arrange: the platform refused it for good
        news = outbox.c.dedupe_key == "news:1"
        outbox_id = (await conn.execute(select(outbox.c.id).where(news))).scalar_one()
        await conn.execute(
            update(outbox).where(news).values(status="failed", last_error="403 Missing Access")
        )
    schedule = await invoke(app, "mod", "admin schedule", mod=True)
    assert f"Failed #{outbox_id} news" in [f.name for f in schedule.fields]
    refused = await invoke(app, "mod", "admin outbox retry", str(outbox_id + 1), mod=True)
    assert "no failed announcement" in refused.text
    retried = await invoke(app, "mod", "admin outbox retry", str(outbox_id), mod=True)
    assert "queued again" in retried.text
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    assert [d.reply.text for _, d in recorder.of_kind("news")] == ["hello"]
    again = await invoke(app, "mod", "admin outbox retry", str(outbox_id), mod=True)
    assert "no failed announcement" in again.text  # sent now: nothing to retry
