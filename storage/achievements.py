"""Member counters and held achievements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.achievements.repository import (
    AchievementRepository,
    CounterRepository,
    CounterTotal,
)
from domain.core.ids import CommunityId, MemberId
from domain.identity.activities import MemberJoined
from storage import activity_log
from storage.base import Base
from storage.identity import MemberRow
from storage.registry import implements, on_enrol
from storage.sql import insert_ignore, prepare, upsert, upsert_parts
from storage.types import UTCDateTime


class MemberCounterRow(Base):
    """One counter of one member ("checkins", "votes_cast", …)."""

    __tablename__ = "member_counters"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    counter: Mapped[str] = mapped_column(String(32), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    value: Mapped[int] = mapped_column(BigInteger(), default=0, server_default="0")


class MemberAchievementRow(Base):
    """An achievement a member holds; the primary key makes holding it twice impossible."""

    __tablename__ = "member_achievements"
    __table_args__ = (Index("ix_member_achievements_held", "community_id", "achievement_id"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    achievement_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AchievementHoldersRow(Base):
    """How many members hold an achievement, moved with each grant (rarity without a scan)."""

    __tablename__ = "achievement_holders"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    achievement_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    holders: Mapped[int] = mapped_column(default=0, server_default="0")


_MEMBERS = "members"


class CommunitySizeRow(Base):
    """How many members joined a community: rarity's denominator without a count(*).

    Kept by the community-size projection from `member_joined` activities
    (migration 0020 logged one for every member enrolled before it).
    """

    __tablename__ = "community_sizes"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    # What is counted ("members"): a second key column, so merging two communities
    # adds their counts (`storage.merging` adds up per-community count rows).
    what: Mapped[str] = mapped_column(String(16), primary_key=True, default=_MEMBERS)
    members: Mapped[int] = mapped_column(default=0, server_default="0")


@on_enrol
async def log_member_joined(
    conn: AsyncConnection, community_id: CommunityId, member_id: MemberId
) -> None:
    """Log the join in the enrolling transaction; the projection counts it after commit."""
    joined_at = (
        await conn.execute(select(_M.c.joined_at).where(_M.c.id == member_id))
    ).scalar_one()
    joined = MemberJoined(
        community_id=community_id,
        member_id=member_id,
        key=f"member_joined:{member_id}",
        occurred_at=joined_at,
    )
    await activity_log.append(conn, [joined], applied=False)


_C = MemberCounterRow.__table__
_Z = CommunitySizeRow.__table__
_N = AchievementHoldersRow.__table__
# Every unlock reads its community's holders (rarity): prepared once (storage.sql.prepare).
_HOLDERS = prepare(
    select(_N.c.achievement_id, _N.c.holders).where(_N.c.community_id == bindparam("b_community"))
)
_H = MemberAchievementRow.__table__
_M = MemberRow.__table__


_KEY = ("member_id", "counter")
_VALUE = ("value",)
_ADD = "value = member_counters.value + excluded.value"
_RAISE = (
    "value = CASE WHEN excluded.value > member_counters.value"
    " THEN excluded.value ELSE member_counters.value END"
)


@implements(CounterRepository)
class SqlCounterRepository:
    """Counters moved by one UPSERT each: concurrent increments add up."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(
        self, community_id: CommunityId, member_id: MemberId, counter: str, amount: int
    ) -> int:
        values = {
            "member_id": member_id,
            "counter": counter,
            "community_id": community_id,
            "value": amount,
        }
        result = await upsert(self._conn, _C, [values], conflict=_KEY, set_=_ADD, returning=_VALUE)
        return int(result.scalar_one())

    async def raise_to(
        self, community_id: CommunityId, member_id: MemberId, counter: str, value: int
    ) -> int:
        values = {
            "member_id": member_id,
            "counter": counter,
            "community_id": community_id,
            "value": value,
        }
        result = await upsert(
            self._conn, _C, [values], conflict=_KEY, set_=_RAISE, returning=_VALUE
        )
        return int(result.scalar_one())

    async def move_many(
        self, moves: list[CounterTotal], *, best_of: bool
    ) -> dict[tuple[MemberId, str], int]:
        out: dict[tuple[MemberId, str], int] = {}
        for part in upsert_parts(self._conn, moves):
            rows = [
                {
                    "member_id": m.member_id,
                    "counter": m.counter,
                    "community_id": m.community_id,
                    "value": m.amount,
                }
                for m in part
            ]
            result = await upsert(
                self._conn,
                _C,
                rows,
                conflict=_KEY,
                set_=_RAISE if best_of else _ADD,
                returning=("member_id", "counter", "value"),
            )
            out.update({(MemberId(r.member_id), r.counter): int(r.value) for r in result})
        return out

    async def values(self, member_id: MemberId) -> dict[str, int]:
        rows = await self._conn.execute(
            select(_C.c.counter, _C.c.value).where(_C.c.member_id == member_id)
        )
        return {r.counter: int(r.value) for r in rows}


