"""Handlers of /market: parse, call the marketplace services, build a Reply, queue the DMs."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.kit import Call, Reply, Tone
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from cogs.market import cards
from domain.core.announcements import Announcement, Target
from domain.core.errors import InvalidInputError
from domain.core.ids import MemberId, parse_id
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository
from domain.market import (
    Catalog,
    ListingId,
    ListingStatus,
    MarketRepository,
    Order,
    Sort,
)
from domain.market.config import MarketSection

RECENT_ORDERS = 10


def out_of_date() -> InvalidInputError:
    """The refusal of a button whose arguments no longer name anything."""
    return InvalidInputError(problem=text("market.button_out_of_date"))


def arg(call: Call, n: int = 0) -> int:
    """Read the n-th id argument of a button, refusing a button whose arguments are missing."""
    number = parse_id(call.args[n]) if len(call.args) > n else None
    if number is None:
        raise out_of_date()
    return number


def config_of(call: Call) -> MarketSection:
    """Return the [market] section of the community's configuration."""
    return call.ctx.config.market


async def people_of(uow: UnitOfWork, *ids: int | None) -> dict[int, str]:
    """Map each given member id to its display name, "?" for a member not found."""
    repo = uow.get(IdentityRepository)
    found: dict[int, str] = {}
    for member_id in ids:
        if member_id is not None and member_id not in found:
            m = await repo.get_member(MemberId(member_id))
            found[member_id] = m.display_name if m else "?"
    return found


async def order_dm(call: Call, order: Order, to: int, event: str, reply: Reply) -> None:
    """Queue a DM about an order; the key makes a replayed step send nothing twice."""
    people = await people_of(call.uow, order.buyer_id, order.seller_id, call.member.id)
    call.uow.announce(
        Announcement(
            community_id=order.community_id,
            kind="market.dm",
            dedupe_key=f"market:order:{order.id}:{event}:{to}",
            payload=cards.with_people(reply, people).to_dict(),
            target=Target.DM,
            member_id=MemberId(to),
        )
    )


async def addressed(call: Call, reply: Reply, *ids: int | None) -> Reply:
    """Attach the caller and the given members to a reply so its mentions resolve."""
    return cards.with_people(reply, await people_of(call.uow, call.member.id, *ids))


# -- listings -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SellOptions:
    """Options of /market sell."""

    type: str
    title: str
    price: int
    description: str | None
    slots: int | None
    delivery_days: int | None


async def sell(call: Call, o: SellOptions) -> Reply:
    """Handle /market sell: put up a new listing and confirm its id and price."""
    listing = await call.ctx.need(Catalog).sell(
        call.uow,
        call.member,
        o.type,
        o.title,
        o.price,
        description=o.description or "",
        slots=o.slots or 1,
        delivery_days=o.delivery_days or 7,
    )
    return Reply(
        text=text(
            "market.listed",
            id=listing.id,
            title=listing.title,
            price=bold_points(listing.price),
        ),
        tone=Tone.SUCCESS,
    )


async def _page(call: Call, type_: str | None, words: str | None, sort: Sort, page: int) -> Reply:
    cfg = config_of(call)
    repo = call.uow.get(MarketRepository)
    prior = (cfg.rating_prior_mean, cfg.rating_prior_weight)
    size = cfg.page_size
    found, total = await repo.browse(
        call.community.id, type_, words, sort, size, (page - 1) * size, prior
    )
    pages = max(1, -(-total // size))
    if total and page > pages:
        page = pages
        found, total = await repo.browse(
            call.community.id, type_, words, sort, size, (page - 1) * size, prior
        )
    catalog = call.ctx.need(Catalog)
    items = [(x, await catalog.score(call.uow, listing_id=x.id, seller_id=None)) for x in found]
    action = f"market.page:{type_ or 'all'}:{sort}"
    reply = cards.browse(items, page, pages, action)
    return reply if not words else reply.with_(buttons=())  # page buttons drop the search


@dataclass(frozen=True, slots=True)
class BrowseOptions:
    """Options of /market browse."""

    type: str | None
    page: int | None
    search: str | None
    sort: str | None


async def browse(call: Call, o: BrowseOptions) -> Reply:
    """Handle /market browse: one page of listings, filtered by type or search words."""
    return await _page(call, o.type, o.search, Sort(o.sort or Sort.NEW), o.page or 1)


async def browse_button(call: Call) -> Reply:
    """Turn to another page of /market browse from its Previous/Next buttons."""
    if len(call.args) != 3:
        raise out_of_date()
    type_ = call.args[0] if call.args[0] in config_of(call).types else None
    sort = Sort(call.args[1]) if call.args[1] in tuple(Sort) else Sort.NEW
    return await _page(call, type_, None, sort, max(1, arg(call, 2)))


@dataclass(frozen=True, slots=True)
class ListingOptions:
    """Options of a command about one listing."""

    id: int


async def show(call: Call, o: ListingOptions) -> Reply:
    """Handle /market show: one listing's details, score and latest ratings."""
    catalog = call.ctx.need(Catalog)
    listing = await catalog.listing(call.uow, call.member, ListingId(o.id))
    score = await catalog.score(call.uow, listing_id=listing.id, seller_id=None)
    recent = await call.uow.get(MarketRepository).ratings_of_listing(listing.id, 3)
    return await addressed(call, cards.listing(listing, score, recent), listing.seller_id)


async def _status(call: Call, listing_id: int, status: ListingStatus, words: str) -> Reply:
    listing = await call.ctx.need(Catalog).set_status(
        call.uow,
        call.member,
        ListingId(listing_id),
        status,
        moderator=call.is_moderator,
    )
    return Reply(text=text(words, id=listing.id), tone=Tone.SUCCESS)


async def pause(call: Call, o: ListingOptions) -> Reply:
    """Handle /market pause: stop a listing taking orders for now."""
    return await _status(call, o.id, ListingStatus.PAUSED, "market.paused")


async def resume(call: Call, o: ListingOptions) -> Reply:
    """Handle /market resume: let a paused listing take orders again."""
    return await _status(call, o.id, ListingStatus.ACTIVE, "market.resumed")


async def close(call: Call, o: ListingOptions) -> Reply:
    """Handle /market close: withdraw a listing for good."""
    return await _status(call, o.id, ListingStatus.CLOSED, "market.closed")


async def mine(call: Call) -> Reply:
    """Handle /market mine: the caller's listings and recent orders, as buyer or seller."""
    repo = call.uow.get(MarketRepository)
    listings = await repo.listings_of(call.member.id)
    orders = await repo.orders_of(call.member.id, RECENT_ORDERS)
    listing_lines = [
        text(
            "market.mine_listing",
            id=x.id,
            title=x.title,
            price=bold_points(x.price),
            status=text(f"market.listing.{x.status}"),
            open=x.open_orders,
        )
        for x in listings
    ]
    order_lines = [
        text(
            "market.mine_order",
            id=x.id,
            title=x.title,
            price=bold_points(x.price),
            status=text(f"market.status.{x.status}"),
            role=text(
                "market.role_buyer" if x.buyer_id == call.member.id else "market.role_seller"
            ),
        )
        for x in orders
    ]
    none = text("market.mine_none")
    return Reply(
        title=text("market.mine_title"),
        text=f"**{text('market.mine_listings')}**\n"
        + ("\n".join(listing_lines) or none)
        + f"\n\n**{text('market.mine_orders')}**\n"
        + ("\n".join(order_lines) or none),
        ephemeral=True,
    )
