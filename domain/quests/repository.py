"""What quests need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.quests.model import NewQuest, Progress, Quest, Submission, SubmissionStatus


class QuestRepository(Protocol):
    """Quests, per-member progress and manual submissions.

    Completion is a conditional UPDATE (`… WHERE progress >= target AND
    completed_at IS NULL`): of any number of racing transactions, one completes.
    """

    async def create(self, quest: NewQuest) -> Quest: ...

    async def create_once(self, quest: NewQuest) -> Quest | None:
        """Create unless a quest with the same rotation key exists (then None)."""
        ...

    async def get(self, quest_id: int) -> Quest | None: ...

    async def open_at(
        self, community_id: CommunityId, at: datetime, goal: str | None = None
    ) -> list[Quest]:
        """Quests whose window contains `at`, optionally only those of one goal."""
        ...

    async def open_between(
        self, community_id: CommunityId, first: datetime, last: datetime
    ) -> list[Quest]:
        """Quests open at some instant from `first` to `last` (a batch's span), one query."""
        ...

    async def add_progress_many(
        self, amounts: dict[tuple[int, MemberId, str], int]
    ) -> dict[tuple[int, MemberId, str], int]:
        """Add to many (quest, member, period) progresses in one statement; the new values."""
        ...

    async def add_progress(
        self, quest_id: int, member_id: MemberId, period: str, amount: int
    ) -> int:
        """Add to the member's progress (creating it) and return the new value."""
        ...

    async def raise_progress(
        self, quest_id: int, member_id: MemberId, period: str, value: int
    ) -> None: ...

    async def complete(
        self, quest_id: int, member_id: MemberId, period: str, target: int, at: datetime
    ) -> bool:
        """Mark complete if progress reached `target` and it was not complete; True if now."""
        ...

    async def progress(
        self, member_id: MemberId, keys: list[tuple[int, str]]
    ) -> list[Progress]: ...

    async def add_submission(
        self, quest: Quest, member_id: MemberId, period: str, proof: str, at: datetime
    ) -> Submission | None:
        """Store a pending submission; None if one exists for this quest, member and period."""
        ...

    async def resubmit(self, submission_id: int, proof: str, at: datetime) -> bool:
        """Turn a rejected submission back into a pending one with new proof."""
        ...

    async def submission(self, submission_id: int) -> Submission | None: ...

    async def submission_for(
        self, quest_id: int, member_id: MemberId, period: str
    ) -> Submission | None: ...

    async def decide(
        self,
        submission_id: int,
        status: SubmissionStatus,
        reviewer_id: MemberId,
        reason: str | None,
        at: datetime,
    ) -> bool:
        """Approve or reject a pending submission; False if it was no longer pending."""
        ...

    async def pending(self, community_id: CommunityId, limit: int) -> list[Submission]: ...

    async def community_ids(self) -> list[CommunityId]:
        """Every community (the rotation job opens challenges in each)."""
        ...
