"""What progress needs from storage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.progress.model import DayTotals, MemberXp, XpAward


class XpRepository(Protocol):
    """Members' XP totals and the log of every XP award."""

    async def get(self, member_id: MemberId) -> MemberXp:
        """The member's XP (zero XP at level 1 when they never earned any)."""
        ...

    async def lock(self, community_id: CommunityId, member_id: MemberId) -> MemberXp:
        """Create the member's XP row if needed and lock it until commit.

        Serialises one member's XP awards so cooldowns and daily caps read
        what the previous award wrote, even on PostgreSQL's parallel pool.
        """
        ...

    async def recent(
        self, member_id: MemberId, source: str, local_date: date
    ) -> tuple[DayTotals, datetime | None]:
        """Awards and XP from `source` on `local_date`, and when it last paid (one query)."""
        ...

    async def day_summary(self, member_id: MemberId, local_date: date) -> dict[str, DayTotals]:
        """Awards and XP per source on one local day."""
        ...

    async def add_award(self, award: XpAward) -> bool:
        """Log an award; False (nothing written) when its key was already used."""
        ...

    async def add_xp(self, member_id: MemberId, amount: int) -> int:
        """Add to the member's XP and return the new total."""
        ...

    async def raise_level(self, member_id: MemberId, level: int, tier_index: int) -> bool:
        """Store a higher level and tier; False if the stored level is already that high."""
        ...
