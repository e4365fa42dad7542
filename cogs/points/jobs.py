"""Scheduled work of points: expiring credits past their date."""

from __future__ import annotations

import logging
from datetime import datetime

from cogs.kit import CogContext
from domain.points import LedgerRepository

log = logging.getLogger(__name__)

EXPIRY_BATCH = 200


async def expire_credits(ctx: CogContext, now: datetime) -> None:
    """Expire credits past their date, one member per transaction."""
    expired = 0
    for _ in range(10_000):  # bounded: every pass marks what it processed
        async with ctx.uow(read_only=True) as uow:
            due = await uow.get(LedgerRepository).members_with_due_expiry(now, EXPIRY_BATCH)
        if not due:
            break
        for member_id in due:
            async with ctx.uow() as uow:
                expired += await ctx.points.expire_due(uow, member_id, now)
                await uow.commit()
    if expired:
        log.info("expired %d points", expired)
