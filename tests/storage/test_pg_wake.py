"""Waking the projectors after this process's commits, from outside the commands' transactions.

PostgreSQL only (SQLite has one writer process and no NOTIFY). A real asyncpg
connection LISTENs as a projector in another process does; waits are bounded
and nothing asserts how fast a wake-up came.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App
from storage.pg_listen import ACTIVITY_CHANNEL, connector
from storage.pg_wake import Waker
from tests.conftest import invoke
from tests.storage.test_pg_listen import postgresql_only


@pytest.fixture
async def heard(app: App, engine_name: str) -> AsyncIterator[asyncio.Queue[str]]:
    """What a projector listening on the activity channel hears (payloads, in order)."""
    postgresql_only(engine_name)
    queue: asyncio.Queue[str] = asyncio.Queue()
    conn = await connector(app.database.writer)()

    def notified(*args: Any) -> None:
        queue.put_nowait(args[3])

    await conn.add_listener(ACTIVITY_CHANNEL, notified)
    try:
        yield queue
    finally:
        await conn.close()


async def next_wake(heard: asyncio.Queue[str]) -> str:
    return await asyncio.wait_for(heard.get(), timeout=10)


async def test_on_sqlite_there_is_nobody_to_wake(app: App, engine_name: str) -> None:
    """One writer process: its projector is woken in process, with no NOTIFY to send."""
    assert (app.uow.projector.waker is None) == (engine_name == "sqlite")


async def test_a_command_wakes_the_listening_projectors_after_its_commit(
    app: App, heard: asyncio.Queue[str]
) -> None:
    """A check-in's commit is followed by a wake-up (the trigger is silent for this process)."""
    waker = app.uow.projector.waker
    assert waker is not None
    await invoke(app, "ana", "checkin")
    assert await next_wake(heard) == ""
    for _ in range(500):  # heard before its sender's task counted it: a moment more
        if waker.sent:
            break
        await asyncio.sleep(0.01)
    assert waker.sent >= 1


async def test_wake_ups_coalesce_while_one_is_on_its_way(
    app: App, heard: asyncio.Queue[str]
) -> None:
    """A hundred commits at once send one wake-up; those during its spacing, one more."""
    waker = Waker(connector(app.database.writer), spacing=0.3)
    try:
        for _ in range(100):
            waker.poke()
        await next_wake(heard)
        for _ in range(100):
            waker.poke()  # the first is still spacing: these wait for it, as one
        await next_wake(heard)
        await asyncio.sleep(0.6)  # two spacings: a third wake-up would be here by now
        assert heard.empty()
        assert waker.sent == 2
    finally:
        await waker.close()


async def test_closing_sends_the_wake_up_still_due(app: App, heard: asyncio.Queue[str]) -> None:
    """A process that commits and stops at once (the CLI) still wakes the projectors."""
    waker = Waker(connector(app.database.writer))
    waker.poke()
    await waker.close()
    assert await next_wake(heard) == ""
    assert waker.sent == 1


async def test_a_failed_wake_up_is_logged_and_sent_at_a_later_commit(
    app: App, heard: asyncio.Queue[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The server refuses once: a warning, no exception, no attempt per commit, then a wake-up."""
    attempts = 0
    real = connector(app.database.writer)
    now = [100.0]  # the waker's clock, moved by hand

    async def connect() -> Any:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise ConnectionRefusedError("the server is restarting")
        return await real()

    waker = Waker(connect, retry_after=1.0, monotonic=lambda: now[0])
    try:
        with caplog.at_level(logging.WARNING, logger="storage.pg_wake"):
            waker.poke()
            for _ in range(100):  # the failed attempt runs in the background
                if attempts:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.01)
        assert any("could not wake the projectors" in r.getMessage() for r in caplog.records)
        now[0] += 0.5
        waker.poke()  # within the retry delay: not even a connection attempt
        await asyncio.sleep(0.05)
        assert attempts == 1 and heard.empty()
        now[0] += 0.6
        waker.poke()
        assert await next_wake(heard) == ""
    finally:
        await waker.close()  # its task counts what it sent once the server answers
    assert attempts == 2 and waker.sent == 1
