"""Splitting long answers to fit every platform, and their continuation DMs."""

from __future__ import annotations

from cogs.kit import Call, Reply
from domain.core.announcements import Announcement, Target


def split_answer(answer: str, limit: int) -> list[str]:
    """Cut `answer` into parts of at most `limit` characters.

    At paragraph, line or sentence ends where possible (Discord embeds take
    4096, Slack sections 3000).
    """
    parts: list[str] = []
    rest = answer.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". ") + 1)
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def continuation(call: Call, part: str, index: int, total: int) -> Announcement:
    """Part `index` of `total` of an answer, as a DM to the asker (sent once)."""
    return Announcement(
        community_id=call.community.id,
        kind="mentor_ai",
        dedupe_key=f"mentor_ai:{call.inv.key}:{index}",
        payload=Reply(text=part, footer=f"({index}/{total})").to_dict(),
        target=Target.DM,
        member_id=call.member.id,
    )
