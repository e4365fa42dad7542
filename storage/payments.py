"""Stripe events seen, credit purchases, clawbacks and premium subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.payments.model import Premium, Purchase, SubscriptionStatus
from domain.payments.repository import PaymentsRepository
from storage.base import Base
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime


class StripeEventRow(Base):
    """Every webhook event id applied; the primary key makes a redelivery a no-op."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PurchaseRow(Base):
    """A paid credit pack, keyed by its Checkout Session."""

    __tablename__ = "payment_purchases"
    __table_args__ = (Index("ix_payment_purchases_intent", "payment_intent"),)

    session_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    pack_id: Mapped[str] = mapped_column(String(24))
    credits: Mapped[int] = mapped_column()
    payment_intent: Mapped[str | None] = mapped_column(String(255))
    amount_cents: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ClawbackRow(Base):
    """Credits taken back (and owed beyond the balance) for one refund or dispute."""

    __tablename__ = "payment_clawbacks"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("payment_purchases.session_id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    taken: Mapped[int] = mapped_column()
    debt: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DebtSettlementRow(Base):
    """Credits that paid off a debt, once per credit that came in (the ledger key's suffix)."""

    __tablename__ = "payment_debt_settlements"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    amount: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PremiumRow(Base):
    """A subscription's last known state (from the newest event applied)."""

    __tablename__ = "premium_subscriptions"

    subscription_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(255))
    plan_id: Mapped[str | None] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24))
    period_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event_at: Mapped[datetime] = mapped_column(UTCDateTime())


_EV = StripeEventRow.__table__
_P = PurchaseRow.__table__
_C = ClawbackRow.__table__
_S = PremiumRow.__table__
_D = DebtSettlementRow.__table__
# Built once: every projector batch asks (`DebtSettler.settle`), usually of nobody.
_OWED = (
    select(_C.c.member_id, func.sum(_C.c.debt).label("debt"))
    .where(_C.c.member_id.in_(bindparam("ids", expanding=True)), _C.c.debt > 0)
    .group_by(_C.c.member_id)
)
_PAID = (
    select(_D.c.member_id, func.sum(_D.c.amount))
    .where(_D.c.member_id.in_(bindparam("ids", expanding=True)))
    .group_by(_D.c.member_id)
)


def _purchase(r: Any) -> Purchase:
    return Purchase(
        r.session_id,
        CommunityId(r.community_id),
        MemberId(r.member_id),
        r.pack_id,
        r.credits,
        r.payment_intent,
        r.amount_cents,
    )


def _premium(r: Any) -> Premium:
    return Premium(
        r.subscription_id,
        CommunityId(r.community_id),
        MemberId(r.member_id),
        r.plan_id,
        SubscriptionStatus(r.status),
        r.period_end,
        r.event_at,
    )


@implements(PaymentsRepository)
class SqlPaymentsRepository:
    """The payments repository on the SQL database; each event and purchase stored once."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def claim_event(self, event_id: str, kind: str, now: datetime) -> bool:
        return await insert_ignore(
            self._conn, _EV, {"id": event_id, "kind": kind[:64], "received_at": now}
        )

    async def add_purchase(self, purchase: Purchase, now: datetime) -> bool:
        return await insert_ignore(
            self._conn,
            _P,
            {
                "session_id": purchase.session_id,
                "community_id": purchase.community_id,
                "member_id": purchase.member_id,
                "pack_id": purchase.pack_id,
                "credits": purchase.credits,
                "payment_intent": purchase.payment_intent,
                "amount_cents": purchase.amount_cents,
                "created_at": now,
            },
        )

    async def purchase_by_payment_intent(self, payment_intent: str) -> Purchase | None:
        row = (
            await self._conn.execute(select(_P).where(_P.c.payment_intent == payment_intent))
        ).first()
        return _purchase(row) if row else None

    async def clawed(self, session_id: str) -> int:
        value = (
            await self._conn.execute(
                select(func.coalesce(func.sum(_C.c.taken + _C.c.debt), 0)).where(
                    _C.c.session_id == session_id
                )
            )
        ).scalar_one()
        return int(value)

    async def add_clawback(
        self, session_id: str, member_id: MemberId, taken: int, debt: int, key: str, now: datetime
    ) -> bool:
        return await insert_ignore(
            self._conn,
            _C,
            {
                "key": key,
                "session_id": session_id,
                "member_id": member_id,
                "taken": taken,
                "debt": debt,
                "created_at": now,
            },
        )

    async def debt(self, member_id: MemberId) -> int:
        return (await self.debts([member_id])).get(member_id, 0)

    async def debts(self, member_ids: Sequence[MemberId]) -> dict[MemberId, int]:
        ids = sorted(set(member_ids))
        owed = await self._conn.execute(_OWED, {"ids": ids})
        found = {MemberId(m): int(d) for m, d in owed}
        if not found:
            return {}  # the common case: one indexed look-up, nobody owes anything
        for m, amount in await self._conn.execute(_PAID, {"ids": list(found)}):
            found[MemberId(m)] -= int(amount)
        return {m: d for m, d in found.items() if d > 0}

    async def add_settlement(
        self, key: str, member_id: MemberId, amount: int, now: datetime
    ) -> bool:
        return await insert_ignore(
            self._conn,
            _D,
            {"key": key, "member_id": member_id, "amount": amount, "created_at": now},
        )

    async def premium(self, subscription_id: str) -> Premium | None:
        row = (
            await self._conn.execute(select(_S).where(_S.c.subscription_id == subscription_id))
        ).first()
        return _premium(row) if row else None

    async def premium_of(self, member_id: MemberId) -> Premium | None:
        row = (
            await self._conn.execute(
                select(_S).where(_S.c.member_id == member_id).order_by(_S.c.event_at.desc())
            )
        ).first()
        return _premium(row) if row else None

    async def save_premium(self, premium: Premium, customer_id: str | None) -> None:
        values = {
            "community_id": premium.community_id,
            "member_id": premium.member_id,
            "plan_id": premium.plan_id,
            "status": str(premium.status),
            "period_end": premium.period_end,
            "event_at": premium.event_at,
        }
        if customer_id:
            values["customer_id"] = customer_id
        result = await self._conn.execute(
            update(_S).where(_S.c.subscription_id == premium.subscription_id).values(**values)
        )
        if result.rowcount == 0:
            await insert_ignore(
                self._conn,
                _S,
                {"subscription_id": premium.subscription_id, "customer_id": customer_id, **values},
            )

    async def customer_of(self, member_id: MemberId) -> str | None:
        row = (
            await self._conn.execute(
                select(_S.c.customer_id)
                .where(_S.c.member_id == member_id, _S.c.customer_id.is_not(None))
                .order_by(_S.c.event_at.desc())
            )
        ).first()
        return None if row is None else str(row[0])
