"""What achievements need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId


class CounterRepository(Protocol):
    """Per-member counters, moved by single atomic statements."""

    async def add(
        self, community_id: CommunityId, member_id: MemberId, counter: str, amount: int
    ) -> int:
        """Add `amount`; returns the counter's new value."""
        ...

    async def raise_to(
        self, community_id: CommunityId, member_id: MemberId, counter: str, value: int
    ) -> int:
        """Raise the counter to `value` if it is lower; returns its value afterwards."""
        ...

    async def values(self, member_id: MemberId) -> dict[str, int]: ...


class AchievementRepository(Protocol):
    """Held achievements; UNIQUE(member, achievement) makes a grant happen once."""

    async def grant(
        self, community_id: CommunityId, member_id: MemberId, achievement_id: str, at: datetime
    ) -> bool:
        """Record the achievement; False (nothing written) when the member already has it."""
        ...

    async def held(self, member_id: MemberId) -> dict[str, datetime]: ...

    async def holders(self, community_id: CommunityId) -> dict[str, int]:
        """How many members hold each achievement."""
        ...

    async def members(self, community_id: CommunityId) -> int:
        """How many members the community has (the denominator of rarity)."""
        ...
