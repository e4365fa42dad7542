"""Calendar feed tokens and the series a feed shows (see `domain.events.FeedRepository`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from domain.events.model import Answer, Occurrence
from domain.events.repository import EventCardQueue, FeedOwner, FeedRepository, SeriesForFeed
from storage.events.rows import (
    EVENT as _EVENT,
)
from storage.events.rows import (
    EVENTS as _E,
)
from storage.events.rows import (
    OCCURRENCES as _O,
)
from storage.events.rows import (
    RSVPS as _R,
)
from storage.events.rows import (
    event_of as _event,
)
from storage.events.rows import (
    occurrence_of as _occurrence,
)
from storage.events.tables import FeedRow
from storage.outbox import OutboxRow
from storage.registry import implements

_F = FeedRow.__table__
_OUT = OutboxRow.__table__


@implements(FeedRepository)
class SqlFeedRepository:
    """Tokens are random and unguessable; a revoked token opens nothing."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def feed(self, owner: FeedOwner, since: datetime) -> list[SeriesForFeed]:
        where: list[Any] = [_E.c.community_id == owner.community_id]
        if owner.member_id is not None:
            going = (
                select(_O.c.event_id)
                .join(_R, _R.c.occurrence_id == _O.c.id)
                .where(_R.c.member_id == owner.member_id, _R.c.answer == str(Answer.GOING))
            )
            where.append(_E.c.id.in_(going))
        events = [_event(r) for r in await self._conn.execute(_EVENT.where(*where))]
        if not events:
            return []
        by_event: dict[int, list[Occurrence]] = {int(e.id): [] for e in events}
        rows = await self._conn.execute(
            select(_O).where(_O.c.event_id.in_(list(by_event))).order_by(_O.c.event_id, _O.c.number)
        )
        for r in rows:
            by_event[r.event_id].append(_occurrence(r))
        return [
            SeriesForFeed(e, tuple(by_event[int(e.id)]))
            for e in events
            if by_event[int(e.id)] and by_event[int(e.id)][-1].ends_at >= since
        ]

    def _owner(self, owner: FeedOwner) -> list[Any]:
        member = (
            _F.c.member_id.is_(None)
            if owner.member_id is None
            else _F.c.member_id == owner.member_id
        )
        return [_F.c.community_id == owner.community_id, member, _F.c.revoked_at.is_(None)]

    async def add_feed_token(self, token: str, owner: FeedOwner, now: datetime) -> None:
        await self._conn.execute(
            _F.insert().values(
                token=token,
                community_id=owner.community_id,
                member_id=owner.member_id,
                created_at=now,
                revoked_at=None,
            )
        )

    async def feed_token_of(self, owner: FeedOwner) -> str | None:
        row = (
            await self._conn.execute(
                select(_F.c.token).where(*self._owner(owner)).order_by(_F.c.created_at.desc())
            )
        ).first()
        return str(row[0]) if row else None

    async def feed_owner(self, token: str) -> FeedOwner | None:
        row = (
            await self._conn.execute(
                select(_F.c.community_id, _F.c.member_id).where(
                    _F.c.token == token, _F.c.revoked_at.is_(None)
                )
            )
        ).first()
        if row is None:
            return None
        member = MemberId(row.member_id) if row.member_id is not None else None
        return FeedOwner(CommunityId(row.community_id), member)

    async def revoke_feed(self, owner: FeedOwner, now: datetime) -> int:
        result = await self._conn.execute(
            update(_F).where(*self._owner(owner)).values(revoked_at=now)
        )
        return int(result.rowcount or 0)


@implements(EventCardQueue)
class SqlEventCardQueue:
    """A card edit waiting for its throttle period to end takes the latest card."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def replace_pending(self, dedupe_key: str, payload: dict[str, object]) -> bool:
        result = await self._conn.execute(
            update(_OUT)
            .where(_OUT.c.dedupe_key == dedupe_key, _OUT.c.status == "pending")
            .values(payload=payload)
        )
        return result.rowcount == 1
