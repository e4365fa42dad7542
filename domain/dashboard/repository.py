"""What dashboard sign-in needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId
from domain.dashboard.model import Grant, WebSession
from domain.identity import Member


class DashboardRepository(Protocol):
    """Single-use sign-in links and the sessions they open, stored by digest."""

    async def add_link(
        self, digest: str, grant: Grant, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new link's digest and who it is for."""
        ...

    async def redeem_link(self, digest: str, now: datetime) -> Grant | None:
        """Mark the link used and return its grant; None if unknown, used or expired.

        Conditional in the database, so two concurrent redemptions open one session.
        """
        ...

    async def add_session(self, digest: str, session: WebSession, now: datetime) -> None:
        """Store a session by the digest of its id."""
        ...

    async def session(self, digest: str, now: datetime) -> WebSession | None:
        """The live session with this id digest, if any."""
        ...

    async def end_session(self, digest: str) -> None:
        """Sign a session out."""
        ...


class MemberDirectory(Protocol):
    """The dashboard's member search."""

    async def search(self, community_id: CommunityId, text: str, limit: int) -> list[Member]:
        """Members whose display name contains `text` (any case), by name."""
        ...


class FailedDeliveries(Protocol):
    """Announcements the platforms refused, for a moderator to send again."""

    async def requeue(self, community_id: CommunityId, outbox_id: int, now: datetime) -> bool:
        """Put a failed announcement back in the queue; False if it is not a failed one of ours."""
        ...
