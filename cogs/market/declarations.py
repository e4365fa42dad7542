"""What /market declares: its commands, buttons and the deadline job."""

from __future__ import annotations

from datetime import timedelta

from cogs.kit import Action, Cog, Command, Every, Job, Page, Permission, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.command import JobHandler
from cogs.market import commands as c
from cogs.market import orders as o
from domain.core.ids import MAX_ID
from domain.market import Decision, Sort
from domain.market.config import MarketSection


def _id(name: str = "id", what: str = "Listing number") -> opt.Option:
    return opt.integer(name, what, min_value=1, max_value=MAX_ID)


def cog(cfg: MarketSection, deadlines: JobHandler) -> Cog:
    """The market cog, with option bounds taken from the community's config."""
    order = _id("order", "Order number")
    eph = Visibility.EPHEMERAL
    return Cog(
        name="market",
        pages=[
            Page(
                "market",
                "Marketplace",
                shows=("market browse",),
                forms=("market resolve",),
                order=66,
            )
        ],
        commands=[
            typed.command(
                "market sell",
                "Offer a service for points",
                c.sell,
                options=(
                    opt.choice("type", "What kind of service", cfg.types),
                    opt.string("title", "A short title", min_length=3, max_length=100),
                    opt.integer(
                        "price",
                        "Price in points",
                        min_value=cfg.min_price,
                        max_value=cfg.max_price,
                    ),
                    opt.string(
                        "description",
                        "What the buyer gets",
                        required=False,
                        max_length=1500,
                        rest=True,
                        long=True,
                    ),
                    opt.integer(
                        "slots",
                        "Orders you take at once (default 1)",
                        required=False,
                        min_value=1,
                        max_value=cfg.max_slots,
                    ),
                    opt.integer(
                        "delivery-days",
                        "Days to deliver (default 7)",
                        required=False,
                        min_value=1,
                        max_value=cfg.max_delivery_days,
                    ),
                ),
            ),
            typed.command(
                "market browse",
                "Browse what members sell",
                c.browse,
                writes=False,
                options=(
                    opt.choice("type", "Only this type", cfg.types, required=False),
                    opt.integer("page", "Page number", required=False, min_value=1),
                    opt.string(
                        "search",
                        "Words in the title or description",
                        required=False,
                        max_length=100,
                    ),
                    opt.choice("sort", "Order by (default new)", tuple(Sort), required=False),
                ),
            ),
            typed.command(
                "market show",
                "A listing's details and ratings",
                c.show,
                writes=False,
                options=(_id(),),
            ),
            typed.command(
                "market pause",
                "Stop taking orders for a while",
                c.pause,
                options=(_id(),),
                visibility=eph,
            ),
            typed.command(
                "market resume", "Take orders again", c.resume, options=(_id(),), visibility=eph
            ),
            typed.command(
                "market close",
                "Close a listing for good",
                c.close,
                options=(_id(),),
                visibility=eph,
            ),
            Command(
                "market mine", "Your listings and orders", c.mine, writes=False, visibility=eph
            ),
            typed.command(
                "market order",
                "One of your orders",
                o.show_order,
                writes=False,
                options=(order,),
                visibility=eph,
            ),
            typed.command(
                "market buy",
                "Order a listing; the price is held in escrow",
                o.buy,
                visibility=eph,
                options=(
                    _id(),
                    opt.string(
                        "note",
                        "A note for the seller",
                        required=False,
                        max_length=500,
                        rest=True,
                    ),
                ),
            ),
            typed.command(
                "market accept",
                "Accept an order (seller)",
                o.accept,
                options=(order,),
                visibility=eph,
            ),
            typed.command(
                "market decline",
                "Decline an order; the buyer is refunded",
                o.decline,
                options=(order,),
                visibility=eph,
            ),
            typed.command(
                "market delivered",
                "Mark an order delivered (seller)",
                o.delivered,
                options=(order,),
                visibility=eph,
            ),
            typed.command(
                "market confirm",
                "Confirm delivery; release the escrow",
                o.confirm,
                options=(order,),
                visibility=eph,
            ),
            typed.command(
                "market dispute",
                "Dispute an order; the moderators decide",
                o.dispute,
                visibility=eph,
                options=(
                    order,
                    opt.string("reason", "What went wrong", max_length=500, rest=True),
                ),
            ),
            typed.command(
                "market resolve",
                "Decide a disputed order",
                o.resolve,
                permission=Permission.MODERATOR,
                options=(
                    order,
                    opt.choice("decision", "Refund, release or split", tuple(Decision)),
                    opt.string("reason", "Why, for the record", max_length=500, rest=True),
                    opt.integer(
                        "percent",
                        "Split: the seller's share in %",
                        required=False,
                        min_value=0,
                        max_value=100,
                    ),
                ),
            ),
            typed.command(
                "market rate",
                "Rate a completed order",
                o.rate,
                visibility=eph,
                options=(
                    order,
                    opt.integer("stars", "1 to 5", min_value=1, max_value=5),
                    opt.string(
                        "comment", "Optional words", required=False, max_length=500, rest=True
                    ),
                ),
            ),
            typed.command(
                "market reply",
                "Reply once to a rating (seller)",
                o.reply,
                visibility=eph,
                options=(
                    order,
                    opt.string("text", "Your reply", max_length=500, rest=True),
                ),
            ),
        ],
        actions=[
            Action("market.buy", o.buy_button),
            Action("market.page", c.browse_button, writes=False),
            Action("market.accept", o.accept_button),
            Action("market.decline", o.decline_button),
            Action("market.delivered", o.delivered_button),
            Action("market.confirm", o.confirm_button),
            Action(
                "market.rule",
                o.rule_button,
                permission=Permission.MODERATOR,
                visibility=Visibility.PUBLIC,
            ),
        ],
        jobs=[
            Job(
                "market.deadlines",
                Every(timedelta(minutes=1)),
                deadlines,
                grace=None,
                description="refund unanswered orders, release unconfirmed deliveries",
            ),
        ],
    )
