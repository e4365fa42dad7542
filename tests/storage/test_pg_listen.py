"""LISTEN/NOTIFY: another process's commit wakes this projector; the listener cleans up.

PostgreSQL only (SQLite has one writer process and no NOTIFY). Two `build_app`
on one database stand for two `guildhall run` processes. Waits poll the
database a bounded number of times; nothing asserts how fast it was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.app import App, build_app
from domain.core.config import CommunityConfig
from domain.identity import Member
from storage import activity_log, migrate
from storage.engine import WAKES_PROJECTORS
from storage.pg_listen import ACTIVITY_CHANNEL, Listener, connector
from tests.conftest import invoke
from tests.storage.test_projector import member, pending, vote, xp
from tests.support.migrations import alembic

NEVER = 60.0  # a safety poll too slow to matter within a test: only NOTIFY wakes


def postgresql_only(engine_name: str) -> None:
    if engine_name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite has one writer process")


async def eventually(check: Callable[[], Awaitable[bool]], attempts: int = 1000) -> bool:
    """Whether `check` holds within `attempts` looks 10 ms apart (about 10 s at most)."""
    for _ in range(attempts):
        if await check():
            return True
        await asyncio.sleep(0.01)
    return await check()


async def listening(app: App) -> Listener:
    listener = app.uow.projector.listener
    assert listener is not None, "watch() on PostgreSQL starts a listener"
    await asyncio.wait_for(listener.connected.wait(), timeout=10)
    return listener


async def other_process(database_url: str, app: App) -> App:
    """A second process on the same database whose projector never runs (busy, dead)."""
    other = await build_app(database_url, CommunityConfig(), clock=app.clock, upgrade=False)
    other.uow.settle_after_commit = False
    other.uow.projector.workers = 0
    return other


async def backend_alive(app: App, pid: int) -> bool:
    async with app.database.reader.connect() as conn:
        found = await conn.execute(
            text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        )
        return found.first() is not None


async def checked_in(app: App, who: Member) -> bool:
    return await pending(app) == 0 and await xp(app, who) > 0


async def test_watch_listens_on_postgresql_only(app: App, engine_name: str) -> None:
    """SQLite keeps its short poll; PostgreSQL opens a listener, and unwatch drops it."""
    app.uow.projector.watch()
    try:
        assert (app.uow.projector.listener is not None) == (engine_name == "postgresql")
    finally:
        await app.uow.projector.unwatch()
    assert app.uow.projector.listener is None


async def test_another_process_commit_wakes_this_projector_by_notify(
    app: App, engine_name: str, database_url: str
) -> None:
    """A check-in process A commits is applied by B, whose poll would not look for a minute."""
    postgresql_only(engine_name)
    ana = await member(app, "ana")
    app.uow.projector.watch(interval=NEVER)
    other = await other_process(database_url, app)
    try:
        listener = await listening(app)
        heard = listener.notifications
        await invoke(other, "ana", "checkin")
        assert await eventually(lambda: checked_in(app, ana)), "B never applied A's check-in"
        assert listener.notifications > heard
    finally:
        await other.close()
        await app.uow.projector.unwatch()


async def test_unwatch_closes_the_listening_connection(app: App, engine_name: str) -> None:
    """No connection outlives the watch: the client side is closed and the server's backend ends."""
    postgresql_only(engine_name)
    app.uow.projector.watch(interval=NEVER)
    listener = await listening(app)
    assert listener.connection is not None
    connection, pid = listener.connection, listener.connection.get_server_pid()
    assert await backend_alive(app, pid)
    await app.uow.projector.unwatch()
    assert connection.is_closed()
    assert listener.connection is None and not listener.connected.is_set()
    assert await eventually(lambda: _gone(app, pid)), "the listening backend is still there"


async def _gone(app: App, pid: int) -> bool:
    return not await backend_alive(app, pid)


