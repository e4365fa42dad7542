"""Escrow holds and their payouts (see `domain.points.escrow`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    case,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.points.escrow import EscrowMove, EscrowRepository, Hold, HoldId, NewHold
from storage.base import Base
from storage.registry import implements
from storage.sql import upsert
from storage.types import UTCDateTime


class EscrowHoldRow(Base):
    """Points taken from a member and not yet paid out; `remaining` only goes down."""

    __tablename__ = "escrow_holds"
    __table_args__ = (
        # One hold per operation: the database refuses a replayed key.
        Index("uq_escrow_holds_community_key", "community_id", "key", unique=True),
        Index("ix_escrow_holds_payer", "payer_id", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        # The guard behind every payout: never more out than was held.
        CheckConstraint("remaining >= 0 AND remaining <= amount", name="remaining_within_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    purpose: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(150))
    amount: Mapped[int] = mapped_column()
    remaining: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EscrowMoveRow(Base):
    """One payout from a hold: to a member (with its ledger row) or a fee to the community."""

    __tablename__ = "escrow_moves"
    __table_args__ = (
        # A settlement's key is applied to a hold once.
        Index("uq_escrow_moves_hold_key", "hold_id", "key", unique=True),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    hold_id: Mapped[int] = mapped_column(ForeignKey("escrow_holds.id"))
    key: Mapped[str] = mapped_column(String(160))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    amount: Mapped[int] = mapped_column()
    ledger_key: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


_H = cast(Table, EscrowHoldRow.__table__)
_M = cast(Table, EscrowMoveRow.__table__)

# The WHERE clause is the guard: two payouts racing cannot take more than is left.
_TAKE = (
    update(_H)
    .where(_H.c.id == bindparam("h_id"), _H.c.remaining >= bindparam("h_amount"))
    .values(
        remaining=_H.c.remaining - bindparam("h_amount"),
        settled_at=case(
            (_H.c.remaining == bindparam("h_amount"), bindparam("h_now", type_=UTCDateTime())),
            else_=_H.c.settled_at,
        ),
    )
    .returning(_H.c.remaining)
)


def _hold(r: Any) -> Hold:
    return Hold(
        id=HoldId(r.id),
        community_id=CommunityId(r.community_id),
        payer_id=MemberId(r.payer_id),
        purpose=r.purpose,
        key=r.key,
        amount=r.amount,
        remaining=r.remaining,
        created_at=r.created_at,
        settled_at=r.settled_at,
    )


@implements(EscrowRepository)
class SqlEscrowRepository:
    """Holds and payouts with Core statements and database guards."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def open(self, hold: NewHold) -> HoldId | None:
        values = {
            "community_id": hold.community_id,
            "payer_id": hold.payer_id,
            "purpose": hold.purpose,
            "key": hold.key,
            "amount": hold.amount,
            "remaining": hold.amount,
            "reason": hold.reason,
            "created_at": hold.created_at,
        }
        result = await upsert(self._conn, _H, [values], conflict=(), set_=None, returning=("id",))
        value = result.scalar_one_or_none()
        return None if value is None else HoldId(int(value))

    async def get(self, hold_id: HoldId, *, for_update: bool = False) -> Hold | None:
        stmt = select(_H).where(_H.c.id == hold_id)
        if for_update and self._conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = (await self._conn.execute(stmt)).first()
        return _hold(row) if row else None

    async def by_key(self, community_id: CommunityId, key: str) -> Hold | None:
        row = (
            await self._conn.execute(
                select(_H).where(_H.c.community_id == community_id, _H.c.key == key)
            )
        ).first()
        return _hold(row) if row else None

    async def take(self, hold_id: HoldId, amount: int, now: datetime) -> int | None:
        result = await self._conn.execute(
            _TAKE, {"h_id": hold_id, "h_amount": amount, "h_now": now}
        )
        value = result.scalar_one_or_none()
        return None if value is None else int(value)

    async def add_moves(self, moves: Sequence[EscrowMove]) -> bool:
        rows = [
            {
                "hold_id": m.hold_id,
                "key": m.key,
                "member_id": m.member_id,
                "amount": m.amount,
                "ledger_key": m.ledger_key,
                "actor_id": m.actor_id,
                "created_at": m.created_at,
            }
            for m in moves
        ]
        first, rest = rows[0], rows[1:]
        # The first row decides: a replayed settlement conflicts on it and writes nothing.
        inserted = await upsert(self._conn, _M, [first], conflict=(), set_=None, returning=("id",))
        if inserted.scalar_one_or_none() is None:
            return False
        if rest:
            await self._conn.execute(_M.insert(), rest)
        return True

    async def applied(self, hold_id: HoldId, key: str) -> bool:
        row = (
            await self._conn.execute(
                select(_M.c.id).where(_M.c.hold_id == hold_id, _M.c.key == key)
            )
        ).first()
        return row is not None

    async def moves(self, hold_id: HoldId) -> list[EscrowMove]:
        rows = await self._conn.execute(select(_M).where(_M.c.hold_id == hold_id).order_by(_M.c.id))
        return [
            EscrowMove(
                hold_id=HoldId(r.hold_id),
                key=r.key,
                member_id=None if r.member_id is None else MemberId(r.member_id),
                amount=r.amount,
                ledger_key=r.ledger_key,
                created_at=r.created_at,
                actor_id=None if r.actor_id is None else MemberId(r.actor_id),
            )
            for r in rows
        ]
