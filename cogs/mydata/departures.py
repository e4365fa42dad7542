"""A member left a platform: apply `[mydata] on_member_left` (the adapters call this)."""

from __future__ import annotations

import logging

from cogs.kit import CogContext
from domain.identity import Platform
from domain.mydata import MyDataService

log = logging.getLogger(__name__)


async def member_left(ctx: CogContext, platform: Platform, workspace_id: str, user_id: str) -> str:
    """Keep or erase the data of an account whose platform says it left; say which.

    Called from Discord's GUILD_MEMBER_REMOVE and Slack's `user_change` with
    `deleted`. With the default "keep" nothing is read or written, so a
    community that did not opt in pays nothing for every departure.
    """
    policy = ctx.config.mydata.on_member_left
    service = ctx.maybe(MyDataService)
    if policy == "keep" or service is None:
        return "kept"
    async with ctx.uow() as uow:
        done = await service.member_left(uow, platform, workspace_id, user_id, policy)
        await uow.commit()
    log.info("member left %s %s: %s", platform, workspace_id, done)
    return done
