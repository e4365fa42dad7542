"""What the marketplace needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.market.model import (
    Listing,
    ListingId,
    ListingStatus,
    NewListing,
    Order,
    OrderId,
    OrderStatus,
    Rating,
    Sort,
)


class MarketRepository(Protocol):
    """Listings, orders and ratings, with the slot and status guards in the database."""

    async def add_listing(self, listing: NewListing) -> ListingId: ...

    async def listing(self, community_id: CommunityId, listing_id: ListingId) -> Listing | None: ...

    async def set_listing_status(
        self, listing_id: ListingId, status: ListingStatus, allowed: Sequence[ListingStatus]
    ) -> bool:
        """Move a listing to `status` if it is in one of `allowed`; False otherwise."""
        ...

    async def take_slot(self, listing_id: ListingId) -> bool:
        """Count one more open order if the listing is active and has a free slot."""
        ...

    async def free_slot(self, listing_id: ListingId) -> None:
        """Count one open order fewer (it ended)."""
        ...

    async def browse(
        self,
        community_id: CommunityId,
        type_: str | None,
        words: str | None,
        sort: Sort,
        limit: int,
        offset: int,
        prior: tuple[float, float] = (3.5, 5.0),
    ) -> tuple[list[Listing], int]:
        """Active listings matching, one page, and how many match in all.

        `prior` (mean, weight) orders by Bayesian average when sorting by rating.
        """
        ...

    async def listings_of(self, seller_id: MemberId) -> list[Listing]: ...

    async def add_order(
        self,
        listing: Listing,
        buyer_id: MemberId,
        hold_id: int,
        note: str | None,
        now: datetime,
    ) -> OrderId: ...

    async def order(self, community_id: CommunityId, order_id: OrderId) -> Order | None: ...

    async def move_order(
        self,
        order_id: OrderId,
        to: OrderStatus,
        allowed: Sequence[OrderStatus],
        now: datetime,
        *,
        dispute_reason: str | None = None,
        decided_by: MemberId | None = None,
        decision_reason: str | None = None,
    ) -> bool:
        """Move an order to `to` if it is in one of `allowed` (exactly one mover wins)."""
        ...

    async def orders_of(self, member_id: MemberId, limit: int) -> list[Order]:
        """Orders where the member is the buyer or the seller, newest first."""
        ...

    async def add_rating(self, rating: Rating) -> bool:
        """Store the rating; False when the order was rated before."""
        ...

    async def rating(self, order_id: OrderId) -> Rating | None: ...

    async def set_reply(self, order_id: OrderId, reply: str) -> bool:
        """Store the seller's reply if there is none yet."""
        ...

    async def stars(
        self, *, listing_id: ListingId | None = None, seller_id: MemberId | None = None
    ) -> tuple[int, int]:
        """Total stars and number of ratings, of a listing or of a seller."""
        ...

    async def ratings_of_listing(self, listing_id: ListingId, limit: int) -> list[Rating]: ...
