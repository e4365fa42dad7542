"""Statements at the driver (`storage.at_driver`) keep SQLAlchemy's promises.

The hot statements skip SQLAlchemy's per-statement machinery (asyncpg, and
SQLite's connections on the loop); what a repository relies on must not
change: they run in the unit of work's transaction, a failure is SQLAlchemy's
exception and leaves the connection usable after a rollback, a connection the
server dropped is invalidated (so the runner retries once), SQLite's write
lock held elsewhere is waited for off the loop, and statement events still see
every statement.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Table, bindparam, event, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy import update as sql_update
from sqlalchemy.exc import DBAPIError, IntegrityError, MultipleResultsFound, NoResultFound

from storage import at_driver
from storage.engine import Database
from storage.sql import prepare, upsert
from tests.storage.test_sqlite_writer_on_loop import Ticker, held_elsewhere
from tests.support.scratch import scratch_names


async def test_statements_at_the_driver_commit_and_roll_back_with_the_unit(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    async with db.writer.connect() as conn:
        await conn.begin()
        await upsert(conn, table, [{"id": 1, "name": "kept"}], conflict=("id",), set_=None)
        # SQLAlchemy's own statements share the transaction the driver's began.
        seen = (await conn.execute(select(table.c.name))).scalars().all()
        assert seen == ["kept"]
        await at_driver.commit(conn)
        assert not conn.in_transaction()
        await conn.begin()
        await upsert(conn, table, [{"id": 2, "name": "dropped"}], conflict=("id",), set_=None)
        await conn.rollback()
    assert await scratch_names(db, table) == ["kept"]


async def test_a_failure_at_the_driver_is_sqlalchemys_error_and_the_connection_lives_on(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    add = prepare(insert(table).values(id=bindparam("b_id"), name=bindparam("b_name")))
    async with db.writer.connect() as conn:
        await conn.begin()
        await add.run(conn, {"b_id": 1, "b_name": "first"})
        with pytest.raises(IntegrityError) as raised:
            await add.run(conn, {"b_id": 1, "b_name": "again"})
        assert not raised.value.connection_invalidated
        await conn.rollback()
        await conn.begin()
        await add.run(conn, {"b_id": 3, "b_name": "after"})
        await at_driver.commit(conn)
    assert await scratch_names(db, table) == ["after"]


async def test_a_connection_the_server_dropped_is_invalidated(
    scratch: tuple[Database, Table], engine_name: str
) -> None:
    if engine_name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    db, table = scratch
    rename = prepare(sql_update(table).where(table.c.id == bindparam("b_id")).values(name="x"))
    async with db.writer.connect() as conn:
        await conn.begin()
        pid = (await conn.execute(sql_text("SELECT pg_backend_pid()"))).scalar_one()
        async with db.reader.connect() as other:
            await other.execute(sql_text(f"SELECT pg_terminate_backend({int(pid)})"))
        with pytest.raises(DBAPIError) as raised:
            await rename.run(conn, {"b_id": 1})
        assert raised.value.connection_invalidated
        assert conn.invalidated
    async with db.writer.begin() as conn:  # the pool hands out a fresh connection
        assert (await rename.run(conn, {"b_id": 1})).rowcount == 0


async def test_results_read_as_sqlalchemys(scratch: tuple[Database, Table]) -> None:
    db, table = scratch
    rename = prepare(
        sql_update(table).where(table.c.id >= bindparam("b_from")).values(name=bindparam("b_name"))
    )
    ids = prepare(select(table.c.id).where(table.c.id >= bindparam("b_from")).order_by(table.c.id))
    async with db.writer.begin() as conn:
        rows = [{"id": n, "name": f"m{n}"} for n in (1, 2, 3)]
        result = await upsert(conn, table, rows, conflict=(), set_=None, returning=("id",))
        assert sorted(result.scalars()) == [1, 2, 3]
        assert (await rename.run(conn, {"b_from": 2, "b_name": "z"})).rowcount == 2
        assert [r.id for r in await ids.rows(conn, {"b_from": 2})] == [2, 3]
        with pytest.raises(NoResultFound):
            (await ids.run(conn, {"b_from": 9})).scalar_one()
        with pytest.raises(MultipleResultsFound):
            (await ids.run(conn, {"b_from": 1})).scalar_one_or_none()
        assert (await ids.run(conn, {"b_from": 3})).scalar_one() == 3
        assert (await ids.run(conn, {"b_from": 3})).one().id == 3
        assert (await ids.run(conn, {"b_from": 2})).scalars().all() == [2, 3]
    assert await scratch_names(db, table) == ["m1", "z", "z"]


async def test_statement_events_still_see_every_statement(
    scratch: tuple[Database, Table],
) -> None:
    """A listener (a test or benchmark counting statements) gets SQLAlchemy's usual path."""
    db, table = scratch
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    engine = db.writer.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        async with db.writer.begin() as conn:
            await upsert(conn, table, [{"id": 1, "name": "a"}], conflict=("id",), set_=None)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert any(s.startswith(f"INSERT INTO {table.name}") for s in seen)


async def test_sqlite_write_lock_held_elsewhere_is_waited_for_off_the_loop(
    scratch: tuple[Database, Table], engine_name: str
) -> None:
    """The writer's BEGIN IMMEDIATE rides with the first statement at the driver; another
    process holding the lock makes it wait on the driver's thread, the loop running on."""
    if engine_name != "sqlite":
        pytest.skip("SQLite's single write lock")
    db, table = scratch
    path = db.writer.url.database
    assert path is not None

    async def write() -> None:
        async with db.writer.connect() as conn:
            await conn.begin()
            await upsert(conn, table, [{"id": 2, "name": "ours"}], conflict=("id",), set_=None)
            await at_driver.commit(conn)

    theirs = f"INSERT INTO {table.name} (id, name) VALUES (1, 'theirs')"
    await held_elsewhere(path, theirs, write)
    assert await scratch_names(db, table) == ["ours", "theirs"]


async def test_a_long_transaction_at_the_driver_lets_other_coroutines_run(
    scratch: tuple[Database, Table],
) -> None:
    """On SQLite's loop a statement returns at once; a projector-sized transaction of them
    still lets the loop run others before it commits."""
    db, table = scratch
    add = prepare(insert(table).values(id=bindparam("b_id"), name=bindparam("b_name")))
    ticker = Ticker()
    ticking = asyncio.ensure_future(ticker.run())
    await asyncio.sleep(0)
    async with db.writer.connect() as conn:
        await conn.begin()
        start = ticker.ticks
        for n in range(2000):
            await add.run(conn, {"b_id": n, "b_name": f"m{n}"})
        during = ticker.ticks - start
        await at_driver.commit(conn)
    ticker.stop()
    await ticking
    assert during > 0
    assert len(await scratch_names(db, table)) == 2000
