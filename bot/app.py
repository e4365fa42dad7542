"""The composition root: settings -> engine -> services -> cogs -> runner.

Only this module puts the concrete pieces together; everything else receives
what it needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cogs
from bot.ai.prompts import load_prompts
from bot.scheduler.status import ScheduleStatusReader
from cogs.kit import CogContext, Registry, Runner
from domain.checkin import CheckinService
from domain.core.activity import ActivityBus
from domain.core.ai import ChatModel, UnconfiguredChatModel
from domain.core.clock import Clock, SystemClock
from domain.core.config import CommunityConfig
from domain.core.prompts import PromptBook
from domain.core.scheduling import ScheduleReader
from domain.identity import IdentityService
from domain.points import PointsService
from storage import migrate
from storage.engine import Database, create_database
from storage.uow import SqlUnitOfWorkFactory

log = logging.getLogger(__name__)


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

    async def close(self) -> None:
        await self.database.dispose()


def build_context(config: CommunityConfig, uow: SqlUnitOfWorkFactory, clock: Clock) -> CogContext:
    points = PointsService(
        clock,
        max_gift=config.points.max_gift,
        daily_gift_quota=config.points.daily_gift_quota,
        expiry_days=config.points.expiry_days,
    )
    return CogContext(
        config=config,
        clock=clock,
        uow=uow,
        bus=uow.bus,
        identity=IdentityService(clock, config.community.timezone, config.community.name),
        points=points,
        checkin=CheckinService(clock, points, config.points.checkin, config.streaks),
    )


async def build_app(
    database_url: str,
    config: CommunityConfig,
    *,
    clock: Clock | None = None,
    upgrade: bool = True,
    pool_size: int = 10,
    chat_model: ChatModel | None = None,
    prompts: PromptBook | None = None,
) -> App:
    """Open the database (migrating it unless told not to) and set up every feature.

    `chat_model` is the AI (`bot.ai.build_chat_model(settings)`); without one the
    AI features answer that they are not set up. `prompts` default to `prompts/`.
    """
    clock = clock or SystemClock()
    database = create_database(database_url, pool_size=pool_size)
    if upgrade:
        await migrate.upgrade(database.writer)
    uow = SqlUnitOfWorkFactory(database, ActivityBus(), clock)
    ctx = build_context(config, uow, clock)
    # A Protocol is the lookup key here, as for the repositories (mypy wants a concrete class).
    ctx.provide(ChatModel, chat_model or UnconfiguredChatModel())  # type: ignore[type-abstract]
    ctx.provide(PromptBook, prompts or load_prompts())
    registry = cogs.load(Registry(), ctx)
    ctx.provide(ScheduleReader, ScheduleStatusReader(registry.jobs, config.community.timezone))
    runner = Runner(registry, ctx)
    return App(config, database, uow, registry, runner, ctx, clock)
