"""The App Home tab: a member's dashboard, rebuilt each time they open it.

Balance and streak come from the foundation; level/tier, rank, quests and
proposals come from other features through `domain.core.contracts`, asked with
`ctx.maybe` — a feature that is not installed (or fails) leaves its part out
rather than blanking the whole tab.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from bot.slack import messages as _words  # noqa: F401  (registers the words)
from bot.slack.blocks import escape
from cogs.kit import CogContext
from cogs.kit.messages import text
from domain.checkin.repository import StreakRepository
from domain.core.contracts import ProposalReader, QuestReader, RankReader, TierReader
from domain.core.localtime import local_day
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member, Platform

log = logging.getLogger(__name__)
T = TypeVar("T")


async def _optional(what: str, read: Callable[[], Awaitable[T]]) -> T | None:
    try:
        return await read()
    except Exception:
        log.exception("app home: reading %s failed; leaving it out", what)
        return None


def _section(body: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}}


def _header(title: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": True}}


async def home_view(
    ctx: CogContext, workspace_id: str, user_id: str, *, checkin_command: str = "checkin"
) -> dict[str, Any]:
    """The home tab view for one Slack user (read-only: opening it changes nothing)."""
    async with ctx.uow(read_only=True) as uow:
        member = await uow.get(IdentityRepository).member_for_account(
            Platform.SLACK, workspace_id, user_id
        )
        if member is None:
            blocks = [
                _header(text("slack.home.title")),
                _section(text("slack.home.welcome", checkin=checkin_command)),
            ]
        else:
            blocks = await _member_blocks(ctx, uow, member)
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": text("slack.home.updated", when=ctx.clock.now()),
                }
            ],
        }
    )
    return {"type": "home", "blocks": blocks}


async def _member_blocks(ctx: CogContext, uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    community = await uow.get(IdentityRepository).get_community(member.community_id)
    zone = member.timezone or (community.timezone if community else "UTC")
    balance = await ctx.points.balance(uow, member.id)
    streak = await uow.get(StreakRepository).get(member.id)
    today = local_day(ctx.clock.now(), zone)
    alive = streak.last_checkin_at is not None and local_day(
        streak.last_checkin_at, zone
    ) >= today - timedelta(days=1)
    fields = [text("slack.home.balance", balance=balance)]
    if streak.longest:
        fields.append(
            text(
                "slack.home.streak",
                streak=streak.current if alive else 0,
                longest=streak.longest,
            )
        )
    else:
        fields.append(text("slack.home.streak_none"))

    tiers, ranks = ctx.maybe(TierReader), ctx.maybe(RankReader)
    tier = await _optional("tier", lambda: tiers.tier_of(uow, member.id)) if tiers else None
    if tier is not None:
        if tier.next_tier_name is None:
            fields.append(
                text("slack.home.level_top", level=tier.level, tier=escape(tier.tier_name))
            )
        else:
            fields.append(
                text(
                    "slack.home.level",
                    level=tier.level,
                    tier=escape(tier.tier_name),
                    xp=tier.xp,
                    to_next=tier.xp_to_next_tier if tier.xp_to_next_tier is not None else "?",
                    next_tier=escape(tier.next_tier_name),
                )
            )
    if ranks is not None:
        rank = await _optional("rank", lambda: ranks.rank_of(uow, member.id))
        fields.append(
            text("slack.home.rank", position=rank.position, out_of=rank.out_of)
            if rank
            else text("slack.home.rank_none")
        )
    blocks: list[dict[str, Any]] = [
        _header(text("slack.home.title")),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields[:10]]},
    ]

    quests = ctx.maybe(QuestReader)
    if quests is not None:
        active = await _optional("quests", lambda: quests.active_for(uow, member.id))
        if active is not None:
            blocks += [{"type": "divider"}, _header(text("slack.home.quests"))]
            lines = [
                text(
                    "slack.home.quest",
                    title=escape(q.title),
                    progress=q.progress,
                    target=q.target,
                    ends=f" · ends {q.ends_at:%Y-%m-%d %H:%M} UTC" if q.ends_at else "",
                )
                for q in active
            ]
            blocks.append(_section("\n".join(lines) or text("slack.home.quests_none")))

    proposals = ctx.maybe(ProposalReader)
    if proposals is not None:
        waiting = await _optional("proposals", lambda: proposals.awaiting_vote(uow, member.id))
        if waiting is not None:
            blocks += [{"type": "divider"}, _header(text("slack.home.proposals"))]
            lines = [
                text(
                    "slack.home.proposal",
                    id=p.proposal_id,
                    title=escape(p.title),
                    closes=p.closes_at,
                )
                for p in waiting
            ]
            blocks.append(_section("\n".join(lines) or text("slack.home.proposals_none")))
    return blocks
