"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.activity import Activity, ActivityBus
from domain.core.announcements import Announcement, OutboxRepository
from domain.core.clock import Clock
from storage import registry
from storage.engine import Database

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

    def get(self, interface: type[R]) -> R:
        instance = self._instances.get(interface)
        if instance is None:
            try:
                factory = self._factories[interface]
            except KeyError:
                raise LookupError(f"no storage implements {interface.__name__}") from None
            instance = self._instances[interface] = factory(self.connection)
        return instance  # type: ignore[no-any-return]

    def record(self, activity: Activity) -> None:
        self._activities.append(activity)

    def announce(self, announcement: Announcement) -> None:
        self._announcements.append(announcement)

    def after_commit(self, callback: Callable[[], Awaitable[None] | None]) -> None:
        """Run `callback` once the transaction is durable (wake a deliverer, say)."""
        self._after_commit.append(callback)

    async def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("this unit of work was opened read-only")
        await self._bus.apply(self, self._activities)
        # Repositories may hold back writes to rows every transaction shares
        # (a season's member count, an achievement's holders): written last,
        # in one fixed order, those rows stay locked only for the commit.
        for instance in sorted(self._instances.values(), key=lambda i: type(i).__name__):
            flush = getattr(instance, "before_commit", None)
            if flush is not None:
                await flush()
        if self._announcements:
            self._after_commit.extend(self._on_announce)
            await self.get(OutboxRepository).add(self._announcements, self._clock.now())
            self._announcements = []
        await self.connection.commit()
        self.committed = True
        for callback in self._after_commit:
            try:
                result = callback()
                if result is not None:
                    await result
            except Exception:  # the data is committed; a failed wake-up must not undo that
                log.exception("after-commit callback failed")

    async def rollback(self) -> None:
        await self.connection.rollback()


class SqlUnitOfWorkFactory:
    """Open units of work: writes through the writer engine, reads through the reader."""

    def __init__(self, database: Database, bus: ActivityBus, clock: Clock) -> None:
        self.database = database
        self.bus = bus
        self._clock = clock
        self._repositories = registry.load()
        # Called after any commit that stored announcements: the deliverer wakes up.
        self.on_announce: list[Callable[[], None]] = []

    @asynccontextmanager
    async def __call__(self, read_only: bool = False) -> AsyncIterator[SqlUnitOfWork]:
        engine = self.database.reader if read_only else self.database.writer
        async with engine.connect() as conn:
            await conn.begin()
            uow = SqlUnitOfWork(
                conn,
                self._repositories,
                self.bus,
                self._clock,
                read_only,
                on_announce=tuple(self.on_announce),
            )
            try:
                yield uow
            finally:
                if not uow.committed and conn.in_transaction():
                    await conn.rollback()
