"""The activity log and the projector: exactly once, whatever crashes, on both engines."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.app import App, build_app
from domain.checkin.activities import CheckedIn
from domain.core.activity import Activity
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member, Platform
from domain.proposals.activities import VoteCast
from storage.achievements import MemberCounterRow
from storage.activity_log import ActivityLogRow
from storage.engine import create_database
from storage.progress import MemberXpRow
from storage.projections import (
    PROJECTION_TABLES,
    pending_activities,
    projection_mismatches,
    rebuild,
)
from tests.conftest import START, invoke

ROOT = Path(__file__).resolve().parents[2]


async def member(app: App, name: str) -> Member:
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(Platform.CONSOLE, "demo", name)
    if found is None:
        await invoke(app, name, "help")
        return await member(app, name)
    return found


async def scalar(app: App, query: object) -> int:
    async with app.database.reader.connect() as conn:
        return int((await conn.execute(query)).scalar() or 0)  # type: ignore[call-overload]


async def xp(app: App, who: Member) -> int:
    return await scalar(app, select(MemberXpRow.xp).where(MemberXpRow.member_id == who.id))


async def counter(app: App, who: Member, name: str) -> int:
    return await scalar(
        app,
        select(func.coalesce(func.sum(MemberCounterRow.value), 0)).where(
            MemberCounterRow.member_id == who.id, MemberCounterRow.counter == name
        ),
    )


async def pending(app: App) -> int:
    return await scalar(
        app,
        select(func.count()).select_from(ActivityLogRow).where(ActivityLogRow.applied.is_(False)),
    )


def vote(who: Member, n: int) -> VoteCast:
    return VoteCast(
        community_id=who.community_id,
        member_id=who.id,
        key=f"vote_cast:{n}:{who.id}",
        occurred_at=START,
        proposal_id=n,
    )


async def record(app: App, items: Sequence[Activity]) -> None:
    async with app.uow() as uow:
        for item in items:
            uow.record(item)
        await uow.commit()


async def test_a_crash_between_commit_and_projection_loses_nothing(
    app: App, database_url: str
) -> None:
    ana = await member(app, "ana")
    # A real process checks in and dies the instant its transaction is durable,
    # before its projector could run.
    script = textwrap.dedent(
        f"""
        import asyncio, os
        from bot.app import build_app
        from domain.core.clock import FixedClock
        from domain.core.config import CommunityConfig
        from domain.identity import IdentityRepository, Platform
        from tests.conftest import START

        async def main():
            app = await build_app({database_url!r}, CommunityConfig(), clock=FixedClock(START),
                                  upgrade=False)
            async with app.uow() as uow:
                identity = uow.get(IdentityRepository)
                ana = await identity.member_for_account(Platform.CONSOLE, "demo", "ana")
                community = await identity.get_community(ana.community_id)
                await app.ctx.checkin.check_in(uow, community, ana)
                uow.after_commit(lambda: os._exit(0))
                await uow.commit()

        asyncio.run(main())
        """
    )
    done = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, cwd=ROOT, env=dict(os.environ)
    )
    assert await asyncio.wait_for(done.wait(), 120) == 0
    assert await pending(app) >= 2  # the check-in and its points, unapplied
    assert await xp(app, ana) == 0 and await counter(app, ana, "checkins") == 0
    assert await app.uow.projector.drain() >= 2
    assert await pending(app) == 0
    # 20 XP for the check-in, 25 for the "First steps" it unlocked
    assert await xp(app, ana) == 45 and await counter(app, ana, "checkins") == 1
    reply = await invoke(app, "ana", "leaderboard", "streak")
    assert "**1** day" in reply.text or "1 day" in reply.text


async def test_the_same_activity_recorded_twice_is_logged_and_applied_once(app: App) -> None:
    ana = await member(app, "ana")
    checkin = CheckedIn(
        community_id=ana.community_id,
        member_id=ana.id,
        key="checkin:retry",
        occurred_at=START,
        streak=1,
        longest=1,
        local_date="2026-11-16",
    )
    await record(app, [checkin])
    await record(app, [checkin])  # a retried command
    rows = await scalar(
        app,
        select(func.count())
        .select_from(ActivityLogRow)
        .where(ActivityLogRow.key == "checkin:retry"),
    )
    assert rows == 1
    assert await counter(app, ana, "checkins") == 1
    assert await xp(app, ana) == 20 + 25  # the check-in, and the "First steps" it unlocked


async def test_concurrent_projectors_apply_each_batch_once(
    database_url: str, config: CommunityConfig, app: App
) -> None:
    """Two processes' projectors (two engines) and this one's drain the same log together."""
    app.uow.settle_after_commit = False
    people = [await member(app, name) for name in ("ana", "bob", "cy", "dee")]
    alone = await member(app, "eve")  # the same votes applied by one projector: the reference
    await record(app, [vote(alone, n) for n in range(12)])
    await app.uow.projector.drain()
    expected = await xp(app, alone)
    other = await build_app(database_url, config, clock=app.clock, upgrade=False)
    try:
        app.uow.projector.batch_size = other.uow.projector.batch_size = 3
        await record(app, [vote(p, n) for p in people for n in range(12)])
        await asyncio.gather(app.uow.projector.drain(), other.uow.projector.drain())
        await app.uow.projector.drain()
    finally:
        await other.close()
    assert await pending(app) == 0
    for p in people:
        assert await counter(app, p, "votes_cast") == 12
        assert await xp(app, p) == expected > 0


class FailOnce:
    """A projection that fails its first batch, as a bug or a lost connection would."""

    name = "test.fail-once"
    kinds = ("vote_cast",)

    def __init__(self) -> None:
        self.failed = False

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        if not self.failed:
            self.failed = True
            raise RuntimeError("projection failed mid-batch")


async def test_a_failed_batch_applies_nothing_and_is_retried_whole(app: App) -> None:
    app.uow.settle_after_commit = False
    ana = await member(app, "ana")
    failing = FailOnce()
    app.ctx.bus.register(failing)
    await record(app, [vote(ana, n) for n in range(3)])
    await app.uow.projector.settle()  # the batch fails: XP and counters rolled back with it
    assert failing.failed and app.uow.projector.failures == 1
    assert await pending(app) == 3
    assert await xp(app, ana) == 0 and await counter(app, ana, "votes_cast") == 0
    await app.uow.projector.drain()
    assert await pending(app) == 0
    assert await counter(app, ana, "votes_cast") == 3
    assert await xp(app, ana) == 3 * 5 + 25  # three votes, and the "Voice" they unlocked


async def test_a_member_reads_their_own_writes_at_once(app: App) -> None:
    app.uow.settle_after_commit = False  # as in production: only reads wait
    await invoke(app, "ana", "checkin")
    profile = await invoke(app, "ana", "profile")
    fields = {f.name: f.value for f in profile.fields}
    assert "45 XP" in fields["Level"]  # the check-in and the achievement it unlocked
    board = await invoke(app, "ana", "leaderboard", "xp")
    assert "45" in board.text and "#1" in board.text


class HoldFor:
    """A projection that holds every batch naming one member until released."""

    name = "test.hold"
    kinds = ("vote_cast",)

    def __init__(self, held: Member) -> None:
        self.held = held.id
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        if any(a.member_id == self.held for a in batch):
            self.entered.set()
            await self.release.wait()


@pytest.mark.parametrize("remembered", [True, False], ids=["remembered", "after-a-restart"])
async def test_a_read_waits_only_for_the_readers_own_writes(app: App, remembered: bool) -> None:
    """Ana's /profile is not queued behind Bob's pending batch; Bob's own read is.

    Whether or not the runner remembers who they are: one it does not is looked
    up inside the read itself and waited for only if a commit naming them is open.
    """
    app.uow.settle_after_commit = False  # as in production: only reads wait
    await member(app, "ana")
    bob = await member(app, "bob")
    if not remembered:
        for name in ("ana", "bob"):
            app.runner.enrolled.forget(("console", "demo", name))
    hold = HoldFor(bob)
    app.ctx.bus.register(hold)
    await record(app, [vote(bob, 1)])
    await asyncio.wait_for(hold.entered.wait(), timeout=10)
    # Bob's batch is being applied and cannot finish: Ana's read answers anyway.
    profile = await asyncio.wait_for(invoke(app, "ana", "profile"), timeout=10)
    assert profile.fields and await pending(app) == 1
    bobs_read = asyncio.ensure_future(invoke(app, "bob", "profile"))
    await asyncio.sleep(0.05)
    assert not bobs_read.done()  # Bob waits for his own vote to be applied
    hold.release.set()
    shown = await asyncio.wait_for(bobs_read, timeout=10)
    assert shown.fields and await pending(app) == 0
    assert await counter(app, bob, "votes_cast") == 1
    assert app.runner.enrolled.get(("console", "demo", "bob")) == bob.id


async def test_a_dropped_connection_is_retried_once(app: App, engine_name: str) -> None:
    """No pre-ping on checkout: a connection the server dropped fails once, then the retry works."""
    if engine_name != "postgresql":
        return  # SQLite has no server to drop a connection
    await invoke(app, "ana", "checkin")
    killer = create_database(str(app.database.url), pool_size=1)
    try:  # the server drops every pooled connection (a restart, a proxy's idle timeout)
        async with killer.writer.connect() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        await killer.dispose()
    reply = await invoke(app, "ana", "points balance")
    assert "**10**" in reply.text
    assert app.runner.unhandled_errors == 0


async def snapshot(app: App) -> dict[str, list[tuple[object, ...]]]:
    """Every projection table's rows, in a stable order."""
    out: dict[str, list[tuple[object, ...]]] = {}
    async with app.database.reader.connect() as conn:
        for model in (*PROJECTION_TABLES, MemberXpRow):
            table = model.__table__
            # xp_awards' ids are a sequence: a rebuild numbers the same awards anew
            columns = [c for c in table.columns if table.name != "xp_awards" or c.name != "id"]
            rows = await conn.execute(select(*columns))
            out[table.name] = sorted(tuple(r) for r in rows)
    return out


