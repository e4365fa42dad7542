"""Invite codes and referrals; one referral per newcomer (the primary key)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, ForeignKey, Index, String, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.referrals.model import Invite, Referral, ReferralWeek
from domain.referrals.repository import ReferralRepository
from storage.base import Base
from storage.registry import implements
from storage.types import UTCDateTime


class InviteRow(Base):
    """A member's invite code on one platform."""

    __tablename__ = "referral_invites"
    __table_args__ = (
        Index("uq_referral_invites_member", "community_id", "member_id", "platform", unique=True),
    )

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    platform: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    joins: Mapped[int] = mapped_column(default=0, server_default="0")


class ReferralRow(Base):
    """Who brought a newcomer; the newcomer is the key, so nobody is referred twice."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_pending", "community_id", "activated_at", "expired"),)

    referred_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    referrer_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    code: Mapped[str] = mapped_column(String(32))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expired: Mapped[bool] = mapped_column(Boolean(), default=False, server_default="0")


_I = InviteRow.__table__
_R = ReferralRow.__table__


def _invite(row: object) -> Invite:
    m = row._mapping  # type: ignore[attr-defined]  # a SQLAlchemy Row
    return Invite(
        m["code"],
        CommunityId(m["community_id"]),
        MemberId(m["member_id"]),
        m["platform"],
        m["created_at"],
        m["joins"],
    )


def _referral(row: object) -> Referral:
    m = row._mapping  # type: ignore[attr-defined]  # a SQLAlchemy Row
    return Referral(
        CommunityId(m["community_id"]),
        MemberId(m["referred_id"]),
        MemberId(m["referrer_id"]),
        m["code"],
        m["joined_at"],
        m["activated_at"],
        bool(m["expired"]),
    )


@implements(ReferralRepository)
class SqlReferralRepository:
    """Implements `ReferralRepository`."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def invite_of(
        self, community_id: CommunityId, member_id: MemberId, platform: str
    ) -> Invite | None:
        row = (
            await self._conn.execute(
                select(_I).where(
                    _I.c.community_id == community_id,
                    _I.c.member_id == member_id,
                    _I.c.platform == platform,
                )
            )
        ).first()
        return _invite(row) if row else None

    async def add_invite(self, invite: Invite) -> None:
        await self._conn.execute(
            insert(_I).values(
                community_id=invite.community_id,
                code=invite.code,
                member_id=invite.member_id,
                platform=invite.platform,
                created_at=invite.created_at,
                joins=0,
            )
        )

    async def invite(self, community_id: CommunityId, code: str) -> Invite | None:
        # Discord's codes are case-sensitive; ours are upper case, typed any way.
        row = (
            await self._conn.execute(
                select(_I)
                .where(_I.c.community_id == community_id, _I.c.code.in_([code, code.upper()]))
                .order_by((_I.c.code == code).desc())
            )
        ).first()
        return _invite(row) if row else None

    async def add_referral(self, referral: Referral) -> bool:
        try:
            async with self._conn.begin_nested():
                await self._conn.execute(
                    insert(_R).values(
                        referred_id=referral.referred_id,
                        community_id=referral.community_id,
                        referrer_id=referral.referrer_id,
                        code=referral.code,
                        joined_at=referral.joined_at,
                        expired=False,
                    )
                )
        except IntegrityError:
            return False
        await self._conn.execute(
            update(_I)
            .where(_I.c.community_id == referral.community_id, _I.c.code == referral.code)
            .values(joins=_I.c.joins + 1)
        )
        return True

    async def pending(self, community_id: CommunityId) -> list[Referral]:
        rows = await self._conn.execute(
            select(_R)
            .where(
                _R.c.community_id == community_id,
                _R.c.activated_at.is_(None),
                _R.c.expired.is_(False),
            )
            .order_by(_R.c.joined_at)
        )
        return [_referral(r) for r in rows]

    async def checkins_between(self, member_id: MemberId, start: datetime, end: datetime) -> int:
        checkins = Base.metadata.tables["checkins"]
        stmt = select(func.count()).where(
            checkins.c.member_id == member_id,
            checkins.c.checked_at >= start,
            checkins.c.checked_at < end,
        )
        return int((await self._conn.execute(stmt)).scalar_one())

    async def activate(self, referred_id: MemberId, now: datetime) -> bool:
        result = await self._conn.execute(
            update(_R)
            .where(_R.c.referred_id == referred_id, _R.c.activated_at.is_(None))
            .values(activated_at=now)
        )
        return result.rowcount == 1

    async def expire(self, referred_id: MemberId) -> None:
        await self._conn.execute(
            update(_R).where(_R.c.referred_id == referred_id).values(expired=True)
        )

    async def weeks(
        self, community_id: CommunityId, first: date, last: date, tz: str
    ) -> list[ReferralWeek]:
        zone = ZoneInfo(tz)
        out = []
        monday = first
        while monday <= last:
            start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
            nxt = monday + timedelta(days=7)
            end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
            members = await self._members_at(community_id, nxt - timedelta(days=1), end)
            out.append(
                ReferralWeek(
                    week_start=monday,
                    invites=await self._count(_I, "created_at", community_id, start, end),
                    joins=await self._count(_R, "joined_at", community_id, start, end),
                    activations=await self._count(_R, "activated_at", community_id, start, end),
                    members=members,
                )
            )
            monday = nxt
        return out

    async def _count(
        self, table: Table, column: str, community_id: CommunityId, start: datetime, end: datetime
    ) -> int:
        col = table.c[column]
        stmt = select(func.count()).where(
            table.c.community_id == community_id, col >= start, col < end
        )
        return int((await self._conn.execute(stmt)).scalar_one())

    async def _members_at(self, community_id: CommunityId, day: date, end: datetime) -> int:
        """Members at a week's end: the analytics roll-up's figure, else a count."""
        daily = Base.metadata.tables.get("analytics_daily")
        if daily is not None:
            stored = (
                await self._conn.execute(
                    select(daily.c.members)
                    .where(daily.c.community_id == community_id, daily.c.day <= day)
                    .order_by(daily.c.day.desc())
                    .limit(1)
                )
            ).scalar()
            if stored is not None:
                return int(stored)
        members = Base.metadata.tables["members"]
        stmt = select(func.count()).where(
            members.c.community_id == community_id, members.c.joined_at < end
        )
        return int((await self._conn.execute(stmt)).scalar_one())
