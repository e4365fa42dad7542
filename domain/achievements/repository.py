"""What achievements need from storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId


@dataclass(frozen=True, slots=True)
class CounterTotal:
    """What a batch of activities does to one member's counter, summed up."""

    community_id: CommunityId
    member_id: MemberId
    counter: str
    amount: int


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

    async def move_many(
        self, moves: list[CounterTotal], *, best_of: bool
    ) -> dict[tuple[MemberId, str], int]:
        """Add each total (or raise to it, for best-of counters) in one statement per 200 rows.

        Each (member, counter) appears once. Returns every moved counter's new value.
        """
        ...


class AchievementRepository(Protocol):
    """Held achievements; UNIQUE(member, achievement) makes a grant happen once."""

    async def grant(
        self, community_id: CommunityId, member_id: MemberId, achievement_id: str, at: datetime
    ) -> bool:
        """Record the achievement; False (nothing written) when the member already has it."""
        ...

    async def grant_many(
        self, grants: list[tuple[CommunityId, MemberId, str, datetime]]
    ) -> set[tuple[MemberId, str]]:
        """`grant` for a batch in one statement; the (member, achievement) pairs newly held."""
        ...

    async def held(self, member_id: MemberId) -> dict[str, datetime]: ...

    async def holders(self, community_id: CommunityId) -> dict[str, int]:
        """How many members hold each achievement."""
        ...

    async def members(self, community_id: CommunityId) -> int:
        """How many members the community has (the denominator of rarity), as stored."""
        ...

    async def grow_communities(self, joined: dict[CommunityId, int]) -> None:
        """Add members who joined to the stored sizes (one statement for a batch)."""
        ...
