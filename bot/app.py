"""The composition root: settings -> engine -> services -> cogs -> runner -> adapters.

Only this module puts the concrete pieces together; everything else receives
what it needs. `build_app` wires the domain and the cogs; `compose` wires a
`guildhall run` process on top of it: each configured platform adapter (the
modules in `PLATFORMS` offer one), its outbox deliverer, the web server and
the background runner (scheduler + outbox delivery). `bot/run.py`,
`bot/demo.py` and the CLI helpers all go through here.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import cogs
from bot.ai import build_chat_model
from bot.ai.prompts import load_prompts
from bot.dashboard import dashboard_apps
from bot.delivery import Deliverer
from bot.errors import ServiceFailed
from bot.metrics import MeteredDeliverer, MeteredRunner, Metrics, Observability
from bot.scheduler import Background, ConsoleDeliverer
from bot.scheduler.status import ScheduleStatusReader
from bot.settings import Settings
from bot.web import WebServer
from cogs.kit import CogContext, Registry, Runner
from domain.checkin import CheckinService
from domain.core.activity import ActivityBus
from domain.core.ai import ChatModel, UnconfiguredChatModel
from domain.core.clock import Clock, SystemClock
from domain.core.config import CommunityConfig
from domain.core.prompts import PromptBook
from domain.core.scheduling import ScheduleReader
from domain.dashboard import DashboardSite
from domain.identity import IdentityService
from domain.payments.gateway import PaymentGateway
from domain.points import PointsService
from storage import migrate
from storage.engine import Database, check_connection, create_database
from storage.uow import SqlUnitOfWorkFactory

if TYPE_CHECKING:
    from bot.projector_process import ProjectorProcess

log = logging.getLogger(__name__)
# Libraries that log request bodies or SQL parameters (an anonymous vote's
# confirmation beside the voter's id, names, DMs) are held at a level where they
# do not, whatever GUILDHALL_LOG_LEVEL says: no log line may tie a member to an
# anonymous vote. (SQLAlchemy's engine logger prints parameters from INFO on.)
PRIVATE_LOGGERS = {
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "discord": logging.INFO,
}
for _name, _level in PRIVATE_LOGGERS.items():
    logging.getLogger(_name).setLevel(_level)


class StartedClock:
    """A clock that starts at a chosen time and then runs at the wall clock's pace.

    `GUILDHALL_CLOCK` sets it, so a demo or a test process can live on any weekday.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("StartedClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


def clock_for(start: datetime | None) -> Clock:
    """The wall clock, or one started at `start` (the `GUILDHALL_CLOCK` setting)."""
    return SystemClock() if start is None else StartedClock(start)


@dataclass
class App:
    """A wired Guildhall: what adapters, the scheduler and tests drive."""

    config: CommunityConfig
    database: Database
    uow: SqlUnitOfWorkFactory
    registry: Registry
    runner: Runner
    ctx: CogContext
    clock: Clock
    metrics: Metrics

    async def close(self) -> None:
        await self.uow.projector.close()
        await self.database.dispose()


def build_context(
    config: CommunityConfig,
    uow: SqlUnitOfWorkFactory,
    clock: Clock,
    *,
    chat_model: ChatModel | None = None,
    prompts: PromptBook | None = None,
) -> CogContext:
    """Build the services every feature shares: identity, points, check-in, the AI and prompts."""
    points = PointsService(
        clock,
        max_gift=config.points.max_gift,
        daily_gift_quota=config.points.daily_gift_quota,
        expiry_days=config.points.expiry_days,
    )
    ctx = CogContext(
        config=config,
        clock=clock,
        uow=uow,
        bus=uow.bus,
        identity=IdentityService(clock, config.community.timezone, config.community.name),
        points=points,
        checkin=CheckinService(clock, points, config.points.checkin, config.streaks),
    )
    # The AI: without a model the AI features say they are not set up (bot.ai.build_chat_model).
    ctx.provide(ChatModel, chat_model or UnconfiguredChatModel())
    ctx.provide(PromptBook, prompts or load_prompts())
    return ctx


async def build_app(
    database_url: str,
    config: CommunityConfig,
    *,
    clock: Clock | None = None,
    upgrade: bool = True,
    pool_size: int = 10,
    payments: PaymentGateway | None = None,
    chat_model: ChatModel | None = None,
    prompts: PromptBook | None = None,
    features: tuple[str, ...] | None = None,
) -> App:
    """Open the database (migrating it unless told not to) and set up every feature.

    `chat_model` is the AI (`bot.ai.build_chat_model(settings)`); without one the
    AI features answer that they are not set up. `prompts` default to `prompts/`.
    `features` sets up only those (the benchmark's ablation); default: `cogs.FEATURES`.
    """
    clock = clock or SystemClock()
    database = create_database(database_url, pool_size=pool_size)
    if upgrade:
        await migrate.upgrade(database.writer)
    uow = SqlUnitOfWorkFactory(database, ActivityBus(), clock)
    ctx = build_context(config, uow, clock, chat_model=chat_model, prompts=prompts)
    if payments is not None:
        ctx.provide(PaymentGateway, payments)
    registry = cogs.load(Registry(), ctx, features or cogs.FEATURES)
    ctx.provide(ScheduleReader, ScheduleStatusReader(registry.jobs, config.community.timezone))
    metrics = Metrics()
    runner = MeteredRunner(registry, ctx, metrics=metrics)
    return App(config, database, uow, registry, runner, ctx, clock, metrics)


def commands_only(config: CommunityConfig, database_url: str) -> Registry:
    """Every feature's commands, set up without touching a database (CLI helpers).

    The engine connects lazily and setting up cogs only declares commands: no I/O.
    """
    clock = SystemClock()
    database = create_database(database_url)
    ctx = build_context(config, SqlUnitOfWorkFactory(database, ActivityBus(), clock), clock)
    return cogs.load(Registry(), ctx)


def console_background(app: App, write: Callable[[str], None] = print) -> Background:
    """The console's scheduler and deliverer: announcements are printed."""
    return Background(app, [ConsoleDeliverer(write)])


# -- the one composer of running processes --------------------------------------------------


@dataclass
class Service:
    """One platform adapter as `guildhall run` drives it.

    `serve` runs until cancelled (None: the adapter only contributes web routes),
    `stop` stops accepting and finishes every acknowledged piece of work.
    """

    name: str
    deliverer: Deliverer
    serve: Callable[[], Coroutine[Any, Any, None]] | None
    stop: Callable[[], Coroutine[Any, Any, None]]


# Platform modules that can contribute a Service: `service(app, settings, web) -> Service | None`.
PLATFORMS: tuple[str, ...] = ("bot.discord.run", "bot.slack.run")


def payments_gateway(settings: Settings, config: CommunityConfig) -> PaymentGateway | None:
    """The Stripe gateway when STRIPE_API_KEY is set (imports stripe only then)."""
    from bot.payments.setup import gateway_from

    return gateway_from(settings, config)


async def open_app(
    settings: Settings, config: CommunityConfig, *, clock: Clock | None = None
) -> App:
    """The App for these settings (its clock from `GUILDHALL_CLOCK` unless given).

    Raises:
        DatabaseUrlError, DatabaseUnavailable: one line saying what is wrong.
    """
    database = create_database(settings.database_url, pool_size=2)
    try:
        await check_connection(database)
    finally:
        await database.dispose()
    return await build_app(
        settings.database_url,
        config,
        clock=clock or clock_for(settings.clock_start),
        pool_size=settings.db_pool_size,
        chat_model=build_chat_model(settings),
        payments=payments_gateway(settings, config),
    )


@dataclass
class Guildhall:
    """A composed `guildhall run`: the app, its adapters, their deliverers, web, background."""

    app: App
    settings: Settings
    services: list[Service]
    web: WebServer
    background: Background
    clean: bool = True  # False when shutting down ran out of time
    projecting: ProjectorProcess | None = None  # `guildhall project` beside this one

    async def serve(self, stop: asyncio.Event | None = None) -> int:
        """Run every service until one ends or `stop` is set; then shut down in order.

        The web server starts first, so a port already taken fails before any
        platform connects.
        """
        stop = stop or asyncio.Event()
        await self.web.start()
        tasks: list[asyncio.Task[None]] = [
            asyncio.create_task(s.serve(), name=f"serve-{s.name}")
            for s in self.services
            if s.serve is not None
        ]
        stopping = asyncio.create_task(stop.wait(), name="stop")
        try:
            await self._start_projector()
            await self.background.start()
            exit_code = 0
            waiting: set[asyncio.Task[Any]] = {*tasks, stopping}
            while stopping in waiting and not exit_code:  # a service may end without error
                done, waiting = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task is stopping or task.cancelled():
                        continue
                    err = task.exception()
                    if isinstance(err, ServiceFailed):
                        self.clean = False
                        exit_code = err.code
                        break
                    if err is not None:
                        raise err
            log.info("stopping: finishing acknowledged work")
        finally:
            stopping.cancel()
            await self._shutdown(tasks)
        return exit_code or (0 if self.clean else 1)

    async def _start_projector(self) -> None:
        """PostgreSQL with GUILDHALL_PROJECTOR_PROCESS: apply the log in a process of its own.

        If it does not start, this process applies its activities itself, as without.
        """
        if not self.settings.projector_process:
            return
        if self.app.database.is_sqlite:
            log.warning("GUILDHALL_PROJECTOR_PROCESS needs PostgreSQL; SQLite's projector stays")
            return
        from bot.projector_process import ProjectorProcess  # it composes an App itself

        self.projecting = ProjectorProcess.for_settings(self.settings)
        try:
            await self.projecting.start()
        except TimeoutError:
            log.error("the projector process did not start: applying activities here")
            await self.projecting.stop(grace=1.0)
            self.projecting = None
            return
        self.app.uow.projector.elsewhere = True

    async def _shutdown(self, tasks: list[asyncio.Task[None]]) -> None:
        """Stop accepting, finish what was acknowledged, then stop the background runner.

        Web first, then each platform finishing what it acknowledged, then the
        background runner (its delivery pass, then the scheduler lease), all within
        `GUILDHALL_SHUTDOWN_SECONDS`.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.shutdown_seconds
        try:
            async with asyncio.timeout_at(deadline):
                await self.web.stop()
                for service in self.services:
                    try:
                        await service.stop()
                    except Exception:
                        log.exception("%s did not stop cleanly", service.name)
        except TimeoutError:
            self.clean = False
            log.error(
                "acknowledged work still running after %.0f s (GUILDHALL_SHUTDOWN_SECONDS):"
                " stopping anyway",
                self.settings.shutdown_seconds,
            )
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.background.stop(grace=max(min(deadline - loop.time(), 5.0), 0.1))
        if self.projecting is not None:  # last: it applies what the platforms committed
            await self.projecting.stop()
        log.info("stopped%s", "" if self.clean else " (not cleanly)")


async def compose(
    settings: Settings, config: CommunityConfig, *, clock: Clock | None = None
) -> Guildhall:
    """Wire `guildhall run`: every configured platform, its deliverer, web and background."""
    app = await open_app(settings, config, clock=clock)
    try:
        web = WebServer(
            settings.http_host, settings.http_port, shutdown_seconds=settings.shutdown_seconds / 2
        )
        services: list[Service] = []
        for name in PLATFORMS:
            module = importlib.import_module(name)
            found = module.service(app, settings, web)
            if found is not None:
                services.append(found)
        background = Background(app, [MeteredDeliverer(s.deliverer, app.metrics) for s in services])
        background.scheduler.observe = app.metrics.job_ran
        web.add(Observability(app, background).routes())
        # The moderators' dashboard and the public pages, on the same HTTP surface.
        web.mount(dashboard_apps(app))
        from bot.events_http import ical_routes  # it types its handlers with App
        from bot.payments.setup import webhook_for

        web.add(ical_routes(app))  # /ical/<token>.ics: members' calendar feeds
        if settings.stripe_webhook_secret is not None:
            web.add(webhook_for(app, settings))  # POST /stripe/webhook
        app.ctx.provide(DashboardSite, DashboardSite(settings.public_base_url))
    except BaseException:
        await app.close()
        raise
    return Guildhall(app, settings, services, web, background)
