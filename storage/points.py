"""The ledger and the cached balances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.points.model import EntryKind, LedgerEntry, NewEntry
from domain.points.repository import LedgerRepository
from storage.base import Base
from storage.id_lists import in_array
from storage.ledger_post import post_at_once
from storage.registry import implements, on_enrol
from storage.sql import insert_ignore, prepare
from storage.types import UTCDateTime


class LedgerRow(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "ledger"
    __table_args__ = (
        # One operation, one row: the database refuses a replayed key.
        Index("uq_ledger_community_key", "community_id", "key", unique=True),
        Index("ix_ledger_member_id", "member_id", "id"),
        # the daily giving quota sums one member's gifts since local midnight
        Index("ix_ledger_member_kind_time", "member_id", "kind", "created_at"),
        # the expiry job looks for credits whose date has passed
        Index("ix_ledger_expires_at", "expires_at"),
    )

    # BIGINT on PostgreSQL (a busy community passes 2^31 rows); SQLite's rowid
    # alias must be spelled INTEGER to autoincrement.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column()
    counterparty_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # added by migration 0012_payments: a premium plan's boost on earned points
    multiplier: Mapped[float | None] = mapped_column(Float())


class BalanceRow(Base):
    """The cached sum of a member's ledger rows, never below zero."""

    __tablename__ = "balances"
    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    points: Mapped[int] = mapped_column(default=0, server_default="0")


class ExpiredCreditRow(Base):
    """One row per credit the expiry job processed: a credit is expired at most once."""

    __tablename__ = "ledger_expiries"

    entry_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("ledger.id"),
        primary_key=True,
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    amount: Mapped[int] = mapped_column()  # what was left of the credit and expired
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime())


_L = LedgerRow.__table__
_B = BalanceRow.__table__


@on_enrol
async def _open_balance(conn: AsyncConnection, community_id: CommunityId, member: MemberId) -> None:
    """Every member has a balance row from enrolment: awards update it in place."""
    await conn.execute(_B.insert().values(member_id=member, community_id=community_id))


_E = ExpiredCreditRow.__table__


# Built once: the hot path skips statement construction and cache-key work.
_CREDIT = prepare(
    update(_B)
    .where(_B.c.member_id == bindparam("b_member"))
    .values(points=_B.c.points + bindparam("b_amount", type_=Integer()))
    .returning(_B.c.points)
)
# The WHERE clause is the guard: the database refuses to overdraw, even when
# many debits of one member race.
_DEBIT = prepare(
    update(_B)
    .where(_B.c.member_id == bindparam("b_member"), _B.c.points >= bindparam("b_amount"))
    .values(points=_B.c.points - bindparam("b_amount"))
    .returning(_B.c.points)
)
_BALANCE = prepare(select(_B.c.points).where(_B.c.member_id == bindparam("member_id")))
# PostgreSQL only (SQLite's single writer serialises): `= ANY(array)` so the
# statement is one shape, prepared once, whatever the number of members.
_LOCK = prepare(
    select(_B.c.member_id)
    .where(in_array(_B.c.member_id, "ids"))
    .order_by(_B.c.member_id)
    .with_for_update()
)


def _entry(row: Row[Any]) -> LedgerEntry:
    r = row
    return LedgerEntry(
        id=r.id,
        community_id=CommunityId(r.community_id),
        member_id=MemberId(r.member_id),
        kind=EntryKind(r.kind),
        source=r.source,
        amount=r.amount,
        key=r.key,
        created_at=r.created_at,
        reason=r.reason,
        actor_id=r.actor_id,
        counterparty_id=r.counterparty_id,
        expires_at=r.expires_at,
    )


def _row(entry: NewEntry) -> dict[str, Any]:
    return {
        "community_id": entry.community_id,
        "member_id": entry.member_id,
        "kind": str(entry.kind),
        "source": entry.source,
        "amount": entry.amount,
        "key": entry.key,
        "reason": entry.reason,
        "actor_id": entry.actor_id,
        "counterparty_id": entry.counterparty_id,
        "created_at": entry.created_at,
        "expires_at": entry.expires_at,
        "multiplier": entry.multiplier,
    }


# Every gift checks the giver's daily cap: prepared once (storage.sql.prepare).
_GIFTED_SINCE = prepare(
    select(func.coalesce(func.sum(-_L.c.amount), 0)).where(
        _L.c.member_id == bindparam("b_member"),
        _L.c.kind == str(EntryKind.GIFTED),
        _L.c.created_at >= bindparam("b_since"),
    )
)


