"""The unit of work: one transaction, its repositories, and what it publishes."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

from domain.core.activity import Activity

R = TypeVar("R")


class UnitOfWork(Protocol):
    """One transaction. Nothing is kept unless `commit()` is called.

    Repositories are looked up by the interface a feature declares in `domain`
    (`uow.get(LedgerRepository)`), so a new feature adds its own repository
    without touching this class.
    """

    def get(self, interface: type[R]) -> R: ...

    def record(self, activity: Activity) -> None: ...

    def announce(self, announcement: Any) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class ConnectionLost(Exception):
    """The database connection dropped during a unit of work, which was rolled back.

    Nothing of the unit was kept, so the runner retries the whole command once
    (its idempotency key makes a retry after an unseen commit a replay).
    """


UnitOfWorkFactory = Callable[..., AbstractAsyncContextManager[UnitOfWork]]
"""`uow_factory()` opens a writing unit; `uow_factory(read_only=True)` a reading one
(`quick=True` too: a member's own short read, run where it waits least)."""
