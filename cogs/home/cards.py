"""Reply builders of the home view: the welcome, and a member's dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cogs.kit import Field, Reply
from cogs.kit import messages as words
from domain.core.contracts import ProposalSummary, QuestProgress, Rank, TierInfo


@dataclass(frozen=True, slots=True)
class HomeFacts:
    """What the home view shows; None where a feature is not installed (or failed)."""

    balance: int
    streak: int
    longest: int
    tier: TierInfo | None
    rank: Rank | None
    ranked: bool
    quests: list[QuestProgress] | None
    proposals: list[ProposalSummary] | None
    now: datetime


def welcome() -> Reply:
    """What someone not enrolled yet sees: how to join."""
    return Reply(title=words.text("home.title"), text=words.text("home.welcome"))


def home(facts: HomeFacts) -> Reply:
    """A member's dashboard: points, streak, level, rank, open quests and proposals."""
    streak = (
        words.text("home.streak", streak=facts.streak, longest=facts.longest)
        if facts.longest
        else words.text("home.streak_none")
    )
    fields = [
        Field(words.text("home.field.points"), str(facts.balance)),
        Field(words.text("home.field.streak"), streak),
    ]
    tier = facts.tier
    if tier is not None:
        name = words.text("home.field.level", level=tier.level, tier=tier.tier_name)
        if tier.next_tier_name is None:
            fields.append(Field(name, words.text("home.level_top")))
        else:
            to_next = tier.xp_to_next_tier if tier.xp_to_next_tier is not None else "?"
            value = words.text(
                "home.level", xp=tier.xp, to_next=to_next, next_tier=tier.next_tier_name
            )
            fields.append(Field(name, value))
    if facts.ranked:
        rank = facts.rank
        fields.append(
            Field(
                words.text("home.field.rank"),
                words.text("home.rank", position=rank.position, out_of=rank.out_of)
                if rank
                else words.text("home.rank_none"),
            )
        )
    if facts.quests is not None:
        lines = [
            words.text(
                "home.quest",
                title=q.title,
                progress=q.progress,
                target=q.target,
                ends=words.text("home.quest_ends", ends=q.ends_at) if q.ends_at else "",
            )
            for q in facts.quests
        ]
        body = "\n".join(lines) or words.text("home.quests_none")
        fields.append(Field(words.text("home.quests"), body, inline=False))
    if facts.proposals is not None:
        lines = [
            words.text("home.proposal", id=p.proposal_id, title=p.title, closes=p.closes_at)
            for p in facts.proposals
        ]
        body = "\n".join(lines) or words.text("home.proposals_none")
        fields.append(Field(words.text("home.proposals"), body, inline=False))
    return Reply(
        title=words.text("home.title"),
        fields=tuple(fields),
        footer=words.text("home.updated", when=facts.now),
    )
