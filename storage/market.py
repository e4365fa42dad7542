"""Listings, orders and ratings of the marketplace (see `domain.market`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    and_,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

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
from domain.market.repository import MarketRepository
from storage.base import Base
from storage.registry import implements
from storage.sql import insert_ignore
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


_L = cast(Table, MarketListingRow.__table__)
_O = cast(Table, MarketOrderRow.__table__)
_R = cast(Table, MarketRatingRow.__table__)


def _listing(r: Any) -> Listing:
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


def _order(r: Any) -> Order:
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


def _rating(r: Any) -> Rating:
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


@implements(MarketRepository)
class SqlMarketRepository:
    """Core statements; slots and order steps are conditional UPDATEs."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add_listing(self, listing: NewListing) -> ListingId:
        result = await self._conn.execute(
            _L.insert()
            .values(
                community_id=listing.community_id,
                seller_id=listing.seller_id,
                type=listing.type,
                title=listing.title,
                description=listing.description,
                price=listing.price,
                slots=listing.slots,
                open_orders=0,
                delivery_days=listing.delivery_days,
                status=str(ListingStatus.ACTIVE),
                created_at=listing.created_at,
            )
            .returning(_L.c.id)
        )
        return ListingId(int(result.scalar_one()))

    async def listing(self, community_id: CommunityId, listing_id: ListingId) -> Listing | None:
        row = (
            await self._conn.execute(
                select(_L).where(_L.c.id == listing_id, _L.c.community_id == community_id)
            )
        ).first()
        return _listing(row) if row else None

    async def set_listing_status(
        self, listing_id: ListingId, status: ListingStatus, allowed: Sequence[ListingStatus]
    ) -> bool:
        result = await self._conn.execute(
            update(_L)
            .where(_L.c.id == listing_id, _L.c.status.in_([str(s) for s in allowed]))
            .values(status=str(status))
        )
        return result.rowcount == 1

    async def take_slot(self, listing_id: ListingId) -> bool:
        # The guard: only an active listing with a free slot counts one more order.
        result = await self._conn.execute(
            update(_L)
            .where(
                _L.c.id == listing_id,
                _L.c.status == str(ListingStatus.ACTIVE),
                _L.c.open_orders < _L.c.slots,
            )
            .values(open_orders=_L.c.open_orders + 1)
        )
        return result.rowcount == 1

    async def free_slot(self, listing_id: ListingId) -> None:
        await self._conn.execute(
            update(_L)
            .where(_L.c.id == listing_id, _L.c.open_orders > 0)
            .values(open_orders=_L.c.open_orders - 1)
        )

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
        where = [_L.c.community_id == community_id, _L.c.status == str(ListingStatus.ACTIVE)]
        if type_:
            where.append(_L.c.type == type_)
        for word in (words or "").casefold().split()[:5]:
            where.append(
                or_(
                    func.lower(_L.c.title).contains(word, autoescape=True),
                    func.lower(_L.c.description).contains(word, autoescape=True),
                )
            )
        total = (
            await self._conn.execute(select(func.count()).select_from(_L).where(and_(*where)))
        ).scalar_one()
        stmt = select(_L).where(and_(*where))
        if sort is Sort.PRICE:
            stmt = stmt.order_by(_L.c.price, _L.c.id)
        elif sort is Sort.RATING:
            mean, weight = prior
            sums = (
                select(
                    _R.c.listing_id,
                    func.sum(_R.c.stars).label("stars"),
                    func.count().label("n"),
                )
                .group_by(_R.c.listing_id)
                .subquery()
            )
            score = (literal(mean * weight) + func.coalesce(sums.c.stars, 0)) / (
                literal(weight) + func.coalesce(sums.c.n, 0) + literal(1e-9)
            )
            stmt = (
                select(_L)
                .select_from(_L.outerjoin(sums, sums.c.listing_id == _L.c.id))
                .where(and_(*where))
                .order_by(score.desc(), _L.c.id.desc())
            )
        else:
            stmt = stmt.order_by(_L.c.id.desc())
        rows = await self._conn.execute(stmt.limit(limit).offset(offset))
        return [_listing(r) for r in rows], int(total)

    async def listings_of(self, seller_id: MemberId) -> list[Listing]:
        rows = await self._conn.execute(
            select(_L).where(_L.c.seller_id == seller_id).order_by(_L.c.id.desc()).limit(25)
        )
        return [_listing(r) for r in rows]

    async def add_order(
        self,
        listing: Listing,
        buyer_id: MemberId,
        hold_id: int,
        note: str | None,
        now: datetime,
    ) -> OrderId:
        result = await self._conn.execute(
            _O.insert()
            .values(
                community_id=listing.community_id,
                listing_id=listing.id,
                buyer_id=buyer_id,
                seller_id=listing.seller_id,
                title=listing.title,
                price=listing.price,
                hold_id=hold_id,
                note=note,
                status=str(OrderStatus.REQUESTED),
                created_at=now,
                updated_at=now,
            )
            .returning(_O.c.id)
        )
        return OrderId(int(result.scalar_one()))

    async def order(self, community_id: CommunityId, order_id: OrderId) -> Order | None:
        row = (
            await self._conn.execute(
                select(_O).where(_O.c.id == order_id, _O.c.community_id == community_id)
            )
        ).first()
        return _order(row) if row else None

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
        values: dict[str, Any] = {"status": str(to), "updated_at": now}
        if dispute_reason is not None:
            values["dispute_reason"] = dispute_reason
        if decided_by is not None:
            values["decided_by"] = decided_by
            values["decision_reason"] = decision_reason
        result = await self._conn.execute(
            update(_O)
            .where(_O.c.id == order_id, _O.c.status.in_([str(s) for s in allowed]))
            .values(**values)
        )
        return result.rowcount == 1

    async def orders_of(self, member_id: MemberId, limit: int) -> list[Order]:
        rows = await self._conn.execute(
            select(_O)
            .where(or_(_O.c.buyer_id == member_id, _O.c.seller_id == member_id))
            .order_by(_O.c.id.desc())
            .limit(limit)
        )
        return [_order(r) for r in rows]

    async def add_rating(self, rating: Rating) -> bool:
        return await insert_ignore(
            self._conn,
            _R,
            {
                "order_id": rating.order_id,
                "listing_id": rating.listing_id,
                "seller_id": rating.seller_id,
                "buyer_id": rating.buyer_id,
                "stars": rating.stars,
                "comment": rating.comment,
                "created_at": rating.created_at,
            },
        )

    async def rating(self, order_id: OrderId) -> Rating | None:
        row = (await self._conn.execute(select(_R).where(_R.c.order_id == order_id))).first()
        return _rating(row) if row else None

    async def set_reply(self, order_id: OrderId, reply: str) -> bool:
        result = await self._conn.execute(
            update(_R).where(_R.c.order_id == order_id, _R.c.reply.is_(None)).values(reply=reply)
        )
        return result.rowcount == 1

    async def stars(
        self, *, listing_id: ListingId | None = None, seller_id: MemberId | None = None
    ) -> tuple[int, int]:
        stmt = select(func.coalesce(func.sum(_R.c.stars), 0), func.count())
        if listing_id is not None:
            stmt = stmt.where(_R.c.listing_id == listing_id)
        if seller_id is not None:
            stmt = stmt.where(_R.c.seller_id == seller_id)
        total, count = (await self._conn.execute(stmt)).one()
        return int(total), int(count)

    async def ratings_of_listing(self, listing_id: ListingId, limit: int) -> list[Rating]:
        rows = await self._conn.execute(
            select(_R)
            .where(_R.c.listing_id == listing_id)
            .order_by(_R.c.created_at.desc())
            .limit(limit)
        )
        return [_rating(r) for r in rows]
