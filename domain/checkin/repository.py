"""What check-ins need from storage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from domain.checkin.model import StreakState
from domain.core.ids import CommunityId, MemberId


class StreakRepository(Protocol):
    """Read a streak and advance it only if nobody advanced it meanwhile."""

    async def get(self, member_id: MemberId) -> StreakState: ...

    async def advance(
        self,
        community_id: CommunityId,
        previous: StreakState,
        *,
        current: int,
        longest: int,
        at: datetime,
        local_date: date,
    ) -> bool:
        """Store the new streak if the stored one still equals `previous`.

        False means a concurrent check-in won; nothing was written.
        """
        ...

    async def use_freezes(self, member_id: MemberId, count: int) -> bool:
        """Spend `count` freezes if the member holds that many; False (nothing changed) if not."""
        ...

    async def buy_freeze(self, member_id: MemberId, maximum: int) -> int | None:
        """Add one freeze unless the member holds `maximum`; the new count, or None."""
        ...

    async def grant_freezes(self, member_id: MemberId, count: int, maximum: int) -> int:
        """Add up to `count` freezes without passing `maximum`; the new count."""
        ...
