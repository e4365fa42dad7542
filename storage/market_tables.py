"""Tables of the marketplace and their rows as domain values (see `storage.market`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.market.model import (
    Listing,
    ListingId,
    ListingStatus,
    Order,
    OrderId,
    OrderStatus,
    Rating,
)
from storage.base import Base
from storage.types import UTCDateTime

_LISTING_STATUSES = ", ".join(f"'{s}'" for s in ListingStatus)
_ORDER_STATUSES = ", ".join(f"'{s}'" for s in OrderStatus)


class MarketListingRow(Base):
    """A service for sale; `open_orders` counts the slots in use, guarded by a CHECK."""

    __tablename__ = "market_listings"
    __table_args__ = (
        Index("ix_market_listings_community_status", "community_id", "status", "id"),
        Index("ix_market_listings_seller", "seller_id", "id"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("slots >= 1", name="slots_positive"),
        CheckConstraint("open_orders >= 0 AND open_orders <= slots", name="slots_in_use"),
        CheckConstraint(f"status IN ({_LISTING_STATUSES})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    type: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text())
    price: Mapped[int] = mapped_column()
    slots: Mapped[int] = mapped_column()
    open_orders: Mapped[int] = mapped_column()
    delivery_days: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MarketOrderRow(Base):
    """One purchase; its price sits in the escrow hold `hold_id` until the order ends."""

    __tablename__ = "market_orders"
    __table_args__ = (
        Index("ix_market_orders_buyer", "buyer_id", "id"),
        Index("ix_market_orders_seller", "seller_id", "id"),
        Index("uq_market_orders_hold", "hold_id", unique=True),
        CheckConstraint(f"status IN ({_ORDER_STATUSES})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(String(100))
    price: Mapped[int] = mapped_column()
    hold_id: Mapped[int] = mapped_column()  # escrow_holds.id (another migration branch)
    note: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dispute_reason: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[int | None] = mapped_column()
    decision_reason: Mapped[str | None] = mapped_column(String(500))


class MarketRatingRow(Base):
    """The buyer's rating of an order (one per order) and the seller's one reply."""

    __tablename__ = "market_ratings"
    __table_args__ = (
        Index("ix_market_ratings_listing", "listing_id"),
        Index("ix_market_ratings_seller", "seller_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    order_id: Mapped[int] = mapped_column(ForeignKey("market_orders.id"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    stars: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(String(500))
    reply: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


LISTINGS = MarketListingRow.__table__
ORDERS = MarketOrderRow.__table__
RATINGS = MarketRatingRow.__table__


def listing_of(r: Any) -> Listing:
    """Turn a market_listings row into a Listing."""
    return Listing(
        id=ListingId(r.id),
        community_id=CommunityId(r.community_id),
        seller_id=MemberId(r.seller_id),
        type=r.type,
        title=r.title,
        description=r.description,
        price=r.price,
        slots=r.slots,
        open_orders=r.open_orders,
        delivery_days=r.delivery_days,
        status=ListingStatus(r.status),
        created_at=r.created_at,
    )


def order_of(r: Any) -> Order:
    """Turn a market_orders row into an Order."""
    return Order(
        id=OrderId(r.id),
        community_id=CommunityId(r.community_id),
        listing_id=ListingId(r.listing_id),
        buyer_id=MemberId(r.buyer_id),
        seller_id=MemberId(r.seller_id),
        title=r.title,
        price=r.price,
        hold_id=r.hold_id,
        note=r.note,
        status=OrderStatus(r.status),
        created_at=r.created_at,
        updated_at=r.updated_at,
        dispute_reason=r.dispute_reason,
        decided_by=None if r.decided_by is None else MemberId(r.decided_by),
        decision_reason=r.decision_reason,
    )


def rating_of(r: Any) -> Rating:
    """Turn a market_ratings row into a Rating."""
    return Rating(
        order_id=OrderId(r.order_id),
        listing_id=ListingId(r.listing_id),
        seller_id=MemberId(r.seller_id),
        buyer_id=MemberId(r.buyer_id),
        stars=r.stars,
        comment=r.comment,
        reply=r.reply,
        created_at=r.created_at,
    )
