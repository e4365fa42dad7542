"""The AI mentor's tools: Guildhall read through the asking member's own eyes.

Every tool is built for ONE asking member and takes no member argument, so
whatever the model asks for ("bob's balance"), a tool can only read the
asker's own progress or public facts (open quests, proposals, the mentor
directory, the FAQ). Privacy is a property of the code, not of the prompt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.core.ai import Tool, ToolSpec
from domain.core.contracts import (
    EventReader,
    MentorDirectory,
    ProposalReader,
    QuestReader,
    TierReader,
)
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWorkFactory
from domain.mentor_ai.faq import CitedFaq
from domain.points import PointsService

_NO_ARGS: Mapping[str, Any] = {"type": "object", "properties": {}, "additionalProperties": False}


@dataclass(frozen=True, slots=True)
class Readers:
    """What other features let the mentor read (absent feature: the tool says so)."""

    points: PointsService
    tiers: TierReader | None = None
    quests: QuestReader | None = None
    proposals: ProposalReader | None = None
    mentors: MentorDirectory | None = None
    # Asked for when a question comes: events are set up after the AI mentor.
    events: Callable[[], EventReader | None] = lambda: None


@dataclass(frozen=True, slots=True)
class Asker:
    """The one member the tools may read about, their time zone, and when they ask."""

    community_id: CommunityId
    member_id: MemberId
    timezone: str
    now: datetime


def build_tools(
    uow: UnitOfWorkFactory, readers: Readers, asker: Asker, faq: Sequence[CitedFaq]
) -> list[Tool]:
    """The tools for one question by `asker`; each opens its own read-only unit of work."""

    async def my_progress(_: Mapping[str, Any]) -> str:
        async with uow(read_only=True) as work:
            out: dict[str, Any] = {
                "points": await readers.points.balance(work, asker.member_id),
            }
            if readers.tiers is not None:
                tier = await readers.tiers.tier_of(work, asker.member_id)
                out.update(
                    level=tier.level,
                    xp=tier.xp,
                    tier=tier.tier_name,
                    next_tier=tier.next_tier_name,
                    xp_to_next_tier=tier.xp_to_next_tier,
                )
            if readers.quests is not None:
                out["quests_in_progress"] = [
                    {"quest": q.title, "progress": q.progress, "target": q.target}
                    for q in await readers.quests.active_for(work, asker.member_id)
                ]
        return json.dumps(out)

    async def open_quests(_: Mapping[str, Any]) -> str:
        if readers.quests is None:
            return json.dumps({"error": "quests are not installed here"})
        async with uow(read_only=True) as work:
            quests = await readers.quests.active_for(work, asker.member_id)
        return json.dumps(
            [
                {
                    "quest": q.title,
                    "progress": f"{q.progress}/{q.target}",
                    "ends_at": q.ends_at.isoformat() if q.ends_at else None,
                }
                for q in quests
            ]
        )

    async def open_proposals(_: Mapping[str, Any]) -> str:
        if readers.proposals is None:
            return json.dumps({"error": "proposals are not installed here"})
        async with uow(read_only=True) as work:
            found = await readers.proposals.awaiting_vote(work, asker.member_id, limit=5)
        return json.dumps(
            [
                {"id": p.proposal_id, "title": p.title, "closes_at": p.closes_at.isoformat()}
                for p in found
            ]
        )

    async def find_mentors(args: Mapping[str, Any]) -> str:
        if readers.mentors is None:
            return json.dumps({"error": "mentoring is not installed here"})
        topic = str(args.get("topic", ""))[:40]
        async with uow(read_only=True) as work:
            found = await readers.mentors.find_mentors(
                work, asker.community_id, asker.member_id, asker.timezone, topic
            )
        return json.dumps(
            [
                {
                    "name": m.display_name,
                    "topics": list(m.topics),
                    "why": "; ".join(m.reasons),
                    "book_with": f"/mentor request @{m.display_name} <type> <message>",
                }
                for m in found
            ]
        )

    async def upcoming_events(_: Mapping[str, Any]) -> str:
        events = readers.events()
        if events is None:
            return json.dumps({"error": "events are not installed here"})
        async with uow(read_only=True) as work:
            found = await events.upcoming(
                work, asker.community_id, asker.member_id, asker.now, limit=5
            )
        return json.dumps(
            [
                {
                    "event": e.label,
                    "title": e.title,
                    "starts_at": e.starts_at.isoformat(),
                    "where": e.where,
                    "going": e.going,
                    "places_left": None if e.capacity is None else max(0, e.capacity - e.going),
                    "join_with": f"/event rsvp {e.label.lstrip('#')} going",
                }
                for e in found
            ]
        )

    async def community_faq(_: Mapping[str, Any]) -> str:
        return json.dumps([{"q": e.question, "a": e.answer, "source": e.source} for e in faq])

    return [
        Tool(
            ToolSpec(
                "my_progress",
                "The asking member's own points, level, tier and quests in progress."
                " Only ever the asker's; there is no way to read another member.",
                _NO_ARGS,
            ),
            my_progress,
        ),
        Tool(ToolSpec("open_quests", "Quests open to the asking member.", _NO_ARGS), open_quests),
        Tool(
            ToolSpec("open_proposals", "Open proposals the asker has not voted on.", _NO_ARGS),
            open_proposals,
        ),
        Tool(
            ToolSpec(
                "find_mentors",
                "Human mentors in this community for a topic, best first, with why.",
                {
                    "type": "object",
                    "properties": {"topic": {"type": "string", "description": "e.g. python"}},
                    "required": ["topic"],
                    "additionalProperties": False,
                },
            ),
            find_mentors,
        ),
        Tool(
            ToolSpec(
                "upcoming_events",
                "The community's next events (title, start, place, places left), soonest first.",
                _NO_ARGS,
            ),
            upcoming_events,
        ),
        Tool(
            ToolSpec(
                "community_faq",
                "The moderators' FAQ for this community; cite an entry's question when you use it.",
                _NO_ARGS,
            ),
            community_faq,
        ),
    ]
