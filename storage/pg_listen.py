"""PostgreSQL LISTEN for logged activities: other processes' commits wake this projector.

Every commit that logged unapplied activities is followed by a NOTIFY on
`guildhall_activity`: sent by the `guildhall` process that committed it
(`storage.pg_wake`, after the commit), or by migration 0026's trigger for any
other writer (delivered at commit, collapsed per transaction). A `Listener`
holds one connection that LISTENs on that channel and calls back on each
notification, so a projector in another `guildhall run` starts at once instead
of at its next poll.

The connection is a plain `asyncpg.connect()` with the engine's own connect
arguments, not one checked out of the engine's pool:
- it lives as long as the process watches: checked out, it would take one of
  the commands' pool slots for good;
- SQLAlchemy hands a connection back to its pool with a ROLLBACK, which keeps
  a LISTEN (asyncpg's own `reset()` would UNLISTEN, SQLAlchemy does not call
  it), so a listening connection that went back would deliver our callbacks on
  whatever unit of work checked it out next;
- its life (connect, lose, reconnect, close) is then ours alone, and disposing
  the engine neither waits for it nor breaks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.activity_log import APPLIED_CHANNEL

if TYPE_CHECKING:
    from asyncpg import Connection

log = logging.getLogger(__name__)

ACTIVITY_CHANNEL = "guildhall_activity"
"""What migration 0026's trigger notifies when unapplied activities are logged."""

CONNECT_TIMEOUT_SECONDS = 10.0
"""Connect (and LISTEN) within this, or count it as a failed attempt and back off."""

PING_SECONDS = 30.0
"""How often an idle listening connection is checked: a peer that vanished without
closing the socket (a NAT or proxy dropping it) is otherwise never noticed."""

PING_TIMEOUT_SECONDS = 5.0

BACKOFF_SECONDS = (0.5, 30.0)
"""First and longest wait between reconnection attempts (doubling in between)."""

# Options SQLAlchemy's asyncpg dialect reads itself and does not pass to asyncpg.
_SQLALCHEMY_ONLY = (
    "async_fallback",
    "async_creator_fn",
    "prepared_statement_cache_size",
    "prepared_statement_name_func",
)

Connect = Callable[[], Awaitable["Connection"]]


def connector(engine: AsyncEngine) -> Connect:
    """Open a connection to `engine`'s database outside its pool, as its dialect would.

    The engine's dialect turns the URL into asyncpg's arguments (host, port,
    user, password, database and URL options such as `ssl`), so the listener
    reaches the same server the same way the pool does.
    """
    _, kwargs = engine.dialect.create_connect_args(engine.url)
    for option in _SQLALCHEMY_ONLY:
        kwargs.pop(option, None)

    async def connect() -> Connection:
        import asyncpg  # only PostgreSQL pays for importing the driver

        return await asyncpg.connect(**kwargs, timeout=CONNECT_TIMEOUT_SECONDS)

    return connect


def activity_listener(engine: AsyncEngine) -> Callable[[Callable[[], None]], Listener]:
    """Make listeners for logged activities on `engine`'s database (one per `watch`)."""
    connect = connector(engine)
    return lambda on_notify: Listener(connect, ACTIVITY_CHANNEL, on_notify)


def applied_listener(
    engine: AsyncEngine,
) -> Callable[[Callable[[], None], Callable[[str], None]], Listener]:
    """Make listeners for applied batches: `on_notify` at each (re)connection, then each payload."""
    connect = connector(engine)
    return lambda on_notify, on_payload: Listener(
        connect, APPLIED_CHANNEL, on_notify, on_payload=on_payload
    )


class Listener:
    """Keep one connection LISTENing on a channel; call `on_notify` for each notification.

    With `on_payload`, each notification's payload goes there instead, and
    `on_notify` is called only after each (re)connection.

    A lost connection is logged and reopened with backoff; the listener never
    stops on an error, only at `close()`. After each (re)connection it calls
    `on_notify` once: what was committed while nobody listened was never
    notified to anyone.
    """

    def __init__(
        self,
        connect: Connect,
        channel: str,
        on_notify: Callable[[], None],
        *,
        backoff: tuple[float, float] = BACKOFF_SECONDS,
        ping_seconds: float = PING_SECONDS,
        on_payload: Callable[[str], None] | None = None,
    ) -> None:
        self._connect = connect
        self.channel = channel
        self._on_notify = on_notify
        self._on_payload = on_payload
        self._backoff = backoff
        self._ping_seconds = ping_seconds
        self._task: asyncio.Task[None] | None = None
        self.connection: Connection | None = None
        self.connected = asyncio.Event()  # set while LISTENing (tests and start-up wait on it)
        self.connections = 0  # successful connections so far (1 + reconnections)
        self.notifications = 0

    def start(self) -> None:
        """Start listening in the background (call on the event loop)."""
        if self._task is None:
            loop = asyncio.get_running_loop()
            self._task = loop.create_task(self._run(), name=f"listen-{self.channel}")

    async def close(self) -> None:
        """Stop listening: UNLISTEN and close the connection (at shutdown)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        # asyncpg calls this on the event loop.
        self.notifications += 1
        if self._on_payload is not None:
            self._on_payload(payload)
        else:
            self._on_notify()

    async def _run(self) -> None:
        delay = self._backoff[0]
        while True:
            listened = self.connections
            try:
                await self._listen()
                problem = "connection lost"
            except asyncio.CancelledError:
                raise
            except Exception as err:  # refused, reset, timed out, server restarting…
                problem = f"{type(err).__name__}: {err}"
            if self.connections > listened:  # it was listening: start the backoff over
                delay = self._backoff[0]
            log.warning("LISTEN %s: %s; reconnecting in %.1f s", self.channel, problem, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])

    async def _listen(self) -> None:
        """Listen on one connection until it is lost (returns) or fails (raises)."""
        conn = await self._connect()
        lost = asyncio.Event()
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(self.channel, self._notified)
            self.connection = conn
            self.connections += 1
            self.connected.set()
            self._on_notify()
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self._ping_seconds)
                    return
                await conn.execute("SELECT 1", timeout=PING_TIMEOUT_SECONDS)
        finally:
            self.connected.clear()
            self.connection = None
            if not conn.is_closed():
                # UNLISTEN, then end the session; bounded, as the server may be
                # the thing that went away (a lost connection is already closed).
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._hang_up(conn), PING_TIMEOUT_SECONDS)
                if not conn.is_closed():
                    conn.terminate()  # no goodbye: drop the socket, leak nothing

    async def _hang_up(self, conn: Connection) -> None:
        await conn.remove_listener(self.channel, self._notified)
        await conn.close()
