"""The battle tables: battles, private entries, anonymous votes and Elo ratings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.battles.model import Battle, BattleId, Judge, Method, Rating, Status
from domain.core.ids import CommunityId, MemberId
from storage.base import Base
from storage.identity import CommunityRow, MemberRow
from storage.types import UTCDateTime

_STATUSES = ", ".join(f"'{s}'" for s in Status)
_METHODS = ", ".join(f"'{m}'" for m in Method)


class BattleRow(Base):
    """One battle; `status` only moves by conditional UPDATEs."""

    __tablename__ = "battles"
    __table_args__ = (
        Index("ix_battles_community_status", "community_id", "status", "id"),
        Index("ix_battles_challenger", "challenger_id", "created_at"),
        Index("ix_battles_opponent", "opponent_id", "accepted_at"),
        Index("ix_battles_status", "status", "id"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("judge IN ('ai', 'vote')", name="judge_known"),
        CheckConstraint(f"method IS NULL OR method IN ({_METHODS})", name="method_known"),
        CheckConstraint("stake >= 0", name="stake_not_negative"),
        CheckConstraint("opponent_id IS NULL OR opponent_id <> challenger_id", name="two_sides"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    challenger_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    opponent_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    prompt: Mapped[str] = mapped_column(String(1000))
    topic: Mapped[str | None] = mapped_column(String(40))
    stake: Mapped[int] = mapped_column(default=0, server_default="0")
    judge: Mapped[str] = mapped_column(String(8))
    minutes: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accept_by: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voting_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    a_member_id: Mapped[int | None] = mapped_column()
    winner_id: Mapped[int | None] = mapped_column()
    method: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    challenger_delta: Mapped[int | None] = mapped_column()
    opponent_delta: Mapped[int | None] = mapped_column()
    # The AI judge's queue (migration 0024): attempts made, and when the next may
    # start; a claimed attempt pushes `judge_next_at` ahead as its lease.
    judge_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    judge_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by: Mapped[int | None] = mapped_column()  # the moderator, shown with the reason


class BattleEntryRow(Base):
    """A fighter's entry: one per (battle, member), never changed once sent."""

    __tablename__ = "battle_entries"

    battle_id: Mapped[int] = mapped_column(ForeignKey("battles.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BattleVoteRow(Base):
    """One changeable vote per (battle, member); who voted is never shown."""

    __tablename__ = "battle_votes"
    __table_args__ = (CheckConstraint("side IN ('a', 'b')", name="side_known"),)

    battle_id: Mapped[int] = mapped_column(ForeignKey("battles.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    side: Mapped[str] = mapped_column(String(1))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BattleRatingRow(Base):
    """A member's Elo and record; updated in the transaction that finishes a battle."""

    __tablename__ = "battle_ratings"
    __table_args__ = (
        Index("ix_battle_ratings_board", "community_id", "rating"),
        CheckConstraint("battles = wins + losses + draws", name="record_adds_up"),
        CheckConstraint("rating >= 0", name="rating_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    rating: Mapped[int] = mapped_column()
    battles: Mapped[int] = mapped_column(default=0, server_default="0")
    wins: Mapped[int] = mapped_column(default=0, server_default="0")
    losses: Mapped[int] = mapped_column(default=0, server_default="0")
    draws: Mapped[int] = mapped_column(default=0, server_default="0")
    streak: Mapped[int] = mapped_column(default=0, server_default="0")
    best_streak: Mapped[int] = mapped_column(default=0, server_default="0")
    best_win_battle: Mapped[int | None] = mapped_column()
    best_win_opponent_rating: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


BATTLES = Base.metadata.tables["battles"]
ENTRIES = Base.metadata.tables["battle_entries"]
VOTES = Base.metadata.tables["battle_votes"]
RATINGS = Base.metadata.tables["battle_ratings"]
MEMBERS = Base.metadata.tables[MemberRow.__tablename__]
COMMUNITIES = Base.metadata.tables[CommunityRow.__tablename__]
FELL_THROUGH = (str(Status.DECLINED), str(Status.EXPIRED))


def to_battle(r: Any) -> Battle:
    """A `battles` row as the domain's `Battle`."""
    return Battle(
        id=BattleId(r.id),
        community_id=CommunityId(r.community_id),
        challenger_id=MemberId(r.challenger_id),
        opponent_id=None if r.opponent_id is None else MemberId(r.opponent_id),
        prompt=r.prompt,
        topic=r.topic,
        stake=int(r.stake),
        judge=Judge(r.judge),
        minutes=int(r.minutes),
        status=Status(r.status),
        created_at=r.created_at,
        accept_by=r.accept_by,
        accepted_at=r.accepted_at,
        deadline=r.deadline,
        voting_ends_at=r.voting_ends_at,
        a_member_id=None if r.a_member_id is None else MemberId(r.a_member_id),
        winner_id=None if r.winner_id is None else MemberId(r.winner_id),
        method=None if r.method is None else Method(r.method),
        reason=r.reason,
        finished_at=r.finished_at,
        verdict=r.verdict,
        challenger_delta=r.challenger_delta,
        opponent_delta=r.opponent_delta,
        judge_attempts=int(r.judge_attempts),
        judge_next_at=r.judge_next_at,
        cancelled_by=None if r.cancelled_by is None else MemberId(r.cancelled_by),
    )


def to_rating(r: Any) -> Rating:
    """A `battle_ratings` row as the domain's `Rating`."""
    return Rating(
        community_id=CommunityId(r.community_id),
        member_id=MemberId(r.member_id),
        rating=int(r.rating),
        battles=int(r.battles),
        wins=int(r.wins),
        losses=int(r.losses),
        draws=int(r.draws),
        streak=int(r.streak),
        best_streak=int(r.best_streak),
        best_win_battle=None if r.best_win_battle is None else BattleId(r.best_win_battle),
        best_win_opponent_rating=r.best_win_opponent_rating,
    )
