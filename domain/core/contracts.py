"""Small read interfaces that let one feature show another's facts.

`/profile` (progress) shows a rank (leaderboards) and top achievements;
governance gates proposals by tier (progress). Each provider registers an
implementation with `ctx.provide(Interface, impl)`; a consumer asks
`ctx.maybe(Interface)` when it handles a request and degrades gracefully
when the feature is not installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Rank:
    """A member's place on a board: 1-based `position` of `out_of` ranked members."""

    position: int
    out_of: int
    score: int


class RankReader(Protocol):
    """Read a member's place on a board (offered by leaderboards)."""

    async def rank_of(
        self, uow: UnitOfWork, member_id: MemberId, board: str = "points", period: str = "all"
    ) -> Rank | None: ...


@dataclass(frozen=True, slots=True)
class HeldAchievement:
    """An achievement a member holds, with how rare it is."""

    name: str
    description: str
    rarity_percent: float  # share of members holding it
    emoji: str = "🏆"  # its own, so /profile shows it as /achievements does


class AchievementReader(Protocol):
    """Read a member's rarest achievements (offered by achievements)."""

    async def top_for(
        self, uow: UnitOfWork, member_id: MemberId, limit: int = 3
    ) -> list[HeldAchievement]: ...


@dataclass(frozen=True, slots=True)
class TierInfo:
    """Where a member stands: level and tier (index 0 = Seedling … 4 = Evergreen)."""

    level: int
    xp: int
    tier_index: int
    tier_name: str
    next_tier_name: str | None = None  # None at the top tier
    xp_to_next_tier: int | None = None


class TierReader(Protocol):
    """Read a member's tier (offered by progress)."""

    async def tier_of(self, uow: UnitOfWork, member_id: MemberId) -> TierInfo: ...


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One line of a board: place, member and score."""

    position: int
    member_id: MemberId
    display_name: str
    score: int


class LeaderboardReader(Protocol):
    """Top rows of a board, for scheduled posts (weekly winners) and dashboards."""

    async def top(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        board: str = "points",
        period: str = "week",
        limit: int = 10,
        season: str | None = None,
    ) -> list[BoardRow]: ...


@dataclass(frozen=True, slots=True)
class QuestProgress:
    """A member's progress on one open quest."""

    quest_id: int
    title: str
    progress: int
    target: int
    ends_at: datetime | None


class QuestReader(Protocol):
    """Read a member's open quests (offered by quests)."""

    async def active_for(self, uow: UnitOfWork, member_id: MemberId) -> list[QuestProgress]: ...


@dataclass(frozen=True, slots=True)
class ProposalSummary:
    """An active proposal a member has not voted on yet."""

    proposal_id: int
    title: str
    closes_at: datetime


class ProposalReader(Protocol):
    """Read proposals awaiting a member's vote (offered by proposals)."""

    async def awaiting_vote(
        self, uow: UnitOfWork, member_id: MemberId, limit: int = 5
    ) -> list[ProposalSummary]: ...


@dataclass(frozen=True, slots=True)
class CommunityPulse:
    """A week of the community in three numbers, for the weekly leaderboard post."""

    active_members: int
    new_members: int
    stickiness: float  # DAU / MAU


class PulseReader(Protocol):
    """Provided by analytics when moderators want the stats line in the weekly post."""

    async def pulse(
        self, uow: UnitOfWork, community_id: CommunityId, now: datetime
    ) -> CommunityPulse | None: ...


@dataclass(frozen=True, slots=True)
class MentorSuggestion:
    """A mentor the directory suggests, with the reasons a member reads."""

    member_id: MemberId
    display_name: str
    topics: tuple[str, ...]
    reasons: tuple[str, ...]


class MentorDirectory(Protocol):
    """Mentors for a topic, best first (mentoring); the AI mentor's `find_mentors` tool."""

    async def find_mentors(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        seeker_id: MemberId,
        seeker_tz: str,
        topic: str,
        limit: int = 3,
    ) -> list[MentorSuggestion]: ...


@dataclass(frozen=True, slots=True)
class UpcomingEvent:
    """An event members can still go to, as features other than events see it."""

    label: str  # how members refer to it: "#3", or "#3.2" for a date of a series
    title: str
    starts_at: datetime
    where: str
    going: int
    capacity: int | None  # None: no limit


class EventReader(Protocol):
    """Upcoming events of a community, soonest first (offered by events; the AI mentor's tool)."""

    async def upcoming(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        member_id: MemberId,
        now: datetime,
        limit: int = 5,
    ) -> list[UpcomingEvent]: ...


@dataclass(frozen=True, slots=True)
class Perks:
    """What a member's active premium plan adds; `Perks()` is a member without one.

    Features that meter something (AI tokens, battles a day, mentees) read
    these instead of asking payments whether a member is premium, so a plan's
    perks are configured in one place (`[[payments.plans]]`).
    """

    plan: str | None = None
    point_multiplier: float = 1.0
    ai_tokens_multiplier: float = 1.0
    extra_battles_per_day: int = 0
    extra_mentees: int = 0


class PerksReader(Protocol):
    """Read a member's premium perks (offered by payments; absent: nobody has perks)."""

    async def perks_of(self, uow: UnitOfWork, member_id: MemberId) -> Perks: ...
