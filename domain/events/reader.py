"""Upcoming events for other features (`domain.core.contracts.EventReader`)."""

from __future__ import annotations

from datetime import datetime

from domain.core.contracts import UpcomingEvent
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.events.repository import EventRepository, Listing


class RepositoryEventReader:
    """The same upcoming list `/events list` shows, as public facts only (no RSVPs)."""

    async def upcoming(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        member_id: MemberId,
        now: datetime,
        limit: int = 5,
    ) -> list[UpcomingEvent]:
        """The next `limit` scheduled occurrences, soonest first."""
        views, _ = await uow.get(EventRepository).search(
            community_id, Listing.UPCOMING, member_id, now, limit, 0
        )
        return [
            UpcomingEvent(
                label=f"#{v.label}",
                title=v.event.title,
                starts_at=v.occurrence.starts_at,
                where=v.event.where,
                going=v.occurrence.going,
                capacity=v.occurrence.capacity,
            )
            for v in views
        ]
