"""Round trips PostgreSQL is spared: writes that ride with a statement, reads without BEGIN.

A command's stored reply is written just before the activity log's append;
on PostgreSQL it goes as a WITH clause of that statement, one round trip
fewer. It must still commit with its transaction, roll back with it, fail as
part of it, and never leak into a later transaction of the same connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest
from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.points.model import EntryKind, NewEntry
from domain.points.repository import LedgerRepository
from domain.progress.repository import XpRepository
from storage import at_driver
from storage.activity_log import ActivityLogRow
from storage.engine import Database
from storage.outbox import OutboxRow
from storage.projections import projection_mismatches
from storage.sql import prepare, upsert
from tests.conftest import START, invoke
from tests.storage.test_projector import member, pending, xp
from tests.support.scratch import scratch_names


@contextmanager
def trips(conn: AsyncConnection) -> Iterator[list[str]]:
    """The statements the driver prepares and runs on `conn` (asyncpg's; SQLite: none)."""
    sent: list[str] = []
    adapter = at_driver._adapter(conn)
    if adapter is None or at_driver._on_loop(adapter):
        yield sent
        return
    kind = type(adapter)
    original = kind._prepare

    async def counted(self: Any, sql: str, *args: Any) -> Any:
        if self is adapter:
            sent.append(sql)
        return await original(self, sql, *args)

    kind._prepare = counted
    try:
        yield sent
    finally:
        kind._prepare = original


def _add(table: Table) -> Any:
    return prepare(insert(table).values(id=bindparam("b_id"), name=bindparam("b_name")))


@asynccontextmanager
async def begun(db: Database, table: Table, first: str) -> AsyncIterator[tuple[Any, Any]]:
    """A writer connection whose transaction has begun with row 1 named `first`; (conn, add)."""
    add = _add(table)
    async with db.writer.connect() as conn:
        await conn.begin()
        await add.run(conn, {"b_id": 1, "b_name": first})
        yield conn, add


async def test_a_rider_goes_with_the_next_statement_and_commits_with_it(
    scratch: tuple[Database, Table], engine_name: str
) -> None:
    db, table = scratch
    async with begun(db, table, "first") as (conn, add):
        with trips(conn) as sent:
            await add.ride(conn, {"b_id": 2, "b_name": "rider"})
            result = await upsert(
                conn, table, [{"id": 3, "name": "next"}], conflict=(), set_=None, returning=("id",)
            )
            assert list(result.scalars()) == [3]  # the statement's own rows, not the rider's
        if engine_name == "postgresql":
            assert len(sent) == 1 and sent[0].startswith("WITH ride_0 AS (INSERT")
        await at_driver.commit(conn)
    assert await scratch_names(db, table) == ["first", "next", "rider"]


async def test_a_rider_with_no_statement_after_it_goes_before_commit(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    async with begun(db, table, "first") as (conn, add):
        await add.ride(conn, {"b_id": 2, "b_name": "second"})
        await add.ride(conn, {"b_id": 3, "b_name": "third"})
        await at_driver.commit(conn)
    assert await scratch_names(db, table) == ["first", "second", "third"]


async def test_a_rolled_back_rider_never_runs_later(scratch: tuple[Database, Table]) -> None:
    db, table = scratch
    async with begun(db, table, "dropped") as (conn, add):
        await add.ride(conn, {"b_id": 2, "b_name": "dropped too"})
        await conn.rollback()
        await conn.begin()  # the same connection, the next transaction
        await add.run(conn, {"b_id": 3, "b_name": "kept"})
        await at_driver.commit(conn)
    assert await scratch_names(db, table) == ["kept"]


async def test_a_failing_rider_fails_the_statement_it_rode_with(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    async with begun(db, table, "first") as (conn, add):
        with pytest.raises(IntegrityError):
            await add.ride(conn, {"b_id": 1, "b_name": "same id"})  # SQLite: fails here
            await add.run(conn, {"b_id": 2, "b_name": "next"})  # PostgreSQL: here
        await conn.rollback()
    assert await scratch_names(db, table) == []


async def test_a_members_read_on_postgresql_opens_no_transaction(
    app: Any, engine_name: str
) -> None:
    """BEGIN and ROLLBACK were two of /leaderboard's six round trips; READ COMMITTED
    reads each statement from a fresh snapshot anyway, so the read goes without them,
    and sees what was committed between its statements as it did."""
    if engine_name != "postgresql":
        pytest.skip("SQLite's reads cost no round trips")
    async with app.uow(read_only=True, quick=True) as uow:
        conn = uow.connection
        first = (await conn.execute(select(func.now()))).scalar_one()
        await asyncio.sleep(0.01)
        second = (await conn.execute(select(func.now()))).scalar_one()
        assert second > first  # now() is a transaction's start: each statement its own
    async with app.uow(read_only=True) as uow:  # other reads keep one transaction
        conn = uow.connection
        first = (await conn.execute(select(func.now()))).scalar_one()
        await asyncio.sleep(0.01)
        assert (await conn.execute(select(func.now()))).scalar_one() == first
    async with app.uow() as uow:  # and the connection, back in the pool, begins again
        conn = uow.connection
        first = (await conn.execute(select(func.now()))).scalar_one()
        await asyncio.sleep(0.01)
        assert (await conn.execute(select(func.now()))).scalar_one() == first


def _entry(who: Any, amount: int, key: str) -> NewEntry:
    kind = EntryKind.EARNED if amount > 0 else EntryKind.SPENT
    return NewEntry(who.community_id, who.id, kind, "test", amount, key, START)


async def test_a_ledger_row_and_its_balance_move_in_one_statement(
    app: Any, engine_name: str
) -> None:
    """The same rules as two statements: a replayed key moves nothing, nor does an overdraft."""
    ana = await member(app, "ana")
    async with app.uow() as uow:
        ledger = uow.get(LedgerRepository)
        with trips(uow.connection) as sent:
            assert await ledger.post(_entry(ana, 30, "a")) == (True, 30)
        if engine_name == "postgresql":
            assert len(sent) == 1
        assert await ledger.post(_entry(ana, 30, "a")) == (False, None)  # the same key
        assert await ledger.post(_entry(ana, -12, "b")) == (True, 18)
        assert await ledger.post(_entry(ana, -50, "c")) == (True, None)  # not covered
        assert await ledger.balance(ana.id) == 18
        await uow.rollback()
    async with app.uow() as uow:
        ledger = uow.get(LedgerRepository)
        assert await ledger.post(_entry(ana, 5, "a")) == (True, 5)  # rolled back: new again
        await uow.commit()


async def test_a_projector_batch_sends_its_unread_writes_with_other_statements(
    app: Any, engine_name: str
) -> None:
    """A batch's writes nobody reads back ride with its other statements; it ends with one.

    Derived rows, season sizes, holder counts, announcements and the applied
    mark were a round trip each (per board, per achievement). They are all
    written: the XP the check-in derived is logged (already applied), nothing
    is left pending, the member's XP moved and `db check` agrees.
    """
    if engine_name != "postgresql":
        pytest.skip("SQLite's writes cost no round trips")
    ana = await member(app, "ana")
    projector = app.uow.projector
    app.uow.settle_after_commit = False
    projector.workers = 0  # paused: the check-in waits for the batch below
    await invoke(app, "ana", "checkin")
    kind = AsyncAdapt_asyncpg_connection
    original = kind._prepare
    sent: list[str] = []

    async def counted(self: Any, sql: str, *args: Any) -> Any:
        sent.append(sql)
        return await original(self, sql, *args)

    kind._prepare = counted  # type: ignore[method-assign]
    try:
        projector.workers = 1
        assert await projector.run_once() > 0
    finally:
        kind._prepare = original  # type: ignore[method-assign]
    # Writes nobody reads back went inside other statements, none on a trip of its own:
    riders = ("activity_log", "outbox", "board_sizes", "achievement_holders")
    for table in riders:
        assert any(f"INSERT INTO {table}" in s for s in sent), table
        assert not any(s.startswith(f"INSERT INTO {table}") for s in sent), table
    assert sum("INSERT INTO activity_log" in s for s in sent) == 1
    # XP rows: locked once by the first pass (the second, the unlock's XP, knows them);
    # both passes' credits ride.
    xp_rows = [s for s in sent if "INSERT INTO member_xp" in s]
    assert len(xp_rows) == 3 and sum(s.startswith("INSERT INTO member_xp") for s in xp_rows) == 1
    # The applied mark and the announcement (the first check-in's unlock) go with the NOTIFY.
    ends = [s for s in sent if "pg_notify" in s]
    assert len(ends) == 1 and "SET applied = true" in ends[0] and "INTO outbox" in ends[0]
    assert not any("SET applied" in s for s in sent if s is not ends[0])
    # The boards' season sizes ride with their score counts (a statement per board before).
    sizes = [s for s in sent if "INSERT INTO board_sizes" in s]
    assert len(sizes) == 1 and "INSERT INTO board_score_counts" in sizes[0]
    assert await projection_mismatches(app.database.reader) == []
    assert await pending(app) == 0 and await xp(app, ana) > 0
    posts = select(func.count()).where(OutboxRow.kind == "achievement")
    async with app.database.reader.connect() as conn:
        assert (await conn.execute(posts)).scalar_one() == 1  # the unlock's announcement
    derived = select(func.count()).where(
        ActivityLogRow.kind == "xp_gained", ActivityLogRow.applied.is_(True)
    )
    async with app.database.reader.connect() as conn:
        assert (await conn.execute(derived)).scalar_one() >= 1


async def test_two_credits_of_one_member_both_count(app: Any) -> None:
    """Two passes credit the same locked row with no statement between: neither is lost.

    A credit rides with the next statement; a second one riding beside it
    would write the same row twice in one statement, and one write would win.
    """
    ana = await member(app, "ana")
    async with app.uow(projecting=True) as uow:
        repo = uow.get(XpRepository)
        before = (await repo.lock_many({ana.id: ana.community_id}))[ana.id]
        await repo.add_xp_many({ana.id: 5})
        await repo.lock_many({ana.id: ana.community_id})  # known: no statement
        await repo.add_xp_many({ana.id: 7}, {ana.id: (before.level + 1, before.tier_index)})
        await uow.commit()
    assert await xp(app, ana) == before.xp + 12
    async with app.uow(read_only=True) as uow:
        stored = await uow.get(XpRepository).get(ana.id)
    assert (stored.level, stored.tier_index) == (before.level + 1, before.tier_index)
