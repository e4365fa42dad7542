"""What leaderboards need from storage: indexed running totals per period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.core.contracts import BoardRow
from domain.core.ids import CommunityId, MemberId
from domain.leaderboards.model import Neighbour


@dataclass(frozen=True, slots=True)
class BoardMove:
    """Add `amount` to a member's score in one season, or raise it to `amount` (`best_of`)."""

    community_id: CommunityId
    board: str
    season: str
    member_id: MemberId
    amount: int
    at: datetime
    best_of: bool = False


class BoardRepository(Protocol):
    """Scores per (community, board, season, member), kept up to date as things happen.

    Every read is an index range; nothing sums the ledger at request time.
    """

    async def add(
        self,
        community_id: CommunityId,
        board: str,
        seasons: list[str],
        member_id: MemberId,
        amount: int,
        at: datetime,
    ) -> None:
        """Add `amount` to the member's score in each season, atomically (UPSERT)."""
        ...

    async def move_many(self, moves: list[BoardMove]) -> None:
        """Apply a batch's moves: summed (or maxed) per row, one multi-row UPSERT per kind.

        Rows created here grow their season's size, counted once however many
        projectors race to create the same row.
        """
        ...

    async def score(
        self, community_id: CommunityId, board: str, season: str, member_id: MemberId
    ) -> int | None: ...

    async def top(
        self, community_id: CommunityId, board: str, season: str, limit: int
    ) -> list[BoardRow]:
        """Highest scores first; tied scores share a position (1, 2, 2, 4)."""
        ...

    async def rank(
        self, community_id: CommunityId, board: str, season: str, member_id: MemberId
    ) -> tuple[int, int, int] | None:
        """The member's (score, position, members ranked), or None if they have no score.

        The position is 1 + how many scored more (ties share it); members ranked
        is the season's size, so "#4 of 250" needs no count of the board.
        """
        ...

    async def next_above(
        self, community_id: CommunityId, board: str, season: str, score: int, position: int
    ) -> Neighbour | None:
        """The member with the smallest score above `score` (lowest id among ties).

        `position` is the place of `score` itself, so the neighbour's needs no second count.
        """
        ...
