"""Reply builders of the marketplace: listings, orders, the seller's and moderators' cards."""

from __future__ import annotations

from collections.abc import Mapping

from cogs.kit import Button, ButtonStyle, Field, Mention, Reply, Tone, mention_token
from cogs.kit.format import bold_points
from cogs.kit.messages import count, text
from domain.market import Listing, Order, OrderStatus, Rating, Score
from domain.points.escrow import percent_of


def with_people(reply: Reply, people: Mapping[int, str]) -> Reply:
    """Attach the members the reply's mention tokens name (the outbox finds their accounts)."""
    return reply.with_(mentions=tuple(Mention(int(i), name) for i, name in people.items()))


def days(n: int) -> str:
    """Word a delivery time, pluralised: "1 day", "3 days"."""
    return count("market.delivery_days", n)


def rating(score: Score) -> str:
    """Word a score as its average stars and count, or say there are no ratings yet."""
    if not score.count:
        return text("market.rating_none")
    return text("market.rating_value", average=f"{score.average:.1f}", count=score.count)


def stars(n: int) -> str:
    """Draw a 1-5 rating as five filled or empty stars."""
    return "★" * n + "☆" * (5 - n)


def listing(item: Listing, score: Score, recent: list[Rating]) -> Reply:
    """The details of one listing, with a Buy button while it takes orders."""
    fields = [
        Field(text("market.field_price"), bold_points(item.price)),
        Field(text("market.field_type"), item.type),
        Field(text("market.field_seller"), mention_token(item.seller_id)),
        Field(
            text("market.field_slots"),
            text("market.slots_value", free=item.free_slots, slots=item.slots),
        ),
        Field(text("market.field_delivery"), days(item.delivery_days)),
        Field(text("market.field_rating"), rating(score)),
        Field(text("market.field_status"), text(f"market.listing.{item.status}")),
    ]
    if recent:
        lines = []
        for r in recent[:3]:
            lines.append(text("market.rating_line", stars=stars(r.stars), comment=r.comment or ""))
            if r.reply:
                lines.append(text("market.rating_reply", reply=r.reply))
        fields.append(Field(text("market.recent_ratings"), "\n".join(lines), inline=False))
    buttons: tuple[Button, ...] = ()
    if item.status == "active" and item.free_slots:
        buttons = (
            Button(
                text("market.buy_button", price=bold_points(item.price)).replace("**", ""),
                f"market.buy:{item.id}",
                ButtonStyle.PRIMARY,
            ),
        )
    return Reply(
        title=text("market.listing_title", id=item.id, title=item.title),
        text=item.description,
        fields=tuple(fields),
        buttons=buttons,
    )


def browse(items: list[tuple[Listing, Score]], page: int, pages: int, action: str) -> Reply:
    """One page of listings with Previous/Next buttons."""
    if not items:
        return Reply(title=text("market.browse_title"), text=text("market.browse_empty"))
    lines = [
        text(
            "market.browse_line",
            id=item.id,
            title=item.title,
            price=bold_points(item.price),
            type=item.type,
            rating=rating(score),
        )
        for item, score in items
    ]
    buttons = []
    if page > 1:
        buttons.append(Button(text("market.newer"), f"{action}:{page - 1}"))
    if page < pages:
        buttons.append(Button(text("market.older"), f"{action}:{page + 1}"))
    return Reply(
        title=text("market.browse_title"),
        text="\n".join(lines),
        footer=text("market.browse_footer", page=page, pages=pages),
        buttons=tuple(buttons),
    )


def order(item: Order, viewer: int) -> Reply:
    """An order as its buyer, seller or a moderator sees it, with the next step's buttons."""
    fields = [
        Field(text("market.field_price"), bold_points(item.price)),
        Field(text("market.field_buyer"), mention_token(item.buyer_id)),
        Field(text("market.field_seller"), mention_token(item.seller_id)),
        Field(text("market.field_status"), text(f"market.status.{item.status}")),
    ]
    if item.note:
        fields.append(Field(text("market.field_note"), item.note, inline=False))
    if item.dispute_reason:
        fields.append(Field(text("market.field_dispute"), item.dispute_reason, inline=False))
    if item.decided_by is not None:
        fields.append(
            Field(
                text("market.field_decision"),
                f"{item.decision_reason or ''} ({mention_token(item.decided_by)})",
                inline=False,
            )
        )
    return Reply(
        title=text("market.order_title", id=item.id, title=item.title),
        fields=tuple(fields),
        buttons=_next_steps(item, viewer),
        ephemeral=True,
    )


def _next_steps(item: Order, viewer: int) -> tuple[Button, ...]:
    if viewer == item.seller_id and item.status is OrderStatus.REQUESTED:
        return _accept_decline(item)
    if viewer == item.seller_id and item.status is OrderStatus.ACCEPTED:
        return (Button(text("market.delivered_button"), f"market.delivered:{item.id}"),)
    if viewer == item.buyer_id and item.status in (OrderStatus.ACCEPTED, OrderStatus.DELIVERED):
        return (
            Button(text("market.confirm_button"), f"market.confirm:{item.id}", ButtonStyle.SUCCESS),
        )
    return ()


def _accept_decline(item: Order) -> tuple[Button, ...]:
    return (
        Button(text("market.accept"), f"market.accept:{item.id}", ButtonStyle.SUCCESS),
        Button(text("market.decline"), f"market.decline:{item.id}", ButtonStyle.DANGER),
    )


def new_order_dm(item: Order, accept_days: int) -> Reply:
    """The seller's DM: a new order, with Accept / Decline."""
    return Reply(
        text=text(
            "market.new_order",
            buyer=mention_token(item.buyer_id),
            title=item.title,
            id=item.id,
            price=bold_points(item.price),
            days=days(accept_days),
        ),
        fields=(Field(text("market.field_note"), item.note, inline=False),) if item.note else (),
        buttons=_accept_decline(item),
    )


def dispute_card(item: Order) -> Reply:
    """The moderators' card: Refund / Release / Split."""
    return Reply(
        text=text(
            "market.dispute_card",
            id=item.id,
            title=item.title,
            price=bold_points(item.price),
            buyer=mention_token(item.buyer_id),
            seller=mention_token(item.seller_id),
            reason=item.dispute_reason or "",
        ),
        tone=Tone.WARNING,
        buttons=(
            Button(text("market.refund_button"), f"market.rule:{item.id}:refund"),
            Button(text("market.release_button"), f"market.rule:{item.id}:release"),
            Button(text("market.split_button"), f"market.rule:{item.id}:split:50"),
        ),
    )


def paid(price: int, fee_percent: float) -> str:
    """Say what a release pays the seller: "**45** points (community fee: **5** points)"."""
    fee = percent_of(price, fee_percent)
    words = bold_points(price - fee)
    if fee:
        words += text("market.fee_note", fee=bold_points(fee))
    return words
