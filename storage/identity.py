"""Communities, workspaces, members and accounts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, bindparam, delete, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.identity.model import Account, Community, Member, Platform
from domain.identity.repository import IdentityRepository
from storage.base import Base
from storage.id_lists import AnyOf
from storage.registry import enrolled, implements
from storage.sql import insert_ignore, prepare
from storage.types import UTCDateTime


class CommunityRow(Base):
    """A community."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkspaceRow(Base):
    """A Discord guild, Slack workspace or console demo mapped to a community."""

    __tablename__ = "workspaces"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)


class MemberRow(Base):
    """A member of a community."""

    __tablename__ = "members"
    __table_args__ = (Index("ix_members_community_name", "community_id", "display_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    display_name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_reason: Mapped[str | None] = mapped_column(String(500))


class AccountRow(Base):
    """A platform user; (platform, workspace, user) identifies exactly one member."""

    __tablename__ = "accounts"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)


def _community(row: Row[Any]) -> Community:
    return Community(
        id=CommunityId(row.id),
        name=row.name,
        timezone=row.timezone,
        created_at=row.created_at,
    )


def _member(row: Row[Any]) -> Member:
    return Member(
        id=MemberId(row.id),
        community_id=CommunityId(row.community_id),
        display_name=row.display_name,
        timezone=row.timezone,
        joined_at=row.joined_at,
        locked_reason=row.locked_reason,
    )


_C = CommunityRow.__table__
_W = WorkspaceRow.__table__
_M = MemberRow.__table__
_A = AccountRow.__table__


# Built once: the hot path skips statement construction and cache-key work.
# The caller's member and community: the first read of every command, prepared once.
_MEMBER_WITH_COMMUNITY = prepare(
    select(
        _M,
        _C.c.name.label("community_name"),
        _C.c.timezone.label("community_timezone"),
        _C.c.created_at.label("community_created_at"),
    )
    .join(_A, _A.c.member_id == _M.c.id)
    .join(_C, _C.c.id == _M.c.community_id)
    .where(
        _A.c.platform == bindparam("platform"),
        _A.c.workspace_id == bindparam("workspace_id"),
        _A.c.user_id == bindparam("user_id"),
    )
)
_MEMBER_FOR_ACCOUNT = prepare(
    select(_M)
    .join(_A, _A.c.member_id == _M.c.id)
    .where(
        _A.c.platform == bindparam("platform"),
        _A.c.workspace_id == bindparam("workspace_id"),
        _A.c.user_id == bindparam("user_id"),
    )
)
_GET_COMMUNITY = prepare(select(_C).where(_C.c.id == bindparam("id")))
_MEMBERS = select(_M).where(_M.c.id.in_(bindparam("ids", expanding=True)))
# A reply mentions one member far most often (its caller): see `storage.id_lists`.
_ACCOUNTS_OF = AnyOf(lambda found: select(_A).where(found), _A.c.member_id, "ids")


@implements(IdentityRepository)
class SqlIdentityRepository:
    """Identity over SQL. Creation races are settled by primary keys, not by reads.

    One instance serves one unit of work, and it remembers the members and
    communities it has read: a /checkin's activity handlers (XP, boards,
    achievements, quests, nudges) each asked for the same member and community
    again, about a dozen identical SELECTs per command. Every write through
    this repository forgets what it changed, so a read after a rename or a
    lock in the same transaction sees the change.
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._members: dict[MemberId, Member] = {}
        self._communities: dict[CommunityId, Community] = {}

    async def community_for_workspace(
        self, platform: Platform, workspace_id: str
    ) -> Community | None:
        row = (
            await self._conn.execute(
                select(_C)
                .join(_W, _W.c.community_id == _C.c.id)
                .where(_W.c.platform == str(platform), _W.c.workspace_id == workspace_id)
            )
        ).first()
        return _community(row) if row else None

    async def create_community(
        self, platform: Platform, workspace_id: str, name: str, timezone: str, now: datetime
    ) -> Community:
        new_id = (
            await self._conn.execute(
                _C.insert()
                .values(name=name[:100], timezone=timezone, created_at=now)
                .returning(_C.c.id)
            )
        ).scalar_one()
        linked = await insert_ignore(
            self._conn,
            _W,
            {"platform": str(platform), "workspace_id": workspace_id, "community_id": new_id},
        )
        if not linked:  # another process created it first: drop ours, use theirs
            await self._conn.execute(delete(_C).where(_C.c.id == new_id))
            found = await self.community_for_workspace(platform, workspace_id)
            assert found is not None
            return found
        return Community(CommunityId(new_id), name[:100], timezone, now)

    async def link_workspace(
        self, community_id: CommunityId, platform: Platform, workspace_id: str
    ) -> bool:
        """Attach another workspace to an existing community (one ledger for both)."""
        return await insert_ignore(
            self._conn,
            _W,
            {"platform": str(platform), "workspace_id": workspace_id, "community_id": community_id},
        )

    async def get_community(self, community_id: CommunityId) -> Community | None:
        cached = self._communities.get(community_id)
        if cached is not None:
            return cached
        row = await _GET_COMMUNITY.first(self._conn, {"id": community_id})
        if row is None:
            return None
        community = self._communities[community_id] = _community(row)
        return community

    async def member_with_community(
        self, platform: Platform, workspace_id: str, user_id: str
    ) -> tuple[Member, Community] | None:
        row = await _MEMBER_WITH_COMMUNITY.first(
            self._conn,
            {"platform": str(platform), "workspace_id": workspace_id, "user_id": user_id},
        )
        if row is None:
            return None
        community = Community(
            CommunityId(row.community_id),
            row.community_name,
            row.community_timezone,
            row.community_created_at,
        )
        member = _member(row)
        self._members[member.id] = member
        self._communities[community.id] = community
        return member, community

    async def member_for_account(
        self, platform: Platform, workspace_id: str, user_id: str
    ) -> Member | None:
        row = await _MEMBER_FOR_ACCOUNT.first(
            self._conn,
            {"platform": str(platform), "workspace_id": workspace_id, "user_id": user_id},
        )
        return _member(row) if row else None

    async def enrol(
        self,
        community_id: CommunityId,
        platform: Platform,
        workspace_id: str,
        user_id: str,
        display_name: str,
        now: datetime,
    ) -> Member:
        name = (display_name or user_id)[:100]
        new_id = (
            await self._conn.execute(
                _M.insert()
                .values(community_id=community_id, display_name=name, joined_at=now)
                .returning(_M.c.id)
            )
        ).scalar_one()
        linked = await insert_ignore(
            self._conn,
            _A,
            {
                "platform": str(platform),
                "workspace_id": workspace_id,
                "user_id": user_id,
                "member_id": new_id,
            },
        )
        if not linked:  # enrolled concurrently: keep the first member
            await self._conn.execute(delete(_M).where(_M.c.id == new_id))
            found = await self.member_for_account(platform, workspace_id, user_id)
            assert found is not None
            return found
        await enrolled(self._conn, community_id, MemberId(new_id))
        return Member(MemberId(new_id), community_id, name, None, now)

    async def get_member(self, member_id: MemberId) -> Member | None:
        cached = self._members.get(member_id)
        if cached is not None:
            return cached
        row = (await self._conn.execute(select(_M).where(_M.c.id == member_id))).first()
        if row is None:
            return None
        member = self._members[member_id] = _member(row)
        return member

    async def get_members(self, member_ids: Collection[MemberId]) -> dict[MemberId, Member]:
        found = {m: self._members[m] for m in member_ids if m in self._members}
        wanted = sorted({int(m) for m in member_ids if m not in found})
        if wanted:
            for row in await self._conn.execute(_MEMBERS, {"ids": wanted}):
                member = self._members[MemberId(row.id)] = _member(row)
                found[member.id] = member
        return found

    async def accounts_of(self, member_ids: list[MemberId]) -> list[Account]:
        if not member_ids:
            return []
        rows = await _ACCOUNTS_OF.rows(self._conn, {"ids": [int(m) for m in member_ids]})
        return [
            Account(Platform(r.platform), r.workspace_id, r.user_id, MemberId(r.member_id))
            for r in rows
        ]

    async def rename(self, member_id: MemberId, display_name: str) -> None:
        self._members.pop(member_id, None)
        await self._conn.execute(
            update(_M).where(_M.c.id == member_id).values(display_name=display_name[:100])
        )

    async def set_timezone(self, member_id: MemberId, timezone: str | None) -> None:
        self._members.pop(member_id, None)
        await self._conn.execute(update(_M).where(_M.c.id == member_id).values(timezone=timezone))

    async def set_lock(self, member_id: MemberId, reason: str | None) -> None:
        self._members.pop(member_id, None)
        await self._conn.execute(
            update(_M).where(_M.c.id == member_id).values(locked_reason=reason)
        )

    async def find_by_name(self, community_id: CommunityId, name: str) -> Member | None:
        row = (
            await self._conn.execute(
                select(_M)
                .where(_M.c.community_id == community_id, _M.c.display_name == name)
                .order_by(_M.c.id)
                .limit(1)
            )
        ).first()
        return _member(row) if row else None
