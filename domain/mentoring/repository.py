"""What the mentoring service needs from storage (`storage/mentoring.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.mentoring.model import (
    MentorProfile,
    ProfileChanges,
    Session,
    SessionStatus,
    Transition,
)


class MentoringRepository(Protocol):
    """Profiles, sessions and ratings; slots and transitions are conditional updates."""

    async def profile(
        self, community_id: CommunityId, member_id: MemberId
    ) -> MentorProfile | None: ...

    async def save_profile(
        self,
        community_id: CommunityId,
        member_id: MemberId,
        changes: ProfileChanges,
        *,
        default_capacity: int,
        default_types: tuple[str, ...],
        approved: bool,
        now: datetime,
    ) -> bool:
        """Create or update; False when the new capacity is below the active sessions."""
        ...

    async def set_approved(
        self, community_id: CommunityId, member_id: MemberId, approved: bool, now: datetime
    ) -> None: ...

    async def profiles(self, community_id: CommunityId) -> list[MentorProfile]: ...

    async def recent_requests(
        self, community_id: CommunityId, since: datetime
    ) -> dict[MemberId, int]: ...

    async def open_between(self, mentor_id: MemberId, mentee_id: MemberId) -> bool: ...

    async def add_session(
        self,
        community_id: CommunityId,
        mentor_id: MemberId,
        mentee_id: MemberId,
        session_type: str,
        message: str,
        starts_at: datetime | None,
        now: datetime,
    ) -> Session: ...

    async def session(self, community_id: CommunityId, session_id: int) -> Session | None: ...

    async def sessions_of(
        self, community_id: CommunityId, member_id: MemberId, *, open_only: bool, limit: int
    ) -> list[Session]: ...

    async def move(
        self,
        session_id: int,
        from_statuses: Sequence[SessionStatus],
        to: SessionStatus,
        actor_id: MemberId | None,
        now: datetime,
        reason: str | None = None,
        starts_at: datetime | None = None,
    ) -> bool:
        """Change status only from one of `from_statuses` (a conditional UPDATE), with history."""
        ...

    async def take_slot(self, mentor_id: MemberId) -> bool:
        """Use one slot if one is free (`active < capacity`, decided by the database)."""
        ...

    async def free_slot(self, mentor_id: MemberId, completed: bool) -> None: ...

    async def rate(self, session: Session, stars: int, comment: str | None, now: datetime) -> bool:
        """Store the one rating of a session; False when it is already rated."""
        ...

    async def add_comment(self, session_id: int, comment: str) -> bool | None:
        """Add the comment to a rating that has none; None: not rated, False: has one."""
        ...

    async def history(self, session_id: int) -> list[Transition]: ...

    async def low_ratings(
        self, community_id: CommunityId, at_most: int, limit: int
    ) -> list[tuple[Session, int, str | None]]: ...

    async def with_status(
        self, community_id: CommunityId, status: SessionStatus, limit: int
    ) -> list[Session]: ...
