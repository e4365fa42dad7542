"""Quest handlers: the board, submissions, and moderators' create, review and queue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from cogs.kit import Call, Reply, Tone
from cogs.kit import messages as words
from cogs.kit.format import bold_points
from cogs.kit.options import parse_duration
from cogs.quests import cards
from domain.identity import IdentityRepository
from domain.quests import Difficulty, Goal, QuestDateError, QuestDraft, QuestService, Repeat

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _service(call: Call) -> QuestService:
    return call.ctx.need(QuestService)


async def quests(call: Call) -> Reply:
    """Open quests and weekly challenges, with the caller's progress."""
    views = await _service(call).board(call.uow, call.community, call.member)
    return cards.render_board(views, call.now)


@dataclass(frozen=True, slots=True)
class SubmitOptions:
    """Options of /quest submit."""

    quest: int
    proof: str


async def submit(call: Call, o: SubmitOptions) -> Reply:
    """Hand in proof for a manual quest; a moderator reviews it."""
    service = _service(call)
    submission = await service.submit(call.uow, call.community, call.member, o.quest, o.proof)
    quest = await service.get(call.uow, call.community, submission.quest_id)
    return Reply(
        text=words.text("quests.submitted", title=quest.title, submission=submission.id),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class CreateOptions:
    """Options of /admin quest create."""

    title: str
    goal: str
    target: int
    points: int
    description: str | None
    xp: int | None
    difficulty: str | None
    repeat: str | None
    starts: str | None
    ends: str | None


async def create(call: Call, o: CreateOptions) -> Reply:
    """Create a quest from a moderator's draft."""
    draft = QuestDraft(
        title=o.title,
        description=o.description or "",
        goal=Goal(o.goal),
        target=o.target,
        reward_points=o.points,
        reward_xp=o.xp or 0,
        difficulty=Difficulty(o.difficulty or "medium"),
        repeat=Repeat(o.repeat or "none"),
        starts=parse_start(o.starts),
        ends=parse_end(o.ends),
    )
    quest = await _service(call).create(call.uow, call.community, call.member, draft)
    return Reply(
        title=words.text("quests.created_title", id=quest.id, title=quest.title),
        text=cards.describe(quest, call.now),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    """Options of /admin quest review."""

    submission: int
    decision: Literal["approve", "reject"]
    reason: str | None


async def review(call: Call, o: ReviewOptions) -> Reply:
    """Approve or reject a submission; the member hears of either by DM."""
    service = _service(call)
    approve = o.decision == "approve"
    result = await service.review(
        call.uow, call.community, call.member, o.submission, approve, o.reason
    )
    sub = result.submission
    quest = await service.get(call.uow, call.community, sub.quest_id)
    member = await call.uow.get(IdentityRepository).get_member(sub.member_id)
    assert member is not None
    await cards.announce_review(
        call.uow, quest, member, approve, sub, completed=result.completion is not None
    )
    text = words.text(
        "quests.reviewed_approved" if approve else "quests.reviewed_rejected",
        submission=sub.id,
        who=call.mention(member),
        title=quest.title,
    )
    if result.completion is not None and result.completion.points:
        text += words.text("quests.reviewed_earned", points=bold_points(result.completion.points))
    return Reply(text=text, tone=Tone.SUCCESS)


async def submissions(call: Call) -> Reply:
    """Manual quest submissions waiting for review, oldest first."""
    service = _service(call)
    waiting = await service.pending(call.uow, call.community, limit=15)
    if not waiting:
        return Reply(text=words.text("quests.queue_empty"))
    identity = call.uow.get(IdentityRepository)
    lines = []
    for sub in waiting:
        quest = await service.get(call.uow, call.community, sub.quest_id)
        member = await identity.get_member(sub.member_id)
        who = call.mention(member) if member else words.text("quests.someone")
        lines.append(
            words.text(
                "quests.queue_line",
                submission=sub.id,
                who=who,
                title=quest.title,
                proof=sub.proof[:200],
            )
        )
    return Reply(
        title=words.text("quests.queue_title"),
        text="\n".join(lines) + words.text("quests.queue_footer"),
    )


def parse_start(text: str | None) -> date | None:
    """Read a start day: a date, or nothing/"now"/"today" for now.

    Raises:
        QuestDateError: it is neither.
    """
    if text is None or text.strip().lower() in ("", "now", "today"):
        return None
    if _DATE.match(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise QuestDateError(option="starts", value=text)


def parse_end(text: str | None) -> date | timedelta | None:
    """Read an end: a last day, or a length from the start.

    Raises:
        QuestDateError: it is neither.
    """
    if text is None or not text.strip():
        return None
    value = text.strip()
    if _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise QuestDateError(option="ends", value=text) from None
    try:
        return parse_duration(value)
    except ValueError:
        raise QuestDateError(option="ends", value=text) from None
