"""The analytics roll-up job."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from cogs.kit import CogContext, Cron, Job
from domain.analytics import AnalyticsService
from domain.notifications import NotificationRepository

log = logging.getLogger(__name__)


def roll_up_job(ctx: CogContext, service: AnalyticsService) -> Job:
    """Hourly: roll up today and yesterday (still changing) and any missing day of the last 90."""

    async def roll_up(now: datetime) -> None:
        async with ctx.uow(read_only=True) as uow:
            communities = await uow.get(NotificationRepository).communities()
        for community in communities:
            async with ctx.uow(read_only=True) as uow:
                days = await service.days_to_roll_up(uow, community, now)
            # The grouping reads run on a reader; the single writer (SQLite) is held
            # only for the short writes of each day.
            for day in days:
                async with ctx.uow(read_only=True) as uow:
                    rows = await service.member_days(uow, community, day)
                async with ctx.uow() as uow:
                    await service.store_day(uow, community, day, rows)
                    await uow.commit()
            async with ctx.uow(read_only=True) as uow:
                windows = await service.windows(uow, community, now)
            async with ctx.uow() as uow:
                await service.store_windows(uow, community, windows)
                await uow.commit()
            log.info("analytics: rolled up %d days for community %s", len(days), community.id)

    return Job(
        "analytics.roll_up",
        Cron(minute="7"),
        roll_up,
        grace=timedelta(hours=1),
        description="roll up member activity into the dashboard's daily numbers",
    )