async def test_a_dropped_listening_connection_reconnects_and_still_wakes(
    app: App, engine_name: str, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The server ends the listener's session: a warning, a new connection, notifications again."""
    postgresql_only(engine_name)
    ana = await member(app, "ana")
    app.uow.projector.watch(interval=NEVER)
    other = await other_process(database_url, app)
    try:
        listener = await listening(app)
        assert listener.connection is not None
        pid = listener.connection.get_server_pid()
        with caplog.at_level(logging.WARNING, logger="storage.pg_listen"):
            async with other.database.writer.connect() as conn:
                await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

            async def reconnected() -> bool:
                return listener.connections == 2 and listener.connected.is_set()

            assert await eventually(reconnected), "the listener did not reconnect"
        assert any(f"LISTEN {ACTIVITY_CHANNEL}" in r.getMessage() for r in caplog.records)
        await invoke(other, "ana", "checkin")
        assert await eventually(lambda: checked_in(app, ana)), "B never applied A's check-in"
    finally:
        await other.close()
        await app.uow.projector.unwatch()


async def test_the_trigger_notifies_only_for_unapplied_activities(
    app: App, engine_name: str, database_url: str
) -> None:
    """Another writer's rows wake the projectors: a command's rows do, applied (derived) rows not.

    The writer is a plain engine on the same database, as a script or an older
    process would be: it does not say it wakes the projectors itself.
    """
    postgresql_only(engine_name)
    ana = await member(app, "ana")
    heard: asyncio.Queue[str] = asyncio.Queue()
    conn = await connector(app.database.writer)()
    foreign = create_async_engine(database_url, poolclass=NullPool)

    def notified(*args: Any) -> None:
        heard.put_nowait(args[2])

    try:
        await conn.add_listener(ACTIVITY_CHANNEL, notified)
        async with foreign.begin() as db:
            await activity_log.append(db, [vote(ana, 1)], applied=True)
        async with foreign.begin() as db:  # two statements, one transaction
            await activity_log.append(db, [vote(ana, 2)], applied=False)
            await activity_log.append(db, [vote(ana, 3), vote(ana, 4)], applied=False)
        # Notifications arrive in commit order: had the first commit notified, it
        # would be here before the second's.
        assert await asyncio.wait_for(heard.get(), timeout=10) == ACTIVITY_CHANNEL
        assert heard.empty(), "one notification per transaction, none for applied rows"
    finally:
        await conn.close()
        await foreign.dispose()


async def test_the_trigger_leaves_a_process_that_wakes_the_projectors_itself(
    app: App, engine_name: str
) -> None:
    """The app's own connections say they wake the projectors: their commits notify nobody.

    Their wake-up comes from `storage.pg_wake` after the commit (its own tests);
    a NOTIFY inside the commands' transactions would commit them one at a time.
    """
    postgresql_only(engine_name)
    ana = await member(app, "ana")
    heard: asyncio.Queue[str] = asyncio.Queue()
    conn = await connector(app.database.writer)()
    try:
        await conn.add_listener(ACTIVITY_CHANNEL, lambda *args: heard.put_nowait(args[2]))
        async with app.database.writer.begin() as db:
            await activity_log.append(db, [vote(ana, 5)], applied=False)
        # A notification from the same server session arrives before any later one:
        # this marker's arrival first proves the commit above sent none.
        await conn.execute("SELECT pg_notify($1, 'marker')", ACTIVITY_CHANNEL)
        assert await asyncio.wait_for(heard.get(), timeout=10) == ACTIVITY_CHANNEL
    finally:
        await conn.close()


async def _triggers(app: App) -> list[tuple[str, str]]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT t.tgname, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                " WHERE t.tgrelid = 'activity_log'::regclass AND NOT t.tgisinternal"
            )
        )
        functions = await conn.execute(
            text("SELECT count(*) FROM pg_proc WHERE proname = 'guildhall_activity_notify'")
        )
        return [(r[0], r[1]) for r in rows] + [("functions", str(functions.scalar_one()))]


async def test_the_notify_migration_downgrades_and_upgrades(app: App, engine_name: str) -> None:
    """Each downgrade undoes its own revision; the upgrade puts both back.

    0029 makes the trigger silent for processes that wake the projectors
    themselves; without it the trigger notifies for every writer, as 0026 made
    it; without 0026 there is neither trigger nor function.
    """
    postgresql_only(engine_name)
    installed = [("activity_log_notify", "guildhall_activity_notify"), ("functions", "1")]
    assert await _triggers(app) == installed
    assert await _silent_for_wakers(app)
    try:
        await alembic(app, "downgrade", "0029_notify_unless_woken@-1")  # this revision alone
        assert await _triggers(app) == installed
        assert not await _silent_for_wakers(app)
        await alembic(app, "downgrade", "0026_activity_notify@-1")
        assert await _triggers(app) == [("functions", "0")]
    finally:
        await migrate.upgrade(app.database.writer)
    assert await _triggers(app) == installed
    assert await _silent_for_wakers(app)


async def _silent_for_wakers(app: App) -> bool:
    async with app.database.reader.connect() as conn:
        body = await conn.scalar(
            text("SELECT prosrc FROM pg_proc WHERE proname = 'guildhall_activity_notify'")
        )
    return WAKES_PROJECTORS in str(body)
