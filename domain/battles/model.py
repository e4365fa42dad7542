"""Battle values: a challenge, its two entries, the community's votes and ratings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NewType

from domain.core.ids import CommunityId, MemberId

BattleId = NewType("BattleId", int)


class Status(StrEnum):
    """Where a battle is in its life; the last four are final."""

    PENDING = "pending"  # waiting for the challenged member (or anyone, if open)
    ACTIVE = "active"  # accepted: entries are being written
    VOTING = "voting"  # entries revealed; the community votes A or B
    JUDGING = "judging"  # entries revealed; the AI judge is at work
    FINISHED = "finished"
    DECLINED = "declined"
    EXPIRED = "expired"  # nobody accepted in time
    CANCELLED = "cancelled"  # by a moderator, or nobody submitted

    @property
    def final(self) -> bool:
        return self in (Status.FINISHED, Status.DECLINED, Status.EXPIRED, Status.CANCELLED)


LIVE = (Status.PENDING, Status.ACTIVE, Status.VOTING, Status.JUDGING)


class Judge(StrEnum):
    """Who decides a battle: the AI judge, or the members' anonymous vote."""

    AI = "ai"
    VOTE = "vote"


class Side(StrEnum):
    """An entry as voters see it: anonymous A or B."""

    A = "a"
    B = "b"


class Method(StrEnum):
    """How a finished battle was decided."""

    VOTE = "vote"
    AI = "ai"
    FORFEIT = "forfeit"  # one entry missing at the deadline
    NO_QUORUM = "no_quorum"  # too few votes: a draw


@dataclass(frozen=True, slots=True)
class Battle:
    """One battle. `a_member_id` is whose entry is shown as A once revealed."""

    id: BattleId
    community_id: CommunityId
    challenger_id: MemberId
    opponent_id: MemberId | None  # None: an open challenge nobody has taken yet
    prompt: str
    topic: str | None
    stake: int
    judge: Judge
    minutes: int
    status: Status
    created_at: datetime
    accept_by: datetime
    accepted_at: datetime | None = None
    deadline: datetime | None = None
    voting_ends_at: datetime | None = None
    a_member_id: MemberId | None = None
    winner_id: MemberId | None = None
    method: Method | None = None
    reason: str | None = None
    finished_at: datetime | None = None
    verdict: Mapping[str, Any] | None = None
    challenger_delta: int | None = None
    opponent_delta: int | None = None
    judge_attempts: int = 0  # AI judge attempts claimed so far
    judge_next_at: datetime | None = None  # the next attempt may start then (None: now)
    cancelled_by: MemberId | None = None  # the moderator who called it off

    @property
    def is_open(self) -> bool:
        return self.opponent_id is None

    def fighters(self) -> tuple[MemberId, ...]:
        return (
            (self.challenger_id,)
            if self.opponent_id is None
            else (
                self.challenger_id,
                self.opponent_id,
            )
        )

    def is_fighter(self, member_id: MemberId) -> bool:
        return member_id in self.fighters()

    def side_of(self, member_id: MemberId) -> Side | None:
        if self.a_member_id is None or not self.is_fighter(member_id):
            return None
        return Side.A if member_id == self.a_member_id else Side.B

    def member_of(self, side: Side) -> MemberId:
        """The fighter behind an anonymous side (only after the reveal)."""
        assert self.a_member_id is not None and self.opponent_id is not None
        if side is Side.A:
            return self.a_member_id
        return self.opponent_id if self.a_member_id == self.challenger_id else self.challenger_id

    @property
    def draw(self) -> bool:
        return self.status is Status.FINISHED and self.winner_id is None


@dataclass(frozen=True, slots=True)
class NewBattle:
    """The fields of a challenge before it is stored and given an id."""

    community_id: CommunityId
    challenger_id: MemberId
    opponent_id: MemberId | None
    prompt: str
    topic: str | None
    stake: int
    judge: Judge
    minutes: int
    created_at: datetime
    accept_by: datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """A fighter's submitted answer to the battle prompt."""

    battle_id: BattleId
    member_id: MemberId
    text: str
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Tally:
    """The votes cast so far for side A and side B."""

    a: int = 0
    b: int = 0

    @property
    def total(self) -> int:
        return self.a + self.b


@dataclass(frozen=True, slots=True)
class Rating:
    """A member's battle record; `rating` is their Elo."""

    community_id: CommunityId
    member_id: MemberId
    rating: int
    battles: int = 0
    wins: int = 0
    losses: int = 0
    draws: int = 0
    streak: int = 0  # wins in a row right now
    best_streak: int = 0
    best_win_battle: BattleId | None = None
    best_win_opponent_rating: int | None = None


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """One criterion of the rubric: a score per side, 0-10."""

    name: str
    weight: float
    a: float
    b: float


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the AI judge decided, averaged over both orders."""

    criteria: tuple[CriterionScore, ...]
    total_a: float
    total_b: float
    reason_a: str
    reason_b: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "criteria": [
                {"name": c.name, "weight": c.weight, "a": c.a, "b": c.b} for c in self.criteria
            ],
            "total_a": self.total_a,
            "total_b": self.total_b,
            "reason_a": self.reason_a,
            "reason_b": self.reason_b,
        }


@dataclass(frozen=True, slots=True)
class Finished:
    """A battle that just ended, with what moved."""

    battle: Battle
    ratings: Mapping[MemberId, tuple[int, int]] = field(default_factory=dict)  # before, after
    tally: Tally | None = None
    paid: int = 0  # points the winner received from the pot
