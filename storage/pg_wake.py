"""Wake the projectors that LISTEN after this process's commits, outside the commands' own.

A NOTIFY takes one database-wide lock at commit and keeps it until that commit
is durable, so the transactions that notify commit one at a time. Migration
0026's trigger made every command that logged an activity such a transaction.
Measured with pgbench on this machine (10 clients, an INSERT per transaction):
2,830-3,010 commits/s with a `pg_notify` in each, 7,530-8,150 without. So the
commands' connections say `guildhall.wakes_projectors = on`
(`storage.engine.WAKES_PROJECTORS`), migration 0029's trigger stays silent for
them, and this process sends the wake-up itself once the commit is done, from
a connection of its own: one `pg_notify` for however many commits came while
the last one was on its way (at most one every `SPACING_SECONDS`), so its cost
does not grow with the load. Any other writer (`psql`, a script) is still
heard through the trigger.

A wake-up that cannot be sent is logged and tried again at a later commit
(after `retry_after`); the listeners' safety poll and the takeover of a stalled
backlog (`storage.projector`) cover what is lost meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from storage.pg_listen import ACTIVITY_CHANNEL, Connect

if TYPE_CHECKING:
    from asyncpg import Connection

log = logging.getLogger(__name__)

SPACING_SECONDS = 0.005
"""At least this long between two wake-ups: the projector process paces its batches by
20 ms (`bot.projector_process.PACE_SECONDS`), so a wake-up sooner would find it busy."""

RETRY_SECONDS = 1.0
"""After a failure, commits go unannounced this long before the next connection attempt."""

CLOSE_SECONDS = 5.0
"""At shutdown, how long the last wake-up may take (then it is dropped)."""


class Waker:
    """Send `pg_notify` on the activity channel after commits, coalesced."""

    def __init__(
        self,
        connect: Connect,
        *,
        spacing: float = SPACING_SECONDS,
        retry_after: float = RETRY_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._spacing = spacing
        self._retry_after = retry_after
        self._monotonic = monotonic  # a test's own clock
        self._connection: Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._due = False
        self._failed_at: float | None = None
        self.sent = 0

    def poke(self) -> None:
        """Some commit logged activities: see that a wake-up follows it."""
        self._due = True
        if self._task is None or self._task.done():
            failed = self._failed_at
            if failed is not None and self._monotonic() - failed < self._retry_after:
                return  # the server just failed us: the safety poll covers this one
            loop = asyncio.get_running_loop()
            self._task = loop.create_task(self._send(), name="projectors-wake")

    async def _send(self) -> None:
        while self._due:
            self._due = False
            try:
                conn = self._connection
                if conn is None or conn.is_closed():
                    conn = self._connection = await self._connect()
                await conn.execute("SELECT pg_notify($1, '')", ACTIVITY_CHANNEL)
            except Exception as err:  # refused, reset, timed out, server restarting…
                self._failed_at = self._monotonic()
                log.warning("could not wake the projectors (NOTIFY %s): %s", ACTIVITY_CHANNEL, err)
                await self._drop()
                return
            self.sent += 1
            await asyncio.sleep(self._spacing)

    async def close(self) -> None:
        """Send a wake-up still due (bounded), then close the connection (at shutdown)."""
        task, self._task = self._task, None
        if task is not None:
            with contextlib.suppress(Exception, TimeoutError):
                await asyncio.wait_for(task, CLOSE_SECONDS)
        await self._drop()

    async def _drop(self) -> None:
        conn, self._connection = self._connection, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), CLOSE_SECONDS)
            except Exception:  # the server went away first: drop the socket
                conn.terminate()
