"""What notifications need from storage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.identity import Community
from domain.notifications.model import ChannelChoice, ReminderCandidate, StoredPrefs


class NotificationRepository(Protocol):
    """Members' notification preferences, chosen channels and reminder candidates."""

    async def prefs(self, member_id: MemberId) -> StoredPrefs: ...

    async def prefs_of(self, member_ids: list[MemberId]) -> dict[MemberId, StoredPrefs]: ...

    async def save_prefs(self, member_id: MemberId, prefs: StoredPrefs, now: datetime) -> None: ...

    async def communities(self) -> list[Community]: ...

    async def reminder_candidates(
        self, community_id: CommunityId, min_streak: int
    ) -> list[ReminderCandidate]: ...

    async def claim_streak_reminder(
        self, member_id: MemberId, local_date: date, now: datetime
    ) -> bool:
        """True the first time for (member, local date): one reminder per evening."""
        ...

    async def claim_tier_nudge(self, member_id: MemberId, tier_index: int, now: datetime) -> bool:
        """True the first time for (member, tier): one nudge per tier, ever."""
        ...

    async def set_channel(
        self, community_id: CommunityId, choice: ChannelChoice, now: datetime
    ) -> None: ...

    async def channels(self, community_id: CommunityId) -> list[ChannelChoice]: ...
