"""Listings, orders and ratings of the marketplace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType

from domain.core.ids import CommunityId, MemberId

ListingId = NewType("ListingId", int)
OrderId = NewType("OrderId", int)


class ListingStatus(StrEnum):
    """Whether a listing takes orders (active), is paused by its seller, or is closed."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class OrderStatus(StrEnum):
    """Where an order is; the first four keep a slot and points in escrow."""

    REQUESTED = "requested"  # paid into escrow, waiting for the seller
    ACCEPTED = "accepted"
    DELIVERED = "delivered"  # waiting for the buyer's confirmation
    DISPUTED = "disputed"  # escrow frozen until a moderator decides
    COMPLETED = "completed"  # released to the seller
    DECLINED = "declined"  # refunded: the seller said no
    EXPIRED = "expired"  # refunded: the seller did not answer in time
    REFUNDED = "refunded"  # refunded by a moderator
    SPLIT = "split"  # shared by a moderator


OPEN_STATUSES = (
    OrderStatus.REQUESTED,
    OrderStatus.ACCEPTED,
    OrderStatus.DELIVERED,
    OrderStatus.DISPUTED,
)


class Sort(StrEnum):
    """The order of /market browse: newest first, cheapest first, or best rated first."""

    NEW = "new"
    PRICE = "price"
    RATING = "rating"


class Decision(StrEnum):
    """A moderator's ruling on a dispute."""

    REFUND = "refund"
    RELEASE = "release"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Listing:
    """A service a member sells: its price, slots, delivery time and status."""

    id: ListingId
    community_id: CommunityId
    seller_id: MemberId
    type: str
    title: str
    description: str
    price: int
    slots: int
    open_orders: int
    delivery_days: int
    status: ListingStatus
    created_at: datetime

    @property
    def free_slots(self) -> int:
        return max(self.slots - self.open_orders, 0)


@dataclass(frozen=True, slots=True)
class NewListing:
    """The fields of a listing about to be stored, before it has an id."""

    community_id: CommunityId
    seller_id: MemberId
    type: str
    title: str
    description: str
    price: int
    slots: int
    delivery_days: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Order:
    """One purchase of a listing, its price held in escrow until released or refunded."""

    id: OrderId
    community_id: CommunityId
    listing_id: ListingId
    buyer_id: MemberId
    seller_id: MemberId
    title: str
    price: int
    hold_id: int
    note: str | None
    status: OrderStatus
    created_at: datetime
    updated_at: datetime
    dispute_reason: str | None = None
    decided_by: MemberId | None = None
    decision_reason: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class Rating:
    """A buyer's stars and comment on a paid-out order, with the seller's reply."""

    order_id: OrderId
    listing_id: ListingId
    seller_id: MemberId
    buyer_id: MemberId
    stars: int
    comment: str | None
    reply: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Score:
    """A Bayesian average of ratings and how many there are."""

    average: float
    count: int
