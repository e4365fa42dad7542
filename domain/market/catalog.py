"""Listings and ratings: what the marketplace offers and what buyers said about it."""

from __future__ import annotations

from domain.core.clock import Clock
from domain.core.errors import MemberLockedError
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.market.activities import OrderRated
from domain.market.config import MarketSection
from domain.market.errors import (
    AlreadyRatedError,
    AlreadyRepliedError,
    ListingNotFoundError,
    ListingStatusError,
    NotPartyError,
    NotYourListingError,
    OrderNotFoundError,
    OrderStateError,
    PriceOutOfBoundsError,
    UnknownTypeError,
)
from domain.market.model import (
    Listing,
    ListingId,
    ListingStatus,
    NewListing,
    Order,
    OrderId,
    OrderStatus,
    Rating,
    Score,
)
from domain.market.repository import MarketRepository
from domain.market.rules import bayesian


class Catalog:
    """Create and manage listings; rate orders and answer ratings."""

    def __init__(self, clock: Clock, config: MarketSection) -> None:
        self._clock = clock
        self._cfg = config

    # -- listings --------------------------------------------------------------

    async def sell(
        self,
        uow: UnitOfWork,
        seller: Member,
        type_: str,
        title: str,
        price: int,
        *,
        description: str = "",
        slots: int = 1,
        delivery_days: int = 7,
    ) -> Listing:
        """Create an active listing.

        Raises:
            MemberLockedError: the seller is locked.
            UnknownTypeError: the type is not one of the community's.
            PriceOutOfBoundsError: the price is outside the configured bounds.
        """
        if seller.is_locked:
            raise MemberLockedError(name=seller.display_name, reason=seller.locked_reason)
        if type_ not in self._cfg.types:
            raise UnknownTypeError(type=type_, types=", ".join(self._cfg.types))
        if not self._cfg.min_price <= price <= self._cfg.max_price:
            raise PriceOutOfBoundsError(
                price=price, min=self._cfg.min_price, max=self._cfg.max_price
            )
        new = NewListing(
            seller.community_id,
            seller.id,
            type_,
            title.strip(),
            description.strip(),
            price,
            slots,
            delivery_days,
            self._clock.now(),
        )
        repo = uow.get(MarketRepository)
        listing_id = await repo.add_listing(new)
        return await self.listing(uow, seller, listing_id)

    async def listing(self, uow: UnitOfWork, member: Member, listing_id: ListingId) -> Listing:
        """Raises: ListingNotFoundError."""
        found = await uow.get(MarketRepository).listing(member.community_id, listing_id)
        if found is None:
            raise ListingNotFoundError(id=listing_id)
        return found

    async def set_status(
        self,
        uow: UnitOfWork,
        member: Member,
        listing_id: ListingId,
        status: ListingStatus,
        *,
        moderator: bool = False,
    ) -> Listing:
        """Pause, resume or close a listing (the seller; a moderator may close any).

        Open orders go on: closing stops new ones only.

        Raises:
            ListingNotFoundError, NotYourListingError, ListingStatusError.
        """
        listing = await self.listing(uow, member, listing_id)
        if listing.seller_id != member.id and not (moderator and status is ListingStatus.CLOSED):
            raise NotYourListingError(id=listing_id)
        allowed = {
            ListingStatus.PAUSED: (ListingStatus.ACTIVE,),
            ListingStatus.ACTIVE: (ListingStatus.PAUSED,),
            ListingStatus.CLOSED: (ListingStatus.ACTIVE, ListingStatus.PAUSED),
        }[status]
        if not await uow.get(MarketRepository).set_listing_status(listing_id, status, allowed):
            raise ListingStatusError(id=listing_id, status=listing.status)
        return await self.listing(uow, member, listing_id)

    async def score(
        self, uow: UnitOfWork, *, listing_id: ListingId | None = None, seller_id: MemberId | None
    ) -> Score:
        total, count = await uow.get(MarketRepository).stars(
            listing_id=listing_id, seller_id=seller_id
        )
        return bayesian(total, count, self._cfg.rating_prior_mean, self._cfg.rating_prior_weight)

    # -- ratings ---------------------------------------------------------------

    async def rate(
        self, uow: UnitOfWork, buyer: Member, order_id: OrderId, stars: int, comment: str | None
    ) -> Rating:
        """Rate a released order, once.

        Raises: OrderNotFoundError, NotPartyError, OrderStateError, AlreadyRatedError.
        """
        order = await _party(uow, buyer, order_id, seller=False)
        if order.status not in (OrderStatus.COMPLETED, OrderStatus.SPLIT):
            raise OrderStateError(id=order_id, status=order.status, action="rate")
        rating = Rating(
            order.id,
            order.listing_id,
            order.seller_id,
            buyer.id,
            stars,
            (comment or "").strip()[:500] or None,
            None,
            self._clock.now(),
        )
        if not await uow.get(MarketRepository).add_rating(rating):
            raise AlreadyRatedError(id=order_id)
        uow.record(
            OrderRated(
                community_id=order.community_id,
                member_id=buyer.id,
                key=f"market:order:{order.id}:rated",
                occurred_at=rating.created_at,
                order_id=int(order.id),
                seller_id=int(order.seller_id),
                stars=stars,
            )
        )
        return rating

    async def reply(self, uow: UnitOfWork, seller: Member, order_id: OrderId, text: str) -> Rating:
        """The seller answers a rating, once.

        Raises: OrderNotFoundError, NotPartyError, OrderStateError (not rated), AlreadyRepliedError.
        """
        await _party(uow, seller, order_id, seller=True)
        repo = uow.get(MarketRepository)
        rating = await repo.rating(order_id)
        if rating is None:
            raise OrderStateError(id=order_id, status="unrated", action="reply")
        if not await repo.set_reply(order_id, text.strip()[:500]):
            raise AlreadyRepliedError(id=order_id)
        found = await repo.rating(order_id)
        assert found is not None
        return found


async def _party(uow: UnitOfWork, member: Member, order_id: OrderId, *, seller: bool) -> Order:
    found = await uow.get(MarketRepository).order(member.community_id, order_id)
    if found is None or member.id not in (found.buyer_id, found.seller_id):
        raise OrderNotFoundError(id=order_id)
    if member.id != (found.seller_id if seller else found.buyer_id):
        raise NotPartyError(id=order_id, who="seller" if seller else "buyer")
    return found
