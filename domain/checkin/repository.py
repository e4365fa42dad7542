"""What check-ins need from storage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from domain.checkin.model import StreakState
from domain.ids import CommunityId, MemberId


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
