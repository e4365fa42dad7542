"""Scheduled work of proposals: closing them at their deadline."""

from __future__ import annotations

import logging
from datetime import datetime

from cogs.kit import CogContext
from cogs.proposals import announce
from domain.proposals import NotActiveError, ProposalId, ProposalRepository, ProposalService

log = logging.getLogger(__name__)

SWEEP_BATCH = 50


async def close_due(ctx: CogContext, now: datetime) -> None:
    """Close every active proposal whose deadline has passed (idempotent, restart-safe).

    Each proposal closes in its own transaction, guarded by a conditional
    UPDATE on its status, so two schedulers or a moderator racing the sweep
    close it once; a failure is logged and the others still close.
    """
    service = ctx.need(ProposalService)
    failed: set[ProposalId] = set()
    while True:
        async with ctx.uow(read_only=True) as uow:
            due = await uow.get(ProposalRepository).due(now, SWEEP_BATCH + len(failed))
        due = [d for d in due if d[1] not in failed]
        if not due:
            return
        for community_id, pid in due:
            try:
                async with ctx.uow() as uow:
                    closed = await service.close(uow, community_id, pid, at=now)
                    await announce.publish_closed(uow, ctx.config.proposals, closed)
                    await uow.commit()
            except NotActiveError:
                continue  # closed meanwhile by a moderator or another process
            except Exception:
                failed.add(pid)
                log.exception("could not close proposal %s at its deadline", pid)
                continue
            log.info("proposal %s closed at its deadline: %s", pid, closed.proposal.status)
