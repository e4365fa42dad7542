"""Mentor profiles, sessions and ratings as the domain sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId


class SessionStatus(StrEnum):
    """Where a session is: requested -> scheduled -> completed | cancelled | declined | no_show."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    NO_SHOW = "no_show"


OPEN_STATUSES = (SessionStatus.REQUESTED, SessionStatus.SCHEDULED)


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """A member who mentors; `active` sessions use slots out of `capacity`."""

    community_id: CommunityId
    member_id: MemberId
    display_name: str
    topics: tuple[str, ...]
    bio: str
    capacity: int
    active: int
    availability: str
    timezone: str
    session_types: tuple[str, ...]
    paused: bool
    approved: bool
    rating_sum: int
    rating_count: int
    completed: int

    @property
    def free_slots(self) -> int:
        return max(0, self.capacity - self.active)

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """What `/mentor profile set` changes; None leaves a field as it is."""

    topics: tuple[str, ...] | None = None
    bio: str | None = None
    capacity: int | None = None
    availability: str | None = None
    session_types: tuple[str, ...] | None = None
    paused: bool | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """A session between a mentor and a mentee, with its rating once rated."""

    id: int
    community_id: CommunityId
    mentor_id: MemberId
    mentee_id: MemberId
    type: str
    message: str
    status: SessionStatus
    requested_at: datetime
    starts_at: datetime | None
    rating: int | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    """One recorded status change: from, to, who (None: the system) and when."""

    session_id: int
    from_status: SessionStatus | None
    to_status: SessionStatus
    actor_id: MemberId | None
    at: datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A suggested mentor, its score and the reasons a member reads."""

    profile: MentorProfile
    score: float
    reasons: tuple[str, ...]
