"""Scheduled work of quests: Monday's rotation of weekly challenges."""

from __future__ import annotations

from datetime import datetime

from cogs.kit import CogContext
from cogs.quests import cards
from domain.core.announcements import Announcement
from domain.identity import IdentityRepository
from domain.quests import QuestRepository, QuestService
from domain.quests.schedule import week_window


async def rotate(ctx: CogContext, now: datetime) -> None:
    """Monday morning: open this week's challenges in every community, once."""
    section = ctx.config.quests
    service = ctx.need(QuestService)
    if section.rotation_per_week == 0 or not section.rotation:
        return
    async with ctx.uow(read_only=True) as uow:
        community_ids = await uow.get(QuestRepository).community_ids()
    for community_id in community_ids:
        async with ctx.uow() as uow:
            community = await uow.get(IdentityRepository).get_community(community_id)
            if community is None:  # pragma: no cover - listed a moment ago
                continue
            if week_window(now, community.timezone)[2] <= ctx.clock.now():
                continue  # that week is over (caught up after a long stop)
            opened = await service.rotate(
                uow, community, now, section.rotation, section.rotation_per_week
            )
            if opened:
                week = week_window(now, community.timezone)[0]
                uow.announce(
                    Announcement(
                        community_id=community.id,
                        kind="quests",
                        dedupe_key=f"quests:rotation:{community.id}:{week}",
                        payload=cards.render_rotation(opened, now).to_dict(),
                        channel_kind="announcements",
                    )
                )
            await uow.commit()
