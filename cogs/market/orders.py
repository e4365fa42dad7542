"""Handlers of the order steps: buy, accept/decline, delivered, confirm, dispute, rule, rate."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.kit import Call, Reply, Tone, mention_token
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from cogs.market import cards
from cogs.market.commands import addressed, arg, config_of, order_dm, out_of_date, people_of
from domain.core.announcements import Announcement, Target
from domain.market import Catalog, Decision, ListingId, MarketService, OrderId

# -- orders ---------------------------------------------------------------------


async def _buy(call: Call, listing_id: int, note: str | None) -> Reply:
    service = call.ctx.need(MarketService)
    order = await service.buy(
        call.uow, call.member, ListingId(listing_id), note=note, key=call.inv.key
    )
    cfg = config_of(call)
    await order_dm(
        call, order, order.seller_id, "placed", cards.new_order_dm(order, cfg.accept_days)
    )
    reply = Reply(
        text=text(
            "market.ordered",
            id=order.id,
            price=bold_points(order.price),
            seller=mention_token(order.seller_id),
            days=cards.days(cfg.accept_days),
        ),
        tone=Tone.SUCCESS,
        ephemeral=True,
    )
    return await addressed(call, reply, order.seller_id)


@dataclass(frozen=True, slots=True)
class BuyOptions:
    """Options of /market buy."""

    id: int
    note: str | None


async def buy(call: Call, o: BuyOptions) -> Reply:
    """Handle /market buy: order a listing, holding its price in escrow, and DM the seller."""
    return await _buy(call, o.id, o.note)


async def buy_button(call: Call) -> Reply:
    """Order a listing from its Buy button."""
    return await _buy(call, arg(call), None)


@dataclass(frozen=True, slots=True)
class OrderOptions:
    """Options of a command about one order."""

    order: int


async def show_order(call: Call, o: OrderOptions) -> Reply:
    """Handle /market order: an order as the caller sees it; moderators may see any."""
    service = call.ctx.need(MarketService)
    order_id = OrderId(o.order)
    if call.is_moderator:
        order = await service.order_for_moderator(call.uow, call.member, order_id)
    else:
        order = await service.order(call.uow, call.member, order_id)
    reply = cards.order(order, call.member.id)
    return await addressed(call, reply, order.buyer_id, order.seller_id, order.decided_by)


async def _accept(call: Call, order_id: int) -> Reply:
    order = await call.ctx.need(MarketService).accept(call.uow, call.member, OrderId(order_id))
    await order_dm(
        call,
        order,
        order.buyer_id,
        "accepted",
        Reply(
            text=text(
                "market.accepted_dm",
                seller=mention_token(order.seller_id),
                id=order.id,
                title=order.title,
            )
        ),
    )
    return Reply(text=text("market.accepted", id=order.id), tone=Tone.SUCCESS)


async def accept(call: Call, o: OrderOptions) -> Reply:
    """Handle /market accept: the seller takes an order, and the buyer is told by DM."""
    return await _accept(call, o.order)


async def accept_button(call: Call) -> Reply:
    """Accept an order from the Accept button of the seller's DM."""
    return await _accept(call, arg(call))


async def _decline(call: Call, order_id: int) -> Reply:
    order = await call.ctx.need(MarketService).decline(call.uow, call.member, OrderId(order_id))
    price = bold_points(order.price)
    dm = text(
        "market.declined_dm",
        seller=mention_token(order.seller_id),
        id=order.id,
        title=order.title,
        price=price,
    )
    await order_dm(call, order, order.buyer_id, "declined", Reply(text=dm))
    return Reply(text=text("market.declined", id=order.id, price=price), tone=Tone.SUCCESS)


async def decline(call: Call, o: OrderOptions) -> Reply:
    """Handle /market decline: the seller turns an order down and the buyer gets a DM."""
    return await _decline(call, o.order)


async def decline_button(call: Call) -> Reply:
    """Decline an order from the Decline button of the seller's DM."""
    return await _decline(call, arg(call))


async def _delivered(call: Call, order_id: int) -> Reply:
    service = call.ctx.need(MarketService)
    order = await service.delivered(call.uow, call.member, OrderId(order_id))
    confirm_days = cards.days(config_of(call).confirm_days)
    dm = Reply(
        text=text(
            "market.delivered_dm",
            seller=mention_token(order.seller_id),
            id=order.id,
            title=order.title,
            days=confirm_days,
        ),
        buttons=cards.order(order, order.buyer_id).buttons,
        footer=text("market.dispute_hint", id=order.id),
    )
    await order_dm(call, order, order.buyer_id, "delivered", dm)
    return Reply(text=text("market.delivered", id=order.id, days=confirm_days), tone=Tone.SUCCESS)


async def delivered(call: Call, o: OrderOptions) -> Reply:
    """Handle /market delivered: the seller marks an order delivered; the buyer confirms."""
    return await _delivered(call, o.order)


async def delivered_button(call: Call) -> Reply:
    """Mark an order delivered from its Delivered button."""
    return await _delivered(call, arg(call))


