"""XP totals per member and the log of every XP award."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.progress.model import DayTotals, MemberXp, XpAward
from domain.progress.repository import XpRepository
from storage.base import Base
from storage.identity import CommunityRow, MemberRow
from storage.registry import implements
from storage.sql import chunks, insert_ignore, upsert, upsert_parts
from storage.types import UTCDateTime


class MemberXpRow(Base):
    """One row per member who ever earned XP: the running total, level and tier."""

    __tablename__ = "member_xp"
    __table_args__ = (Index("ix_member_xp_community_xp", "community_id", "xp"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    xp: Mapped[int] = mapped_column(default=0, server_default="0")
    level: Mapped[int] = mapped_column(default=1, server_default="1")
    tier_index: Mapped[int] = mapped_column(default=0, server_default="0")


class XpAwardRow(Base):
    """Append-only: one row per XP gain; the key makes one occurrence pay once."""

    __tablename__ = "xp_awards"
    __table_args__ = (
        Index("uq_xp_awards_community_key", "community_id", "key", unique=True),
        # cooldown (latest award) and daily cap (one local day) per member and source
        Index("ix_xp_awards_member_source_day", "member_id", "source", "local_date"),
        Index("ix_xp_awards_member_source_time", "member_id", "source", "created_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    source: Mapped[str] = mapped_column(String(48))
    amount: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(200))
    local_date: Mapped[date] = mapped_column(Date())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


_X = MemberXpRow.__table__
_W = XpAwardRow.__table__
_M = MemberRow.__table__
_C = CommunityRow.__table__


# Built once with bound parameters (building it per call cost about as much
# Python as executing it).
_ADD_XP = (
    update(_X)
    .where(_X.c.member_id == bindparam("b_member_id"))
    .values(xp=_X.c.xp + bindparam("b_amount", type_=Integer()))
    .returning(_X.c.xp, _X.c.level, _X.c.tier_index)
)


# A level (and its tier) only rises: the batch's computed one, or the stored one.
_CREDIT = (
    "xp = member_xp.xp + excluded.xp,"
    " tier_index = CASE WHEN excluded.level > member_xp.level"
    " THEN excluded.tier_index ELSE member_xp.tier_index END,"
    " level = CASE WHEN excluded.level > member_xp.level"
    " THEN excluded.level ELSE member_xp.level END"
)


def _state(member_id: MemberId, row: Row[Any] | None) -> MemberXp:
    if row is None:
        return MemberXp(member_id, 0, 1, 0)
    return MemberXp(member_id, row.xp, row.level, row.tier_index)


@implements(XpRepository)
class SqlXpRepository:
    """XP over SQL, one instance per unit of work.

    It remembers the totals its own locking statements returned (`lock`,
    `add_xp`): this transaction holds those rows locked until it ends, so
    nobody else can move them, and `get` answers from memory instead of
    reading the row again (the tier nudge after every XP gain did).
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._locked: dict[MemberId, MemberXp] = {}
        self._community: dict[MemberId, CommunityId] = {}  # of the rows `lock_many` holds
        self._zones: dict[MemberId, str | None] = {}  # `earners`: None for a locked member

    async def get(self, member_id: MemberId) -> MemberXp:
        known = self._locked.get(member_id)
        if known is not None:
            return known
        row = (await self._conn.execute(select(_X).where(_X.c.member_id == member_id))).first()
        return _state(member_id, row)

    async def lock(self, community_id: CommunityId, member_id: MemberId) -> MemberXp:
        # One statement creates the row if needed, locks it (PostgreSQL takes a
        # row lock on ON CONFLICT DO UPDATE) and reads it back.
        result = await upsert(
            self._conn,
            _X,
            [
                {
                    "member_id": member_id,
                    "community_id": community_id,
                    "xp": 0,
                    "level": 1,
                    "tier_index": 0,
                }
            ],
            conflict=("member_id",),
            set_="member_id = excluded.member_id",
            returning=("xp", "level", "tier_index"),
        )
        state = self._locked[member_id] = _state(member_id, result.one())
        return state

    async def recent(
        self, member_id: MemberId, source: str, local_date: date
    ) -> tuple[DayTotals, datetime | None]:
        today = (
            select(func.count(), func.coalesce(func.sum(_W.c.amount), 0))
            .where(
                _W.c.member_id == member_id,
                _W.c.source == source,
                _W.c.local_date == local_date,
            )
            .subquery()
        )
        latest = (
            select(_W.c.created_at)
            .where(_W.c.member_id == member_id, _W.c.source == source)
            .order_by(_W.c.created_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        row = (await self._conn.execute(select(today, latest.label("latest")))).one()
        return DayTotals(int(row[0]), int(row[1])), _aware(row[2])

    async def day_summary(self, member_id: MemberId, local_date: date) -> dict[str, DayTotals]:
        rows = await self._conn.execute(
            select(_W.c.source, func.count(), func.sum(_W.c.amount))
            .where(_W.c.member_id == member_id, _W.c.local_date == local_date)
            .group_by(_W.c.source)
        )
        return {r[0]: DayTotals(int(r[1]), int(r[2] or 0)) for r in rows}

    async def add_award(self, award: XpAward) -> bool:
        return await insert_ignore(
            self._conn,
            _W,
            {
                "community_id": award.community_id,
                "member_id": award.member_id,
                "source": award.source,
                "amount": award.amount,
                "key": award.key,
                "local_date": award.local_date,
                "created_at": award.created_at,
            },
        )

    async def add_xp(self, member_id: MemberId, amount: int) -> int:
        result = await self._conn.execute(_ADD_XP, {"b_member_id": member_id, "b_amount": amount})
        state = self._locked[member_id] = _state(member_id, result.one())
        return state.xp

    async def raise_level(self, member_id: MemberId, level: int, tier_index: int) -> bool:
        result = await self._conn.execute(
            update(_X)
            .where(_X.c.member_id == member_id, _X.c.level < level)
            .values(level=level, tier_index=tier_index)
        )
        self._locked.pop(member_id, None)
        return result.rowcount == 1

    # -- batches (the XP projection) ----------------------------------------------------

    async def earners(self, member_ids: Collection[MemberId]) -> dict[MemberId, str]:
        # Kept for the unit of work: a batch's later passes (the XP its own
        # unlocks pay) ask again about the same members.
        unknown = sorted(m for m in member_ids if m not in self._zones)
        if unknown:
            rows = await self._conn.execute(
                select(_M.c.id, _M.c.timezone, _C.c.timezone.label("community_timezone"))
                .join(_C, _C.c.id == _M.c.community_id)
                .where(_M.c.id.in_(unknown), _M.c.locked_reason.is_(None))
            )
            found = {MemberId(r.id): r.timezone or r.community_timezone or "UTC" for r in rows}
            for member_id in unknown:
                self._zones[member_id] = found.get(member_id)
        return {m: zone for m in member_ids if (zone := self._zones[m]) is not None}

    async def lock_many(self, members: Mapping[MemberId, CommunityId]) -> dict[MemberId, MemberXp]:
        # A no-op upsert creates missing rows and locks every one, in one statement per chunk.
        # Rows this transaction already holds are known (a batch's later passes pay
        # its unlocks to the same members): no statement touches them again, so
        # the credit riding from an earlier pass (`add_xp_many`) never meets one.
        unknown = {m: (c, 0) for m, c in members.items() if m not in self._locked}
        if unknown:
            self._locked.update(await self._upsert_xp(unknown, "member_id = excluded.member_id"))
        self._community.update(members)
        return {m: self._locked[m] for m in members}

    async def _upsert_xp(
        self, rows_by_member: Mapping[MemberId, tuple[CommunityId, int]], set_: str
    ) -> dict[MemberId, MemberXp]:
        """Insert or update member_xp rows in key order (one lock order for every batch)."""
        out: dict[MemberId, MemberXp] = {}
        for part in upsert_parts(self._conn, sorted(rows_by_member)):
            rows = [
                {
                    "member_id": m,
                    "community_id": rows_by_member[m][0],
                    "xp": rows_by_member[m][1],
                    "level": 1,
                    "tier_index": 0,
                }
                for m in part
            ]
            result = await upsert(
                self._conn,
                _X,
                rows,
                conflict=("member_id",),
                set_=set_,
                returning=("member_id", "xp", "level", "tier_index"),
            )
            for r in result:
                out[MemberId(r.member_id)] = _state(MemberId(r.member_id), r)
        return out

    async def recent_many(
        self, pairs: Collection[tuple[MemberId, str]], days: Collection[date], since: date
    ) -> tuple[dict[tuple[MemberId, str, date], DayTotals], dict[tuple[MemberId, str], datetime]]:
        # One GROUP BY for both answers (it was one for the days and one for the
        # latest award): a day's totals are rows on `days`; the latest award is
        # the latest over every day read, and `since` reaches back past any
        # cooldown, so an older award could not have braked anything.
        members = sorted({m for m, _ in pairs})
        sources = sorted({s for _, s in pairs})
        wanted = set(pairs)
        on_days = set(days)
        totals: dict[tuple[MemberId, str, date], DayTotals] = {}
        last: dict[tuple[MemberId, str], datetime] = {}
        for part in chunks(members):
            rows = await self._conn.execute(
                select(
                    _W.c.member_id,
                    _W.c.source,
                    _W.c.local_date,
                    func.count(),
                    func.sum(_W.c.amount),
                    func.max(_W.c.created_at),
                )
                .where(
                    _W.c.member_id.in_(part),
                    _W.c.source.in_(sources),
                    _W.c.local_date >= since,
                )
                .group_by(_W.c.member_id, _W.c.source, _W.c.local_date)
            )
            for r in rows:
                pair = (MemberId(r[0]), r[1])
                if pair not in wanted:
                    continue
                if r[2] in on_days:
                    totals[(pair[0], pair[1], r[2])] = DayTotals(int(r[3]), int(r[4] or 0))
                at = _aware(r[5])
                if at is not None and (pair not in last or at > last[pair]):
                    last[pair] = at
        return totals, last

    async def add_awards(self, awards: list[XpAward]) -> set[str]:
        paid: set[str] = set()
        for part in upsert_parts(self._conn, awards):
            rows = [
                {
                    "community_id": a.community_id,
                    "member_id": a.member_id,
                    "source": a.source,
                    "amount": a.amount,
                    "key": a.key,
                    "local_date": a.local_date,
                    "created_at": a.created_at,
                }
                for a in part
            ]
            result = await upsert(self._conn, _W, rows, conflict=(), set_=None, returning=("key",))
            paid.update(result.scalars())
        return paid

    async def add_xp_many(
        self,
        amounts: Mapping[MemberId, int],
        reached: Mapping[MemberId, tuple[int, int]] | None = None,
    ) -> None:
        """Add the XP and raise the levels reached; nothing read back (the rows are locked).

        The totals are the locked ones plus the amounts, known without asking,
        so the upsert rides with the transaction's next statement
        (`at_driver.ride`; a second credit in the transaction
        sends the first one ahead). No statement of the batch reads these rows: the
        repository answers `get` for them from memory.
        """
        reached = reached or {}
        rows = []
        for member_id in sorted(amounts):
            held = self._locked[member_id]
            level, tier = reached.get(member_id, (held.level, held.tier_index))
            if level <= held.level:
                level, tier = held.level, held.tier_index
            state = MemberXp(member_id, held.xp + amounts[member_id], level, tier)
            self._locked[member_id] = state
            rows.append(
                {
                    "member_id": member_id,
                    "community_id": self._community[member_id],
                    "xp": amounts[member_id],
                    "level": level,
                    "tier_index": tier,
                }
            )
        if rows:
            await upsert(self._conn, _X, rows, conflict=("member_id",), set_=_CREDIT, ride=True)


def _aware(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime (aggregates may come back raw on SQLite)."""
    if value is None:
        return None
    if not isinstance(value, datetime):  # pragma: no cover - raw SQLite
        value = datetime.fromisoformat(str(value))
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
