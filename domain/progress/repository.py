"""What progress needs from storage."""

from __future__ import annotations

from collections.abc import Collection, Mapping
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

    # -- batches (the XP projection) ----------------------------------------------------

    async def earners(self, member_ids: Collection[MemberId]) -> dict[MemberId, str]:
        """Each member who may earn XP, with the time zone their days count in.

        Locked and unknown members are left out; the zone is the member's, else
        the community's.
        """
        ...

    async def lock_many(self, members: Mapping[MemberId, CommunityId]) -> dict[MemberId, MemberXp]:
        """`lock` for many members in one statement (rows created as needed, locked in id order)."""
        ...

    async def recent_many(
        self, pairs: Collection[tuple[MemberId, str]], days: Collection[date], since: date
    ) -> tuple[dict[tuple[MemberId, str, date], DayTotals], dict[tuple[MemberId, str], datetime]]:
        """Awards and XP per (member, source, day) on `days`, and each pair's latest award.

        Only awards on `since` or later are read for the latest: the caller
        reaches back past its longest cooldown.
        """
        ...

    async def add_awards(self, awards: list[XpAward]) -> set[str]:
        """Log awards in one statement; return the keys written (a used key writes nothing)."""
        ...

    async def add_xp_many(
        self,
        amounts: Mapping[MemberId, int],
        reached: Mapping[MemberId, tuple[int, int]] | None = None,
    ) -> None:
        """Add to many members' XP, and raise those in `reached` to (level, tier index).

        One statement; the rows exist and are locked (`lock_many`). A level
        never goes down: a stored one already higher stays.
        """
        ...