@implements(AchievementRepository)
class SqlAchievementRepository:
    """Member counters and held achievements, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        # New holders per (community, achievement), written by `before_commit`:
        # an achievement_holders row is shared by the whole community, so on
        # PostgreSQL bumping it mid-transaction queued every other unlock of
        # the same achievement behind the rest of this transaction.
        self._new_holders: dict[tuple[CommunityId, str], int] = {}

    async def before_commit(self) -> None:
        """Write the held-back holder counts, in a fixed order."""
        pending, self._new_holders = self._new_holders, {}
        if not pending:
            return
        # One statement for every achievement, riding with the transaction's next
        # (nothing after this flush reads the holders in its transaction).
        await upsert(
            self._conn,
            _N,
            [
                {"community_id": c, "achievement_id": a, "holders": pending[(c, a)]}
                for c, a in sorted(pending)
            ],
            conflict=("community_id", "achievement_id"),
            set_="holders = achievement_holders.holders + excluded.holders",
            ride=True,
        )

    async def grant(
        self, community_id: CommunityId, member_id: MemberId, achievement_id: str, at: datetime
    ) -> bool:
        granted = await insert_ignore(
            self._conn,
            _H,
            {
                "member_id": member_id,
                "achievement_id": achievement_id,
                "community_id": community_id,
                "unlocked_at": at,
            },
        )
        if granted:
            key = (community_id, achievement_id)
            self._new_holders[key] = self._new_holders.get(key, 0) + 1
        return granted

    async def grant_many(
        self, grants: list[tuple[CommunityId, MemberId, str, datetime]]
    ) -> set[tuple[MemberId, str]]:
        # One row per (member, achievement) (the first time wins), in key order
        # so concurrent projectors take the rows' locks in one order.
        rows = {(m, a): (c, at) for c, m, a, at in reversed(grants)}
        out: set[tuple[MemberId, str]] = set()
        keys = sorted(rows)
        for part in upsert_parts(self._conn, keys):
            result = await upsert(
                self._conn,
                _H,
                [
                    {
                        "member_id": m,
                        "achievement_id": a,
                        "community_id": rows[(m, a)][0],
                        "unlocked_at": rows[(m, a)][1],
                    }
                    for m, a in part
                ],
                conflict=(),
                set_=None,
                returning=("member_id", "achievement_id"),
            )
            for r in result:
                member, achievement = MemberId(r.member_id), r.achievement_id
                out.add((member, achievement))
                key = (rows[(member, achievement)][0], achievement)
                self._new_holders[key] = self._new_holders.get(key, 0) + 1
        return out

    async def held(self, member_id: MemberId) -> dict[str, datetime]:
        rows = await self._conn.execute(
            select(_H.c.achievement_id, _H.c.unlocked_at).where(_H.c.member_id == member_id)
        )
        return {r.achievement_id: r.unlocked_at for r in rows}

    async def holders(self, community_id: CommunityId) -> dict[str, int]:
        rows = await _HOLDERS.rows(self._conn, {"b_community": community_id})
        counts = {r.achievement_id: int(r.holders) for r in rows}
        for (community, achievement_id), new in self._new_holders.items():
            if community == community_id:
                counts[achievement_id] = counts.get(achievement_id, 0) + new
        return counts

    async def members(self, community_id: CommunityId) -> int:
        stored = (
            await self._conn.execute(
                select(_Z.c.members).where(_Z.c.community_id == community_id, _Z.c.what == _MEMBERS)
            )
        ).scalar_one_or_none()
        return int(stored or 0)

    async def grow_communities(self, joined: dict[CommunityId, int]) -> None:
        await upsert(
            self._conn,
            _Z,
            [
                {"community_id": c, "what": _MEMBERS, "members": n}
                for c, n in sorted(joined.items())
            ],
            conflict=("community_id", "what"),
            set_="members = community_sizes.members + excluded.members",
        )