@implements(LedgerRepository)
class SqlLedgerRepository:
    """Ledger rows and balances with Core statements (this is the hot path)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def append(self, entry: NewEntry) -> bool:
        return await insert_ignore(self._conn, _L, _row(entry))

    async def credit(self, member_id: MemberId, amount: int) -> int:
        result = await _CREDIT.run(self._conn, {"b_member": member_id, "b_amount": amount})
        return int(result.scalar_one())

    async def debit(self, member_id: MemberId, amount: int) -> int | None:
        result = await _DEBIT.run(self._conn, {"b_member": member_id, "b_amount": amount})
        value = result.scalar_one_or_none()
        return None if value is None else int(value)

    async def post(self, entry: NewEntry) -> tuple[bool, int | None]:
        if self._conn.dialect.name == "postgresql":  # one round trip (`storage.ledger_post`)
            return await post_at_once(self._conn, _L, _row(entry))
        if not await self.append(entry):
            return False, None
        if entry.amount > 0:
            return True, await self.credit(entry.member_id, entry.amount)
        return True, await self.debit(entry.member_id, -entry.amount)

    async def balance(self, member_id: MemberId) -> int:
        value = (await _BALANCE.run(self._conn, {"member_id": member_id})).scalar_one_or_none()
        return int(value or 0)

    async def lock_balances(self, member_ids: list[MemberId]) -> None:
        if self._conn.dialect.name != "postgresql":
            return  # SQLite: the single writer already serialises transactions
        await _LOCK.rows(self._conn, {"ids": [int(m) for m in member_ids]})

    async def entry_by_key(self, community_id: CommunityId, key: str) -> LedgerEntry | None:
        row = (
            await self._conn.execute(
                select(_L).where(_L.c.community_id == community_id, _L.c.key == key)
            )
        ).first()
        return _entry(row) if row else None

    async def history(self, member_id: MemberId, limit: int, offset: int = 0) -> list[LedgerEntry]:
        rows = await self._conn.execute(
            select(_L)
            .where(_L.c.member_id == member_id)
            .order_by(_L.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_entry(r) for r in rows]

    async def count(self, member_id: MemberId) -> int:
        return int(
            (
                await self._conn.execute(
                    select(func.count()).select_from(_L).where(_L.c.member_id == member_id)
                )
            ).scalar_one()
        )

    async def gifted_since(self, member_id: MemberId, since: datetime) -> int:
        result = await _GIFTED_SINCE.run(self._conn, {"b_member": member_id, "b_since": since})
        return int(result.scalar_one())

    async def entries_of(self, member_id: MemberId) -> list[LedgerEntry]:
        rows = await self._conn.execute(
            select(_L).where(_L.c.member_id == member_id).order_by(_L.c.id)
        )
        return [_entry(r) for r in rows]

    async def members_with_due_expiry(self, now: datetime, limit: int) -> list[MemberId]:
        rows = await self._conn.execute(
            select(_L.c.member_id)
            .select_from(_L.outerjoin(_E, _E.c.entry_id == _L.c.id))
            .where(_L.c.expires_at <= now, _L.c.amount > 0, _E.c.entry_id.is_(None))
            .group_by(_L.c.member_id)
            .order_by(_L.c.member_id)
            .limit(limit)
        )
        return [MemberId(r[0]) for r in rows]

    async def mark_expiries_done(
        self, lots: list[tuple[LedgerEntry, int]], now: datetime
    ) -> set[int]:
        if not lots:
            return set()
        rows = [
            {"entry_id": e.id, "member_id": e.member_id, "amount": left, "processed_at": now}
            for e, left in lots
        ]
        fresh: set[int] = set()
        for chunk in _chunks(rows):
            result = await self._conn.execute(
                _upsert(self._conn, _E, chunk).on_conflict_do_nothing().returning(_E.c.entry_id)
            )
            fresh |= {int(r[0]) for r in result}
        return fresh

    async def append_many(self, entries: list[NewEntry]) -> set[str]:
        if not entries:
            return set()
        written: set[str] = set()
        for chunk in _chunks([_row(e) for e in entries]):
            result = await self._conn.execute(
                _upsert(self._conn, _L, chunk).on_conflict_do_nothing().returning(_L.c.key)
            )
            written |= {str(r[0]) for r in result}
        return written


def _chunks(rows: list[dict[str, Any]], size: int = 500) -> list[list[dict[str, Any]]]:
    """Keep each statement under SQLite's bound-parameter limit (32766)."""
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _upsert(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> Any:
    """A multi-row INSERT in the engine's dialect (for ON CONFLICT … RETURNING)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return insert(table).values(rows)