async def test_rebuilding_the_projections_equals_applying_them_incrementally(
    app: App, clock: FixedClock
) -> None:
    for _day in range(3):
        for name in ("ana", "bob", "cy"):
            await invoke(app, name, "checkin")
        await invoke(app, "ana", "points give", "@bob 2")
        clock.advance(timedelta(days=1))
    await record(app, [vote(await member(app, "cy"), n) for n in range(4)])
    assert await projection_mismatches(app.database.reader) == []
    before = await snapshot(app)
    assert before["member_counters"] and before["board_scores"] and before["xp_awards"]
    assert await rebuild(app.uow) > 0
    after = await snapshot(app)
    for name, rows in before.items():
        assert after[name] == rows, (name, set(after[name]) ^ set(rows))
    assert await projection_mismatches(app.database.reader) == []
    assert await pending_activities(app.database.reader) == 0


async def test_db_check_names_a_projection_that_drifted_from_the_log(app: App) -> None:
    await invoke(app, "ana", "checkin")
    ana = await member(app, "ana")
    async with app.database.writer.begin() as conn:
        table = MemberCounterRow.__table__
        await conn.execute(
            table.update()
            .where(table.c.member_id == ana.id, table.c.counter == "checkins")
            .values(value=5)
        )
    drift = await projection_mismatches(app.database.reader)
    assert [(d.what, d.member_id, d.stored, d.from_log) for d in drift] == [
        ("counter checkins", ana.id, 5, 1)
    ]
    await rebuild(app.uow)
    assert await projection_mismatches(app.database.reader) == []


async def test_commits_gather_into_one_batch_and_a_reader_cuts_the_pace_short(app: App) -> None:
    """Paced, three commits wait for one batch; the voter's own read does not wait for the pace."""
    app.uow.settle_after_commit = False  # as in production: only reads wait
    ana = await member(app, "ana")
    projector = app.uow.projector
    projector.pace = 3600.0  # nothing but a waiting reader would start the next batch
    await record(app, [vote(ana, 100)])  # a batch was just applied: the pace starts over
    await projector.settle()
    batches = projector.batches
    for n in range(3):
        await record(app, [vote(ana, n)])
    await asyncio.sleep(0.05)
    assert projector.batches == batches and await pending(app) == 3  # gathering, not applying
    profile = await asyncio.wait_for(invoke(app, "ana", "profile"), timeout=10)
    assert profile.fields
    assert projector.batches == batches + 1 and await pending(app) == 0  # one batch for three
    assert await counter(app, ana, "votes_cast") == 4
