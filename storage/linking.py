"""Link codes, member merge records, and the linking repository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.identity.model import Platform
from domain.linking.model import CommunityMerge, LinkCode, LinkPurpose, WorkspaceRef
from domain.linking.repository import LevelFor, LinkingRepository
from storage import member_merge, merging
from storage.base import Base
from storage.identity import AccountRow, MemberRow, WorkspaceRow
from storage.projections import PROJECTION_TABLES
from storage.registry import implements
from storage.types import UTCDateTime


class LinkCodeRow(Base):
    """A one-time code, stored as its hash; `used_at` makes it single use."""

    __tablename__ = "link_codes"
    __table_args__ = (Index("ix_link_codes_expires_at", "expires_at"),)

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MemberLinkRow(Base):
    """A member joined into another by `/link`: the absorbed one is kept as a record."""

    __tablename__ = "member_links"

    absorbed_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime())


_K = LinkCodeRow.__table__
_L = MemberLinkRow.__table__
_W = WorkspaceRow.__table__
_A = AccountRow.__table__
_M = MemberRow.__table__


def _code(row: Any) -> LinkCode:
    return LinkCode(
        purpose=LinkPurpose(row.purpose),
        community_id=CommunityId(row.community_id),
        platform=Platform(row.platform),
        workspace_id=row.workspace_id,
        member_id=MemberId(row.member_id) if row.member_id is not None else None,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


@implements(LinkingRepository)
class SqlLinkingRepository:
    """Linking over SQL; the merges themselves live in `storage.merging`."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add_code(self, code_hash: str, code: LinkCode) -> None:
        await self._conn.execute(
            _K.insert().values(
                code_hash=code_hash,
                purpose=str(code.purpose),
                community_id=code.community_id,
                platform=str(code.platform),
                workspace_id=code.workspace_id,
                member_id=code.member_id,
                created_at=code.created_at,
                expires_at=code.expires_at,
            )
        )

    async def code(self, code_hash: str) -> LinkCode | None:
        row = (await self._conn.execute(select(_K).where(_K.c.code_hash == code_hash))).first()
        return _code(row) if row else None

    async def use_code(self, code_hash: str, now: datetime) -> bool:
        # Conditional: of two moderators pressing Confirm at once, one wins.
        result = await self._conn.execute(
            update(_K)
            .where(_K.c.code_hash == code_hash, _K.c.used_at.is_(None), _K.c.expires_at > now)
            .values(used_at=now)
        )
        return result.rowcount == 1

    async def workspaces(self, community_id: CommunityId) -> list[WorkspaceRef]:
        rows = await self._conn.execute(
            select(_W.c.platform, _W.c.workspace_id)
            .where(_W.c.community_id == community_id)
            .order_by(_W.c.platform, _W.c.workspace_id)
        )
        return [WorkspaceRef(Platform(r.platform), r.workspace_id) for r in rows]

    async def merge_communities(self, keeper: CommunityId, absorbed: CommunityId) -> CommunityMerge:
        moved = await self.workspaces(absorbed)
        members = (
            await self._conn.execute(
                select(func.count()).select_from(_M).where(_M.c.community_id == absorbed)
            )
        ).scalar_one()
        renamed = await merging.merge_communities(self._conn, int(keeper), int(absorbed))
        return CommunityMerge(keeper, absorbed, tuple(moved), int(members), renamed)

    async def detach_workspace(
        self, community_id: CommunityId, ref: WorkspaceRef
    ) -> tuple[int, int]:
        where = (_A.c.platform == str(ref.platform), _A.c.workspace_id == ref.workspace_id)
        owners = [int(r[0]) for r in await self._conn.execute(select(_A.c.member_id).where(*where))]
        await self._conn.execute(delete(_A).where(*where))
        orphaned = 0
        if owners:
            remaining = {
                int(r[0])
                for r in await self._conn.execute(
                    select(_A.c.member_id).where(_A.c.member_id.in_(owners))
                )
            }
            orphaned = len(set(owners) - remaining)
        await self._conn.execute(
            delete(_W).where(
                _W.c.community_id == community_id,
                _W.c.platform == str(ref.platform),
                _W.c.workspace_id == ref.workspace_id,
            )
        )
        return len(owners), orphaned

    async def merge_member_facts(
        self, community_id: CommunityId, survivor: MemberId, absorbed: MemberId, now: datetime
    ) -> dict[str, int]:
        facts = await member_merge.merge_members(
            self._conn, int(community_id), int(survivor), int(absorbed)
        )
        await self._conn.execute(
            _L.insert().values(
                absorbed_id=absorbed, survivor_id=survivor, community_id=community_id, merged_at=now
            )
        )
        return facts

    async def merge_projections(
        self, community_id: CommunityId, survivor: MemberId, absorbed: MemberId
    ) -> dict[str, int]:
        tables = {model.__tablename__ for model in PROJECTION_TABLES} | {"member_xp"}
        return await member_merge.merge_members(
            self._conn, int(community_id), int(survivor), int(absorbed), only=tables
        )

    async def detach_account(
        self, account_platform: str, workspace_id: str, user_id: str, new_member: MemberId
    ) -> None:
        await self._conn.execute(
            update(_A)
            .where(
                _A.c.platform == account_platform,
                _A.c.workspace_id == workspace_id,
                _A.c.user_id == user_id,
            )
            .values(member_id=new_member)
        )

    async def create_member(
        self, community_id: CommunityId, display_name: str, now: datetime
    ) -> MemberId:
        new_id = (
            await self._conn.execute(
                _M.insert()
                .values(community_id=community_id, display_name=display_name[:100], joined_at=now)
                .returning(_M.c.id)
            )
        ).scalar_one()
        await merging.per_member_rows(self._conn, int(community_id), int(new_id))
        return MemberId(new_id)

    async def merged_into(self, member_id: MemberId) -> MemberId | None:
        found = (
            await self._conn.execute(select(_L.c.survivor_id).where(_L.c.absorbed_id == member_id))
        ).scalar_one_or_none()
        return MemberId(found) if found is not None else None

    async def set_standing(self, member_id: MemberId, level_for: LevelFor) -> None:
        await member_merge.restanding(self._conn, int(member_id), level_for)
