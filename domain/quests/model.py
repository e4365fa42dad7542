"""Quest values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId
from domain.identity.model import Member


class Goal(StrEnum):
    """What a quest counts; `manual` is proof reviewed by a moderator."""

    CHECKINS = "checkins"
    VOTES = "votes"
    PROPOSALS = "proposals"
    APPROVALS = "approvals"
    GIFTS = "gifts"
    POINTS = "points"
    XP = "xp"
    MANUAL = "manual"

    @property
    def counter_words(self) -> str:
        """How members would say it: "check-ins", "approved proposals"."""
        return {"checkins": "check-ins", "approvals": "approved proposals"}.get(
            self.value, self.value
        )

    @property
    def counter(self) -> str | None:
        """The member counter this goal advances with (None for manual quests)."""
        return _GOAL_COUNTERS.get(self)


# Goals name the counters their features declare (domain/<feature>/activities.py).
_GOAL_COUNTERS = {
    Goal.CHECKINS: "checkins",
    Goal.VOTES: "votes_cast",
    Goal.PROPOSALS: "proposals_created",
    Goal.APPROVALS: "proposals_approved",
    Goal.GIFTS: "gifts_given",
    Goal.POINTS: "points_earned",
    Goal.XP: "xp",
}
GOALS_BY_COUNTER = {c: g for g, c in _GOAL_COUNTERS.items()}


class Repeat(StrEnum):
    """Whether progress starts over each local day or week of the quest's window."""

    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    EPIC = "epic"


class SubmissionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class NewQuest:
    """A quest about to be stored; `rotation_key` marks one opened by the weekly rotation."""

    community_id: CommunityId
    title: str
    description: str
    goal: Goal
    target: int
    reward_points: int
    reward_xp: int
    difficulty: Difficulty
    repeat: Repeat
    starts_at: datetime
    ends_at: datetime
    created_by: MemberId | None
    created_at: datetime
    rotation_key: str | None = None


@dataclass(frozen=True, slots=True)
class Quest:
    id: int
    community_id: CommunityId
    title: str
    description: str
    goal: Goal
    target: int
    reward_points: int
    reward_xp: int
    difficulty: Difficulty
    repeat: Repeat
    starts_at: datetime
    ends_at: datetime
    created_by: MemberId | None
    rotation_key: str | None

    def is_open(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True, slots=True)
class Progress:
    """A member's progress on a quest in one period ("once", "2026-11-16", "2026-W47")."""

    quest_id: int
    member_id: MemberId
    period: str
    progress: int
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class QuestView:
    """A quest as one member sees it now."""

    quest: Quest
    period: str
    progress: int
    completed: bool
    pending_submission: int | None = None  # id of a submission awaiting review


@dataclass(frozen=True, slots=True)
class Submission:
    id: int
    quest_id: int
    community_id: CommunityId
    member_id: MemberId
    period: str
    proof: str
    status: SubmissionStatus
    created_at: datetime
    reviewer_id: MemberId | None
    reason: str | None
    reviewed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Completion:
    """A quest a member just completed and what it paid."""

    quest: Quest
    member: Member
    period: str
    points: int
    xp: int
    balance: int | None