async def _confirm(call: Call, order_id: int) -> Reply:
    order = await call.ctx.need(MarketService).confirm(call.uow, call.member, OrderId(order_id))
    paid = cards.paid(order.price, config_of(call).fee_percent)
    dm = text(
        "market.confirmed_dm",
        buyer=mention_token(order.buyer_id),
        id=order.id,
        title=order.title,
        paid=paid,
    )
    await order_dm(call, order, order.seller_id, "completed", Reply(text=dm, tone=Tone.SUCCESS))
    reply = Reply(
        text=text(
            "market.confirmed", id=order.id, paid=paid, seller=mention_token(order.seller_id)
        ),
        tone=Tone.SUCCESS,
    )
    return await addressed(call, reply, order.seller_id)


async def confirm(call: Call, o: OrderOptions) -> Reply:
    """Handle /market confirm: the buyer confirms, releasing the escrow to the seller."""
    return await _confirm(call, o.order)


async def confirm_button(call: Call) -> Reply:
    """Confirm an order from its Confirm button."""
    return await _confirm(call, arg(call))


@dataclass(frozen=True, slots=True)
class DisputeOptions:
    """Options of /market dispute."""

    order: int
    reason: str


async def dispute(call: Call, o: DisputeOptions) -> Reply:
    """Handle /market dispute: post the order to the moderators' channel and DM the seller."""
    service = call.ctx.need(MarketService)
    order = await service.dispute(call.uow, call.member, OrderId(o.order), o.reason)
    people = await people_of(call.uow, order.buyer_id, order.seller_id)
    call.uow.announce(
        Announcement(
            community_id=order.community_id,
            kind="market.dispute",
            dedupe_key=f"market:order:{order.id}:dispute",
            payload=cards.with_people(cards.dispute_card(order), people).to_dict(),
            target=Target.CHANNEL,
            channel_kind="moderators",
        )
    )
    dm = text(
        "market.disputed_dm",
        buyer=mention_token(order.buyer_id),
        id=order.id,
        title=order.title,
        reason=order.dispute_reason or "",
    )
    await order_dm(call, order, order.seller_id, "disputed", Reply(text=dm, tone=Tone.WARNING))
    return Reply(text=text("market.disputed", id=order.id), tone=Tone.WARNING)


async def _rule(call: Call, order_id: int, decision: Decision, percent: int, reason: str) -> Reply:
    order = await call.ctx.need(MarketService).resolve(
        call.uow, call.member, OrderId(order_id), decision, reason, seller_percent=percent
    )
    words = text(f"market.decision.{decision}", percent=percent)
    ruled = Reply(
        text=text(
            "market.ruled",
            id=order.id,
            decision=words,
            reason=order.decision_reason or "",
            moderator=mention_token(call.member.id),
        ),
        tone=Tone.SUCCESS,
    )
    for party in (order.buyer_id, order.seller_id):
        await order_dm(call, order, party, "ruling", ruled)
    return await addressed(call, ruled)


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    """Options of /market resolve."""

    order: int
    decision: str
    reason: str
    percent: int | None


async def resolve(call: Call, o: ResolveOptions) -> Reply:
    """Handle /market resolve: a moderator refunds, releases or splits a disputed order."""
    percent = o.percent if o.percent is not None else 50
    return await _rule(call, o.order, Decision(o.decision), percent, o.reason)


async def rule_button(call: Call) -> Reply:
    """Rule on a dispute from the moderators' card (a split defaults to 50%)."""
    if len(call.args) < 2 or call.args[1] not in tuple(Decision):
        raise out_of_date()
    percent = arg(call, 2) if len(call.args) > 2 else 50
    if percent > 100:
        raise out_of_date()
    reason = text("market.ruling_by_button")
    return await _rule(call, arg(call), Decision(call.args[1]), percent, reason)


# -- ratings --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateOptions:
    """Options of /market rate."""

    order: int
    stars: int
    comment: str | None


async def rate(call: Call, o: RateOptions) -> Reply:
    """Handle /market rate: the buyer rates a paid-out order, once, and the seller gets a DM."""
    rating = await call.ctx.need(Catalog).rate(
        call.uow, call.member, OrderId(o.order), o.stars, o.comment
    )
    order = await call.ctx.need(MarketService).order(call.uow, call.member, rating.order_id)
    dm = text(
        "market.rated_dm",
        buyer=mention_token(order.buyer_id),
        id=order.id,
        title=order.title,
        stars=cards.stars(rating.stars),
    )
    await order_dm(call, order, order.seller_id, "rated", Reply(text=dm))
    return Reply(
        text=text("market.rated", id=order.id, stars=cards.stars(rating.stars)),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class ReplyOptions:
    """Options of /market reply."""

    order: int
    text: str


async def reply(call: Call, o: ReplyOptions) -> Reply:
    """Handle /market reply: the seller answers the rating of one of their orders."""
    rating = await call.ctx.need(Catalog).reply(call.uow, call.member, OrderId(o.order), o.text)
    return Reply(text=text("market.replied", id=rating.order_id), tone=Tone.SUCCESS)
