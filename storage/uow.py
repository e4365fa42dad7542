"""The SQL unit of work: one connection, one transaction, rolled back unless committed.

A committed unit appends its activities to the activity log (one statement)
and wakes the projector, which applies them after the commit; nothing else
runs inside the command's transaction.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.activity import Activity, ActivityBus
from domain.core.announcements import Announcement
from domain.core.clock import Clock
from domain.core.uow import ConnectionLost
from storage import activity_log, at_driver, outbox, registry
from storage.admission import Admission
from storage.engine import PG_PROJECTOR_CONNECTIONS, Database
from storage.gate import Gate
from storage.pg_listen import activity_listener, applied_listener, connector
from storage.pg_wake import Waker
from storage.projector import PACE_SECONDS, Projector

log = logging.getLogger(__name__)
R = TypeVar("R")


class SqlUnitOfWork:
    """Repositories over one connection, plus what the transaction publishes."""

    def __init__(
        self,
        conn: AsyncConnection,
        repositories: dict[type, registry.RepositoryFactory],
        bus: ActivityBus,
        clock: Clock,
        read_only: bool,
        on_announce: tuple[Callable[[], None], ...] = (),
        *,
        projecting: bool = False,
        inline: bool = False,
    ) -> None:
        self.connection = conn
        self._on_announce = on_announce
        self._factories = repositories
        self._instances: dict[type, Any] = {}
        self._bus = bus
        self._clock = clock
        self._read_only = read_only
        self._activities: list[Activity] = []
        self._announcements: list[Announcement] = []
        self._after_commit: list[Callable[[], Awaitable[None] | None]] = []
        self.committed = False
        self.logged = False  # committed activities the projector has yet to apply
        # what those activities are and whom they name (whose reads wait for them)
        self.opened: dict[int, frozenset[int]] = {}  # logged row id -> members named
        self._projecting = projecting
        self._inline = inline

    def get(self, interface: type[R]) -> R:
        instance = self._instances.get(interface)
        if instance is None:
            try:
                factory = self._factories[interface]
            except KeyError:
                raise LookupError(f"no storage implements {interface.__name__}") from None
            instance = self._instances[interface] = factory(self.connection)
        return instance

    def record(self, activity: Activity) -> None:
        self._activities.append(activity)

    def announce(self, announcement: Announcement) -> None:
        self._announcements.append(announcement)

    def after_commit(self, callback: Callable[[], Awaitable[None] | None]) -> None:
        """Run `callback` once the transaction is durable (wake a deliverer, say)."""
        self._after_commit.append(callback)

    async def flush(self) -> None:
        """Write what the unit of work holds back for its end: activities, shared counts, posts.

        `commit` does this first; the projector does it before its batch's
        NOTIFY, so the writes that ride (`at_driver.ride`) go with that.
        """
        if self._read_only:
            raise RuntimeError("this unit of work was opened read-only")
        if self._activities:
            if self._inline:  # the old way, kept to measure against: projections in here
                await self._bus.apply(self, self._activities)
            else:
                await activity_log.append(self.connection, self._activities, applied=False)
                self._activities = []
                self.logged = True
        # Repositories may hold back writes to rows every transaction shares
        # (a season's member count, an achievement's holders): written last,
        # in one fixed order, those rows stay locked only for the commit.
        for instance in sorted(self._instances.values(), key=lambda i: type(i).__name__):
            flush = getattr(instance, "before_commit", None)
            if flush is not None:
                await flush()
        if self._announcements:
            self._after_commit.extend(self._on_announce)
            await outbox.add_riding(self.connection, self._announcements, self._clock.now())
            self._announcements = []

    async def commit(self) -> None:
        await self.flush()
        await at_driver.commit(self.connection)
        self.committed = True
        for callback in self._after_commit:
            try:
                result = callback()
                if result is not None:
                    await result
            except Exception:  # the data is committed; a failed wake-up must not undo that
                log.exception("after-commit callback failed")

    @property
    def announcing(self) -> bool:
        """Whether the commit will store announcements (the projector tells other processes)."""
        return bool(self._announcements)

    async def rollback(self) -> None:
        await self.connection.rollback()

    async def project(self, batch: list[Activity]) -> list[Activity]:
        """Apply `batch` to every projection here; return what the projections derived.

        Only the projector's unit calls this; derived activities are applied in
        the same transaction (in rounds) and returned to be logged as applied.
        """
        if not self._projecting:
            raise RuntimeError("only the projector's unit of work applies projections")
        self._activities = list(batch)
        applied = await self._bus.apply(self, self._activities)
        return applied[len(batch) :]


class SqlUnitOfWorkFactory:
    """Open units of work: writes through the writer engine, reads through the reader."""

    def __init__(self, database: Database, bus: ActivityBus, clock: Clock) -> None:
        self.database = database
        self.bus = bus
        self._clock = clock
        self._repositories = registry.load()
        # Called after any commit that stored announcements: the deliverer wakes up.
        self.on_announce: list[Callable[[], None]] = []
        # SQLite: one writer, taken in turns; the projector's turn comes first.
        gate = self.gate = Gate() if database.is_sqlite else None
        # PostgreSQL: as many outermost units at once as the pool keeps connections.
        self.admission = Admission(database.pool_size) if gate is None else None
        self.projector = Projector(
            self,
            workers=1 if gate is not None else PG_PROJECTOR_CONNECTIONS,
            pace=PACE_SECONDS,
            # PostgreSQL: other processes' commits NOTIFY; SQLite has one writer process.
            listen=activity_listener(database.writer) if gate is None else None,
            listen_applied=applied_listener(database.writer) if gate is None else None,
            waker=Waker(connector(database.writer)) if gate is None else None,
        )
        self.projector.on_announce = self.on_announce  # announcements applied elsewhere
        bus.attach(self.projector)
        # Apply projections inside each command's transaction, as before the log
        # (the benchmark measures against it); off in production.
        self.inline = False
        # Wait for the projector after each commit, so a test reads derived state
        # (XP, boards) right after a command; off in production, where the
        # member's own reads wait instead (`ActivityBus.settle`).
        self.settle_after_commit = False

    def _writer_turn(self, read_only: bool, projecting: bool) -> AbstractAsyncContextManager[None]:
        if self.gate is None or read_only:
            return contextlib.nullcontext()
        return self.gate.turn(urgent=projecting)

    def _admitted(self, projecting: bool, quick: bool) -> AbstractAsyncContextManager[None]:
        # The projector has connections of its own and a fixed number of drains.
        if self.admission is None or projecting:
            return contextlib.nullcontext()
        return self.admission(urgent=quick)

    @asynccontextmanager
    async def __call__(
        self, read_only: bool = False, *, projecting: bool = False, quick: bool = False
    ) -> AsyncIterator[SqlUnitOfWork]:
        """A unit of work: writing, `read_only`, or the projector's (`projecting`).

        `quick` (with `read_only`): a member's own short read (`Database.quick`).
        """
        db = self.database
        if projecting:
            engine = db.projecting
        elif read_only:
            engine = db.quick if quick else db.reader
        else:
            engine = db.writer
        async with (
            self._writer_turn(read_only, projecting),
            self._admitted(projecting, quick and read_only),
            engine.connect() as conn,
        ):
            if quick and read_only and conn.dialect.name == "postgresql":
                # READ COMMITTED takes a snapshot per statement inside a transaction
                # too, so a member's read loses nothing outside one and saves BEGIN
                # and ROLLBACK: two of /leaderboard's six round trips.
                await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.begin()
            uow = SqlUnitOfWork(
                conn,
                self._repositories,
                self.bus,
                self._clock,
                read_only,
                on_announce=tuple(self.on_announce),
                projecting=projecting,
                inline=self.inline,
            )
            try:
                yield uow
            except DBAPIError as err:
                if err.connection_invalidated:
                    raise ConnectionLost() from err
                raise
            finally:
                if not uow.committed and conn.in_transaction() and not conn.invalidated:
                    await conn.rollback()
                # Activities an enrolment hook appended on this connection wake it too
                # (the set of members they name: a newcomer's first read waits for them).
                woken = None if conn.invalidated else conn.info.pop(activity_log.WAKE, None)
        if woken is not None and uow.committed:
            uow.logged = True
            uow.opened.update(woken)
        if uow.committed and self.database.checkpoints is not None:
            self.database.checkpoints.committed()
        # The connection is back in the pool (on SQLite: the one writer), so
        # the projector can take it.
        if uow.logged:
            self.projector.committed(uow.opened)
            if self.settle_after_commit:
                await self.projector.settle()
