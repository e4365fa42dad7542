"""Listings, orders and ratings of the marketplace (see `domain.market`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    and_,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

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
from storage.market_tables import LISTINGS, ORDERS, RATINGS, listing_of, order_of, rating_of
from storage.registry import implements
from storage.sql import insert_ignore


@implements(MarketRepository)
class SqlMarketRepository:
    """Core statements; slots and order steps are conditional UPDATEs."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add_listing(self, listing: NewListing) -> ListingId:
        result = await self._conn.execute(
            LISTINGS.insert()
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
            .returning(LISTINGS.c.id)
        )
        return ListingId(int(result.scalar_one()))

    async def listing(self, community_id: CommunityId, listing_id: ListingId) -> Listing | None:
        row = (
            await self._conn.execute(
                select(LISTINGS).where(
                    LISTINGS.c.id == listing_id, LISTINGS.c.community_id == community_id
                )
            )
        ).first()
        return listing_of(row) if row else None

    async def set_listing_status(
        self, listing_id: ListingId, status: ListingStatus, allowed: Sequence[ListingStatus]
    ) -> bool:
        result = await self._conn.execute(
            update(LISTINGS)
            .where(LISTINGS.c.id == listing_id, LISTINGS.c.status.in_([str(s) for s in allowed]))
            .values(status=str(status))
        )
        return result.rowcount == 1

    async def take_slot(self, listing_id: ListingId) -> bool:
        # The guard: only an active listing with a free slot counts one more order.
        result = await self._conn.execute(
            update(LISTINGS)
            .where(
                LISTINGS.c.id == listing_id,
                LISTINGS.c.status == str(ListingStatus.ACTIVE),
                LISTINGS.c.open_orders < LISTINGS.c.slots,
            )
            .values(open_orders=LISTINGS.c.open_orders + 1)
        )
        return result.rowcount == 1

    async def free_slot(self, listing_id: ListingId) -> None:
        await self._conn.execute(
            update(LISTINGS)
            .where(LISTINGS.c.id == listing_id, LISTINGS.c.open_orders > 0)
            .values(open_orders=LISTINGS.c.open_orders - 1)
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
        where = [
            LISTINGS.c.community_id == community_id,
            LISTINGS.c.status == str(ListingStatus.ACTIVE),
        ]
        if type_:
            where.append(LISTINGS.c.type == type_)
        for word in (words or "").casefold().split()[:5]:
            where.append(
                or_(
                    func.lower(LISTINGS.c.title).contains(word, autoescape=True),
                    func.lower(LISTINGS.c.description).contains(word, autoescape=True),
                )
            )
        total = (
            await self._conn.execute(select(func.count()).select_from(LISTINGS).where(and_(*where)))
        ).scalar_one()
        stmt = select(LISTINGS).where(and_(*where))
        if sort is Sort.PRICE:
            stmt = stmt.order_by(LISTINGS.c.price, LISTINGS.c.id)
        elif sort is Sort.RATING:
            mean, weight = prior
            sums = (
                select(
                    RATINGS.c.listing_id,
                    func.sum(RATINGS.c.stars).label("stars"),
                    func.count().label("n"),
                )
                .group_by(RATINGS.c.listing_id)
                .subquery()
            )
            score = (literal(mean * weight) + func.coalesce(sums.c.stars, 0)) / (
                literal(weight) + func.coalesce(sums.c.n, 0) + literal(1e-9)
            )
            stmt = (
                select(LISTINGS)
                .select_from(LISTINGS.outerjoin(sums, sums.c.listing_id == LISTINGS.c.id))
                .where(and_(*where))
                .order_by(score.desc(), LISTINGS.c.id.desc())
            )
        else:
            stmt = stmt.order_by(LISTINGS.c.id.desc())
        rows = await self._conn.execute(stmt.limit(limit).offset(offset))
        return [listing_of(r) for r in rows], int(total)

    async def listings_of(self, seller_id: MemberId) -> list[Listing]:
        rows = await self._conn.execute(
            select(LISTINGS)
            .where(LISTINGS.c.seller_id == seller_id)
            .order_by(LISTINGS.c.id.desc())
            .limit(25)
        )
        return [listing_of(r) for r in rows]

    async def add_order(
        self,
        listing: Listing,
        buyer_id: MemberId,
        hold_id: int,
        note: str | None,
        now: datetime,
    ) -> OrderId:
        result = await self._conn.execute(
            ORDERS.insert()
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
            .returning(ORDERS.c.id)
        )
        return OrderId(int(result.scalar_one()))

    async def order(self, community_id: CommunityId, order_id: OrderId) -> Order | None:
        row = (
            await self._conn.execute(
                select(ORDERS).where(ORDERS.c.id == order_id, ORDERS.c.community_id == community_id)
            )
        ).first()
        return order_of(row) if row else None

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
            update(ORDERS)
            .where(ORDERS.c.id == order_id, ORDERS.c.status.in_([str(s) for s in allowed]))
            .values(**values)
        )
        return result.rowcount == 1

    async def orders_of(self, member_id: MemberId, limit: int) -> list[Order]:
        rows = await self._conn.execute(
            select(ORDERS)
            .where(or_(ORDERS.c.buyer_id == member_id, ORDERS.c.seller_id == member_id))
            .order_by(ORDERS.c.id.desc())
            .limit(limit)
        )
        return [order_of(r) for r in rows]

    async def add_rating(self, rating: Rating) -> bool:
        return await insert_ignore(
            self._conn,
            RATINGS,
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
        row = (
            await self._conn.execute(select(RATINGS).where(RATINGS.c.order_id == order_id))
        ).first()
        return rating_of(row) if row else None

    async def set_reply(self, order_id: OrderId, reply: str) -> bool:
        result = await self._conn.execute(
            update(RATINGS)
            .where(RATINGS.c.order_id == order_id, RATINGS.c.reply.is_(None))
            .values(reply=reply)
        )
        return result.rowcount == 1

    async def stars(
        self, *, listing_id: ListingId | None = None, seller_id: MemberId | None = None
    ) -> tuple[int, int]:
        stmt = select(func.coalesce(func.sum(RATINGS.c.stars), 0), func.count())
        if listing_id is not None:
            stmt = stmt.where(RATINGS.c.listing_id == listing_id)
        if seller_id is not None:
            stmt = stmt.where(RATINGS.c.seller_id == seller_id)
        total, count = (await self._conn.execute(stmt)).one()
        return int(total), int(count)

    async def ratings_of_listing(self, listing_id: ListingId, limit: int) -> list[Rating]:
        rows = await self._conn.execute(
            select(RATINGS)
            .where(RATINGS.c.listing_id == listing_id)
            .order_by(RATINGS.c.created_at.desc())
            .limit(limit)
        )
        return [rating_of(r) for r in rows]
