"""The marketplace's deadlines: durable timers swept once a minute."""

from __future__ import annotations

from datetime import datetime

from cogs.kit import Reply, Tone
from cogs.kit.command import JobHandler
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from cogs.market import cards
from domain.core.announcements import Announcement, Target
from domain.core.ids import MemberId
from domain.core.timers import Timer, sweep
from domain.core.uow import UnitOfWork, UnitOfWorkFactory
from domain.market import ACCEPT_DUE, CONFIRM_DUE, MarketService, Order
from domain.market.config import MarketSection


def _dm(uow: UnitOfWork, order: Order, to: int, event: str, words: str) -> None:
    reply = Reply(text=words, tone=Tone.INFO)
    uow.announce(
        Announcement(
            community_id=order.community_id,
            kind="market.dm",
            dedupe_key=f"market:order:{order.id}:{event}:{to}",
            payload=reply.to_dict(),
            target=Target.DM,
            member_id=MemberId(to),
        )
    )


def deadlines(uow: UnitOfWorkFactory, service: MarketService, cfg: MarketSection) -> JobHandler:
    """The job handler: refund unanswered orders, release unconfirmed deliveries."""

    async def on_accept_due(work: UnitOfWork, timer: Timer) -> None:
        order = await service.expire(work, timer)
        if order is None:
            return  # answered, disputed or declined meanwhile
        price = bold_points(order.price)
        _dm(
            work,
            order,
            order.buyer_id,
            "expired",
            text("market.expired_dm", id=order.id, title=order.title, price=price),
        )
        _dm(
            work,
            order,
            order.seller_id,
            "expired",
            text("market.expired_seller_dm", id=order.id, title=order.title),
        )

    async def on_confirm_due(work: UnitOfWork, timer: Timer) -> None:
        order = await service.auto_release(work, timer)
        if order is None:
            return  # confirmed or disputed meanwhile
        words = text(
            "market.auto_released_dm",
            id=order.id,
            title=order.title,
            paid=cards.paid(order.price, cfg.fee_percent),
        )
        for party in (order.buyer_id, order.seller_id):
            _dm(work, order, party, "auto_released", words)

    async def run(now: datetime) -> None:
        await sweep(uow, ACCEPT_DUE, now, on_accept_due)
        await sweep(uow, CONFIRM_DUE, now, on_confirm_due)

    return run
