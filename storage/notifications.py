"""Notification preferences, channel choices, and once-only reminder/nudge claims."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, String, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.announcements import ChannelDirectory
from domain.core.ids import CommunityId, MemberId
from domain.identity import Community
from domain.notifications.model import ChannelChoice, ReminderCandidate, StoredPrefs
from domain.notifications.repository import NotificationRepository
from storage.base import Base
from storage.checkin import StreakRow
from storage.identity import CommunityRow, MemberRow, _community, _member
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime


class NotificationPrefsRow(Base):
    """A member's choices; NULL means the community default from config.toml."""

    __tablename__ = "notification_prefs"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    reminders: Mapped[bool | None] = mapped_column(Boolean())
    nudges: Mapped[bool | None] = mapped_column(Boolean())
    dms: Mapped[bool | None] = mapped_column(Boolean())
    quiet_hours: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AnnouncementChannelRow(Base):
    """`/admin channels set`: the channel id per announcement kind and workspace."""

    __tablename__ = "announcement_channels"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StreakReminderRow(Base):
    """One row per member and local evening reminded: the UNIQUE key is the guarantee."""

    __tablename__ = "streak_reminders"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    local_date: Mapped[date] = mapped_column(Date(), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TierNudgeRow(Base):
    """One row per member and tier nudged toward: at most one nudge per tier."""

    __tablename__ = "tier_nudges"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    tier_index: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


_P = NotificationPrefsRow.__table__
_CH = AnnouncementChannelRow.__table__
_R = StreakReminderRow.__table__
_N = TierNudgeRow.__table__
_S = StreakRow.__table__
_M = MemberRow.__table__
_C = CommunityRow.__table__


def _prefs(row: Row[Any] | None) -> StoredPrefs:
    if row is None:
        return StoredPrefs()
    return StoredPrefs(
        reminders=row.reminders,
        nudges=row.nudges,
        dms=row.dms,
        quiet_hours=row.quiet_hours,
    )


@implements(ChannelDirectory)
@implements(NotificationRepository)
class SqlNotificationRepository:
    """Notification preferences, channels and reminder candidates, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def prefs(self, member_id: MemberId) -> StoredPrefs:
        row = (await self._conn.execute(select(_P).where(_P.c.member_id == member_id))).first()
        return _prefs(row)

    async def prefs_of(self, member_ids: list[MemberId]) -> dict[MemberId, StoredPrefs]:
        if not member_ids:
            return {}
        rows = await self._conn.execute(select(_P).where(_P.c.member_id.in_(member_ids)))
        found = {MemberId(r.member_id): _prefs(r) for r in rows}
        return {m: found.get(m, StoredPrefs()) for m in member_ids}

    async def save_prefs(self, member_id: MemberId, prefs: StoredPrefs, now: datetime) -> None:
        values = {
            "reminders": prefs.reminders,
            "nudges": prefs.nudges,
            "dms": prefs.dms,
            "quiet_hours": prefs.quiet_hours,
            "updated_at": now,
        }
        inserted = await insert_ignore(self._conn, _P, {"member_id": member_id, **values})
        if not inserted:
            await self._conn.execute(update(_P).where(_P.c.member_id == member_id).values(values))

    async def communities(self) -> list[Community]:
        rows = await self._conn.execute(select(_C).order_by(_C.c.id))
        return [_community(r) for r in rows]

    async def reminder_candidates(
        self, community_id: CommunityId, min_streak: int
    ) -> list[ReminderCandidate]:
        rows = await self._conn.execute(
            select(
                _M,
                _S.c.current.label("streak"),
                _S.c.last_local_date.label("last_local_date"),
                _P.c.reminders.label("p_reminders"),
                _P.c.nudges.label("p_nudges"),
                _P.c.dms.label("p_dms"),
                _P.c.quiet_hours.label("p_quiet"),
            )
            .join(_S, _S.c.member_id == _M.c.id)
            .outerjoin(_P, _P.c.member_id == _M.c.id)
            .where(_S.c.community_id == community_id, _S.c.current >= min_streak)
            .order_by(_M.c.id)
        )
        return [
            ReminderCandidate(
                member=_member(r),
                streak=r.streak,
                last_local_date=r.last_local_date,
                prefs=StoredPrefs(r.p_reminders, r.p_nudges, r.p_dms, r.p_quiet),
            )
            for r in rows
        ]

    async def claim_streak_reminder(
        self, member_id: MemberId, local_date: date, now: datetime
    ) -> bool:
        return await insert_ignore(
            self._conn, _R, {"member_id": member_id, "local_date": local_date, "created_at": now}
        )

    async def claim_tier_nudge(self, member_id: MemberId, tier_index: int, now: datetime) -> bool:
        return await insert_ignore(
            self._conn, _N, {"member_id": member_id, "tier_index": tier_index, "created_at": now}
        )

    async def set_channel(
        self, community_id: CommunityId, choice: ChannelChoice, now: datetime
    ) -> None:
        key = {
            "community_id": community_id,
            "kind": choice.kind,
            "platform": choice.platform,
            "workspace_id": choice.workspace_id,
        }
        values = {"channel_id": choice.channel_id, "updated_at": now}
        if not await insert_ignore(self._conn, _CH, {**key, **values}):
            await self._conn.execute(
                update(_CH)
                .where(*(_CH.c[name] == value for name, value in key.items()))
                .values(values)
            )

    async def channels(self, community_id: CommunityId) -> list[ChannelChoice]:
        rows = await self._conn.execute(
            select(_CH).where(_CH.c.community_id == community_id).order_by(_CH.c.kind)
        )
        return [ChannelChoice(r.kind, r.platform, r.workspace_id, r.channel_id) for r in rows]
