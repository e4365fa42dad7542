"""What battles queue in the outbox: channel posts, DMs, reveals and results.

Every post is keyed once per battle and kind (`dedupe_key`), so a retried
command, a timer that fires twice or a judge verdict applied by a second
runner never posts twice.
"""

from __future__ import annotations

from typing import Any

from cogs.battles import cards
from cogs.kit import CogContext, Reply
from domain.battles import Battle, Method, Status
from domain.battles.repository import battles
from domain.core.announcements import Announcement, Target
from domain.core.uow import UnitOfWork


async def names_of(uow: UnitOfWork, battle: Battle) -> cards.Names:
    """Look up the display names of the battle's fighters (and its canceller), for its cards."""
    extra = () if battle.cancelled_by is None else (battle.cancelled_by,)
    return await battles(uow).names((*battle.fighters(), *extra))


def post(uow: UnitOfWork, battle: Battle, kind: str, reply: Reply, **where: Any) -> None:
    """Queue a message for the community (or a DM) in the outbox, once per battle and kind."""
    uow.announce(
        Announcement(
            community_id=battle.community_id,
            kind=f"battle.{kind}",
            dedupe_key=f"battle:{battle.id}:{kind}",
            payload=reply.to_dict(),
            target=where.pop("target", Target.CHANNEL),
            channel_kind="battles",
            **where,
        )
    )


async def announce_outcome(ctx: CogContext, uow: UnitOfWork, battle: Battle) -> None:
    """Queue what the community should see after a timer or the judge moved a battle."""
    cfg = ctx.config.battles
    repo = battles(uow)
    names = await names_of(uow, battle)
    if battle.status in (Status.VOTING, Status.JUDGING):
        entries = await repo.entries(battle.id)
        post(uow, battle, f"reveal:{battle.status}", cards.reveal(battle, entries))
    elif battle.status in (Status.EXPIRED, Status.DECLINED):
        post(uow, battle, "result", cards.fell_through(battle))
    else:
        tally = await repo.tally(battle.id) if battle.status is Status.FINISHED else None
        if battle.method not in (Method.VOTE, Method.NO_QUORUM):
            tally = None
        post(uow, battle, "result", cards.result(battle, names, cfg, tally))
