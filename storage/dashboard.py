"""Dashboard sign-in links and sessions, stored by the SHA-256 of their tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.dashboard.model import Grant, WebSession
from domain.dashboard.repository import DashboardRepository, FailedDeliveries, MemberDirectory
from domain.identity import Member
from storage.base import Base
from storage.registry import implements
from storage.types import UTCDateTime


class _GrantColumns:
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    platform: Mapped[str] = mapped_column(String(16))
    workspace_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    is_moderator: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DashboardLinkRow(_GrantColumns, Base):
    """A sign-in link: usable once, until `expires_at`."""

    __tablename__ = "dashboard_links"
    __table_args__ = (Index("ix_dashboard_links_expires", "expires_at"),)

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DashboardSessionRow(_GrantColumns, Base):
    """A signed-in browser."""

    __tablename__ = "dashboard_sessions"
    __table_args__ = (Index("ix_dashboard_sessions_expires", "expires_at"),)

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    csrf: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


_L = DashboardLinkRow.__table__
_S = DashboardSessionRow.__table__
_GRANT = ("community_id", "member_id", "platform", "workspace_id", "user_id", "display_name")


def _grant_values(grant: Grant, now: datetime) -> dict[str, object]:
    return {name: getattr(grant, name) for name in _GRANT} | {
        "is_moderator": grant.is_moderator,
        "created_at": now,
    }


def _grant(row: object) -> Grant:
    m = row._mapping  # type: ignore[attr-defined]  # a Row; typed loosely by SQLAlchemy
    return Grant(
        community_id=CommunityId(m["community_id"]),
        member_id=MemberId(m["member_id"]),
        platform=m["platform"],
        workspace_id=m["workspace_id"],
        user_id=m["user_id"],
        display_name=m["display_name"],
        is_moderator=bool(m["is_moderator"]),
    )


@implements(DashboardRepository)
class SqlDashboardRepository:
    """Implements `DashboardRepository`; redemption is one conditional UPDATE."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add_link(
        self, digest: str, grant: Grant, now: datetime, expires_at: datetime
    ) -> None:
        await self._conn.execute(
            insert(_L).values(digest=digest, expires_at=expires_at, **_grant_values(grant, now))
        )

    async def redeem_link(self, digest: str, now: datetime) -> Grant | None:
        # Single use by construction: only the request whose UPDATE matched gets the grant.
        used = await self._conn.execute(
            update(_L)
            .where(_L.c.digest == digest, _L.c.used_at.is_(None), _L.c.expires_at > now)
            .values(used_at=now)
        )
        if used.rowcount != 1:
            return None
        row = (await self._conn.execute(select(_L).where(_L.c.digest == digest))).one()
        return _grant(row)

    async def add_session(self, digest: str, session: WebSession, now: datetime) -> None:
        await self._conn.execute(
            insert(_S).values(
                digest=digest,
                csrf=session.csrf,
                expires_at=session.expires_at,
                **_grant_values(session.grant, now),
            )
        )
        # Forget links and sessions that can no longer be used.
        await self._conn.execute(delete(_L).where(_L.c.expires_at < now))
        await self._conn.execute(delete(_S).where(_S.c.expires_at < now))

    async def session(self, digest: str, now: datetime) -> WebSession | None:
        row = (
            await self._conn.execute(select(_S).where(_S.c.digest == digest, _S.c.expires_at > now))
        ).first()
        if row is None:
            return None
        return WebSession(_grant(row), row.csrf, row.expires_at)

    async def end_session(self, digest: str) -> None:
        await self._conn.execute(delete(_S).where(_S.c.digest == digest))


@implements(MemberDirectory)
class SqlMemberDirectory:
    """Implements `MemberDirectory` over the members table."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def search(self, community_id: CommunityId, text: str, limit: int) -> list[Member]:
        members = Base.metadata.tables["members"]
        stmt = select(members).where(members.c.community_id == community_id)
        if text:
            # Escape LIKE's wildcards: a search for "50%" means those characters.
            pattern = (
                "%"
                + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            stmt = stmt.where(func.lower(members.c.display_name).like(pattern, escape="\\"))
        # Walks the (community, name) index in order and stops at `limit` matches.
        rows = await self._conn.execute(stmt.order_by(members.c.display_name).limit(limit))
        return [
            Member(
                id=MemberId(r.id),
                community_id=CommunityId(r.community_id),
                display_name=r.display_name,
                timezone=r.timezone,
                joined_at=r.joined_at,
                locked_reason=r.locked_reason,
            )
            for r in rows
        ]


@implements(FailedDeliveries)
class SqlFailedDeliveries:
    """Implements `FailedDeliveries` over the outbox table (a conditional UPDATE)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def requeue(self, community_id: CommunityId, outbox_id: int, now: datetime) -> bool:
        outbox = Base.metadata.tables["outbox"]
        result = await self._conn.execute(
            update(outbox)
            .where(
                outbox.c.id == outbox_id,
                outbox.c.community_id == community_id,
                outbox.c.status == "failed",
            )
            .values(status="pending", not_before=now, attempts=0, last_error=None)
        )
        return result.rowcount == 1
