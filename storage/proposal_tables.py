"""The tables of proposals, votes and their history (see `storage.proposals`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.proposals.model import Choice, Status
from storage.base import Base
from storage.types import UTCDateTime

_STATUSES = ", ".join(f"'{s}'" for s in Status)
_CHOICES = ", ".join(f"'{c}'" for c in Choice)


class ProposalRow(Base):
    """One proposal; the final_* columns freeze the tally when it closes."""

    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_community_status", "community_id", "status", "id"),
        Index("ix_proposals_due", "status", "closes_at"),
        Index("ix_proposals_author_status", "author_id", "status"),
        Index("ix_proposals_title_key", "community_id", "title_key"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100))
    title_key: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text())
    anonymous: Mapped[bool] = mapped_column(Boolean())
    hidden: Mapped[bool] = mapped_column(Boolean())
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(500))
    quorum_needed: Mapped[int | None] = mapped_column()
    final_for: Mapped[int | None] = mapped_column()
    final_against: Mapped[int | None] = mapped_column()
    final_abstain: Mapped[int | None] = mapped_column()
    final_voters: Mapped[int | None] = mapped_column()
    final_weighted: Mapped[bool | None] = mapped_column(Boolean())


class ProposalVoteRow(Base):
    """A member's vote: the primary key (proposal, member) allows exactly one row.

    A retracted vote keeps its row with `choice` NULL, so voting again is a
    change, not a second first vote (no second reward by toggling a reaction).
    """

    __tablename__ = "proposal_votes"
    __table_args__ = (
        Index("ix_proposal_votes_member", "member_id"),
        CheckConstraint(f"choice IS NULL OR choice IN ({_CHOICES})", name="choice_known"),
        CheckConstraint("weight >= 1", name="weight_positive"),
    )

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    choice: Mapped[str | None] = mapped_column(String(8))
    weight: Mapped[int] = mapped_column(default=1, server_default="1")
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProposalHistoryRow(Base):
    """Every status change: from, to, who (NULL: the deadline), when and why."""

    __tablename__ = "proposal_history"
    __table_args__ = (Index("ix_proposal_history_proposal", "proposal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))
