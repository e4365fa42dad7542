"""Prometheus metrics and the health check of a running Guildhall.

Each App owns a `Metrics` (its own `CollectorRegistry`, so two apps in one
test process never share counters). Commands are counted by a `MeteredRunner`,
deliveries by wrapping each platform's deliverer, job runs by the scheduler's
`observe` hook; the backlog, the lease and the pool are read at scrape time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func, select, text

from bot.delivery import CannotDeliver, Deliverer, Delivery, RetryLater
from cogs.kit import Reply, Runner, Tone
from cogs.kit.invocation import Invocation
from storage.outbox import OutboxRow
from storage.scheduling import SchedulerLeaseRow

if TYPE_CHECKING:
    from bot.app import App
    from bot.scheduler import Background
    from bot.web import Route

log = logging.getLogger(__name__)
HEALTH_TIMEOUT_SECONDS = 2.0


class Metrics:
    """The counters, histograms and gauges `/metrics` exposes."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.commands = Counter(
            "guildhall_commands",
            "Commands, buttons and reactions handled, by outcome (ok, refused, error)",
            ["command", "platform", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "guildhall_command_seconds",
            "Time to handle a command, button or reaction",
            ["command", "platform"],
            registry=r,
        )
        self.deliveries = Counter(
            "guildhall_deliveries",
            "Announcements sent to a platform, by outcome (sent, retry, failed, error)",
            ["platform", "outcome"],
            registry=r,
        )
        self.job_runs = Counter(
            "guildhall_job_runs",
            "Scheduled job runs by outcome (ok, error, skipped)",
            ["job", "outcome"],
            registry=r,
        )
        self.outbox_pending = Gauge(
            "guildhall_outbox_pending", "Announcements waiting to be delivered", registry=r
        )
        self.outbox_oldest = Gauge(
            "guildhall_outbox_oldest_pending_seconds",
            "Age of the oldest announcement waiting to be delivered",
            registry=r,
        )
        self.leader = Gauge(
            "guildhall_scheduler_leader", "1 when this process runs the jobs", registry=r
        )
        self.pool_in_use = Gauge(
            "guildhall_db_pool_in_use", "Database connections checked out", registry=r
        )

    def job_ran(self, job: str, outcome: str) -> None:
        self.job_runs.labels(job, outcome).inc()


class MeteredRunner(Runner):
    """The runner, counting each invocation's outcome and latency."""

    def __init__(self, *args: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics

    async def dispatch(self, inv: Invocation) -> Reply | None:
        started = time.perf_counter()
        errors = self.unhandled_errors
        reply = await super().dispatch(inv)
        name, platform = self._label(inv), str(inv.actor.platform)
        if self.unhandled_errors > errors:
            outcome = "error"
        elif reply is not None and reply.tone is Tone.ERROR:
            outcome = "refused"
        else:
            outcome = "ok"
        self.metrics.commands.labels(name, platform, outcome).inc()
        self.metrics.latency.labels(name, platform).observe(time.perf_counter() - started)
        return reply

    def _label(self, inv: Invocation) -> str:
        """A bounded label: a registered command or action name, never raw input."""
        if inv.command is not None:
            return inv.command if self.registry.command(inv.command) is not None else "unknown"
        if inv.action_id is not None:
            action, _ = self.registry.action(inv.action_id)
            return action.name if action is not None else "unknown"
        return "reaction"


class MeteredDeliverer:
    """A platform's deliverer, counting what happened to each delivery."""

    def __init__(self, inner: Deliverer, metrics: Metrics) -> None:
        self.inner = inner
        self.platform = inner.platform
        self._metrics = metrics

    async def deliver(self, delivery: Delivery) -> str | None:
        outcome = "error"
        try:
            posted = await self.inner.deliver(delivery)
            outcome = "sent"
            return posted
        except RetryLater:
            outcome = "retry"
            raise
        except CannotDeliver:
            outcome = "failed"
            raise
        finally:
            self._metrics.deliveries.labels(str(self.platform), outcome).inc()


class Observability:
    """`/healthz` and `/metrics` for one running process."""

    def __init__(
        self, app: App, background: Background, *, timeout: float = HEALTH_TIMEOUT_SECONDS
    ) -> None:
        self.app = app
        self.background = background
        self.timeout = timeout  # how long the database may take to answer a check

    def routes(self) -> list[Route]:
        return [("GET", "/healthz", self.healthz), ("GET", "/metrics", self.metrics)]

    async def healthz(self, _: web.Request) -> web.Response:
        """200 when the database answers, 503 when not; with the scheduler lease's age."""
        body: dict[str, Any] = {"ok": True, "database": "reachable"}
        try:
            async with asyncio.timeout(self.timeout):
                lease = await self._lease()
        except Exception as err:  # any failure to reach it is "not reachable"
            log.warning("health check: database not reachable: %s", type(err).__name__)
            body = {"ok": False, "database": f"unreachable ({type(err).__name__})"}
            lease = None
        scheduler = self.background.scheduler
        body["scheduler"] = {"leader": scheduler.is_leader, "holder": scheduler.holder}
        if lease is not None:
            holder, renewed = lease
            age = (self.app.clock.now() - renewed).total_seconds()
            body["scheduler"] |= {"lease_holder": holder, "lease_age_seconds": round(age, 1)}
        return web.json_response(body, status=200 if body["ok"] else 503)

    async def metrics(self, _: web.Request) -> web.Response:
        """The Prometheus text format, with gauges read now."""
        m = self.app.metrics
        m.leader.set(1 if self.background.scheduler.is_leader else 0)
        m.pool_in_use.set(_checked_out(self.app))
        try:
            async with asyncio.timeout(self.timeout):
                pending, oldest = await self._backlog()
            m.outbox_pending.set(pending)
            age = (self.app.clock.now() - oldest).total_seconds() if oldest else 0.0
            m.outbox_oldest.set(max(age, 0.0))
        except Exception as err:
            log.warning("metrics: outbox backlog not readable: %s", type(err).__name__)
        return web.Response(
            body=generate_latest(m.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def _lease(self) -> tuple[str, datetime] | None:
        async with self.app.database.reader.connect() as conn:
            await conn.execute(text("SELECT 1"))
            row = (
                await conn.execute(select(SchedulerLeaseRow.holder, SchedulerLeaseRow.renewed_at))
            ).first()
        return (row[0], row[1]) if row is not None else None

    async def _backlog(self) -> tuple[int, datetime | None]:
        async with self.app.database.reader.connect() as conn:
            row = (
                await conn.execute(
                    select(func.count(), func.min(OutboxRow.not_before)).where(
                        OutboxRow.status == "pending"
                    )
                )
            ).one()
        return int(row[0]), row[1]


def _checked_out(app: App) -> int:
    """Connections in use across the writer and reader pools (0 for pools without a count)."""
    engines = {id(e): e for e in (app.database.writer, app.database.reader)}.values()
    total = 0
    for engine in engines:
        checkedout = getattr(engine.sync_engine.pool, "checkedout", None)
        if callable(checkedout):
            total += int(checkedout())
    return total
