"""The scheduler and the deliverer together, as `guildhall run` and the console start them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.delivery import Deliverer
from bot.scheduler.jobs import JobScheduler
from bot.scheduler.outbox import OutboxDeliverer

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


class Background:
    """One process's scheduler (runs jobs if elected) and outbox deliverer (always)."""

    def __init__(
        self, app: App, deliverers: Iterable[Deliverer] = (), *, holder: str | None = None
    ) -> None:
        config = app.config
        self.scheduler = JobScheduler(
            app.uow,
            app.registry.jobs,
            app.clock,
            timezone=config.community.timezone,
            lease_seconds=config.schedule.lease_seconds,
            holder=holder,
        )
        self.delivery = OutboxDeliverer(
            app.uow, config, app.clock, deliverers, worker=self.scheduler.holder
        )
        self._uow = app.uow
        self._task: asyncio.Task[None] | None = None

    def register(self, deliverer: Deliverer) -> None:
        """Platform adapters call this with their `Deliverer` (before or after start)."""
        self.delivery.register(deliverer)

    async def start(self, *, deliver_loop: bool = True) -> None:
        """Start APScheduler and (unless told not to) the delivery loop in this event loop."""
        self.scheduler.start()
        self._uow.projector.watch()  # other processes' activities, and the start-up backlog
        if deliver_loop:
            self._uow.on_announce.append(self.delivery.wake)
            self._task = asyncio.create_task(self.delivery.run_forever(), name="outbox-delivery")

    async def tick(self) -> None:
        """Do in step what the timers would do: renew the lease, run due jobs, deliver."""
        await self.scheduler.heartbeat()
        await self.scheduler.run_due()
        await self.delivery.drain()

    async def stop(self, grace: float = 5.0) -> None:
        """Let the delivery pass in progress finish (up to `grace` s), then release the lease.

        Cancelling a send midway could post a message and lose the record of it.
        """
        with contextlib.suppress(ValueError, AttributeError):
            self._uow.on_announce.remove(self.delivery.wake)
        self.delivery.stop()
        if self._task is not None:
            task, self._task = self._task, None
            try:
                await asyncio.wait_for(asyncio.shield(task), grace)
            except TimeoutError:
                log.warning("outbox delivery still busy after %.0f s: stopping it", grace)
            except Exception:
                log.exception("outbox delivery loop failed while stopping")
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.scheduler.stop()
        await self._uow.projector.unwatch()


async def start_background(app: App, deliverers: Iterable[Deliverer] = ()) -> Background:
    """Start the scheduler and deliverer for `app`; adapters may `register()` later."""
    background = Background(app, deliverers)
    await background.start()
    return background
