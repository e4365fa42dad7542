"""A job run interrupted by its leader's death is resumed by the next leader, once.

Two schedulers share one database and a FixedClock. Leader A starts an hourly
job that announces three items one transaction at a time and dies after the
first (its task is cancelled mid-run, as `kill -9` would leave it). B takes
the lease over once A's expires and, on takeover, hands the job the same
scheduled time again: the remaining items go out, none twice, and the run is
not repeated afterwards nor skipped until the next hour.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

from bot.app import App, build_app
from bot.scheduler import JobScheduler
from cogs.kit import Every, Job, Reply
from domain.core.announcements import Announcement
from domain.core.clock import FixedClock
from domain.core.scheduling import JobRunRepository
from domain.identity import IdentityRepository, Platform
from tests.support.scheduling import member

ITEMS = ("a", "b", "c")


def posting_job(app: App, calls: list[datetime], *, die_after: int | None = None) -> Job:
    """An hourly job that announces each item in its own transaction (idempotent by key)."""

    async def run(due: datetime) -> None:
        calls.append(due)
        for n, item in enumerate(ITEMS):
            if die_after is not None and n == die_after:
                await asyncio.Event().wait()  # hangs here until the process is killed
            async with app.uow() as uow:
                community = await uow.get(IdentityRepository).community_for_workspace(
                    Platform.CONSOLE, "demo"
                )
                assert community is not None
                uow.announce(
                    Announcement(
                        community_id=community.id,
                        kind="news",
                        dedupe_key=f"t.post:{due.isoformat()}:{item}",
                        payload=Reply(text=item).to_dict(),
                    )
                )
                await uow.commit()

    return Job("t.post", Every(timedelta(hours=1)), run, grace=timedelta(minutes=10))


async def announced(app: App) -> list[str]:
    async with app.uow(read_only=True) as uow:
        rows = await uow.connection.exec_driver_sql(  # type: ignore[attr-defined]
            "SELECT dedupe_key FROM outbox ORDER BY id"
        )
        return [r[0].rsplit(":", 1)[1] for r in rows]


async def kill_mid_run(leader: JobScheduler, app: App) -> None:
    """Start the due run on `leader` and kill it once the first item is stored."""
    task = asyncio.create_task(leader.run_due())
    async with asyncio.timeout(10):
        while await announced(app) != ["a"]:  # noqa: ASYNC110 - polling the database
            await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_a_run_interrupted_by_the_leaders_death_is_resumed_on_takeover_once(
    app: App, clock: FixedClock, database_url: str
) -> None:
    await member(app, "ana")
    other = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        ran_a: list[datetime] = []
        ran_b: list[datetime] = []
        a = JobScheduler(
            app.uow, [posting_job(app, ran_a, die_after=1)], clock, timezone="UTC", holder="a"
        )
        b = JobScheduler(other.uow, [posting_job(other, ran_b)], clock, timezone="UTC", holder="b")
        assert await a.heartbeat() and not await b.heartbeat()  # first sighting: counts from now
        clock.advance(timedelta(hours=1))
        assert await a.heartbeat(catch_up=False)
        await kill_mid_run(a, app)
        (due,) = ran_a
        async with other.uow(read_only=True) as uow:
            run = await uow.get(JobRunRepository).get("t.post")
        assert run is not None and run.running_by == "a"  # the run is claimed, not finished

        while not await b.heartbeat():  # A is dead; B takes over once the lease expires
            clock.advance(timedelta(seconds=15))
        assert ran_b == [due]  # resumed at once for the interrupted scheduled time
        assert await announced(app) == ["a", "b", "c"]  # the rest went out, "a" not twice

        assert await b.run_due() == []  # and it is not run again
        async with other.uow(read_only=True) as uow:
            run = await uow.get(JobRunRepository).get("t.post")
        assert run is not None and run.running_by is None and run.last_error is None
        clock.advance(timedelta(hours=1))
        assert await b.heartbeat(catch_up=False)
        assert [name for name, _ in await b.run_due()] == ["t.post"]  # next hour as usual
        assert len(ran_b) == 2 and len(await announced(app)) == 6
    finally:
        await other.close()


async def test_a_finished_or_failed_run_is_not_resumed_by_the_next_leader(
    app: App, clock: FixedClock, database_url: str
) -> None:
    await member(app, "ana")
    other = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:

        async def broken(due: datetime) -> None:
            raise RuntimeError("boom")

        ran_b: list[datetime] = []
        a = JobScheduler(
            app.uow,
            [Job("t.post", Every(timedelta(hours=1)), broken)],
            clock,
            timezone="UTC",
            holder="a",
        )
        b = JobScheduler(other.uow, [posting_job(other, ran_b)], clock, timezone="UTC", holder="b")
        await a.heartbeat()
        clock.advance(timedelta(hours=1))
        await a.heartbeat(catch_up=False)
        assert [name for name, _ in await a.run_due()] == ["t.post"]  # ran (and failed)
        while not await b.heartbeat():
            clock.advance(timedelta(seconds=15))
        assert ran_b == []  # a failure is reported, not retried behind the moderators' back
    finally:
        await other.close()


async def test_an_interrupted_run_found_past_its_grace_is_dropped_not_resumed(
    app: App, clock: FixedClock, database_url: str
) -> None:
    await member(app, "ana")
    other = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        ran_a: list[datetime] = []
        ran_b: list[datetime] = []
        a = JobScheduler(
            app.uow, [posting_job(app, ran_a, die_after=1)], clock, timezone="UTC", holder="a"
        )
        b = JobScheduler(other.uow, [posting_job(other, ran_b)], clock, timezone="UTC", holder="b")
        await a.heartbeat()
        clock.advance(timedelta(hours=1))
        await a.heartbeat(catch_up=False)
        await kill_mid_run(a, app)
        clock.advance(timedelta(minutes=30))  # nobody ran the scheduler for half an hour
        assert await b.heartbeat()
        assert ran_b == []  # a reminder half an hour late is worse than none (grace: 10 min)
        async with other.uow(read_only=True) as uow:
            run = await uow.get(JobRunRepository).get("t.post")
        assert run is not None and run.running_by is None and "interrupted" in str(run.last_error)
    finally:
        await other.close()
