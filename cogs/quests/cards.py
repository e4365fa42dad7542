"""Reply builders of quests: the board, a quest's facts, rotations and DMs to members."""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.kit import Reply, Tone
from cogs.kit import messages as words
from cogs.kit.format import progress_bar
from cogs.kit.reply import Mention, mention_token
from domain.core.announcements import Announcement, Target
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member
from domain.quests import Completion, Goal, Quest, QuestView, Repeat, Submission


def _goal_words(quest: Quest, n: int) -> str:
    return words.count(f"quests.goal.{quest.goal.value}", n)


def _difficulty(quest: Quest) -> str:
    return words.text(f"quests.difficulty.{quest.difficulty.value}")


def _reward(quest: Quest) -> str:
    parts = []
    if quest.reward_points:
        parts.append(words.count("quests.reward_points", quest.reward_points))
    if quest.reward_xp:
        parts.append(words.text("quests.reward_xp", xp=quest.reward_xp))
    return words.text("quests.reward_and").join(parts) or words.text("quests.reward_none")


def describe(quest: Quest, now: datetime) -> str:
    """One quest's facts for moderators and announcements."""
    every = "" if quest.repeat is Repeat.NONE else words.text(f"quests.every.{quest.repeat.value}")
    lines = [
        quest.description,
        words.text(
            "quests.facts",
            goal=_goal_words(quest, quest.target) + every,
            reward=_reward(quest),
            difficulty=_difficulty(quest),
        ),
    ]
    if quest.starts_at - now >= timedelta(minutes=1):
        lines.append(words.text("quests.starts_in", wait=quest.starts_at - now))
    lines.append(words.text("quests.ends_in", wait=quest.ends_at - now))
    return "\n".join(line for line in lines if line)


def render_board(views: list[QuestView], now: datetime) -> Reply:
    """The quest board: each open quest with the member's progress or next step."""
    if not views:
        return Reply(text=words.text("quests.board_empty"))
    lines: list[str] = []
    for v in views:
        q = v.quest
        if v.completed:
            status = words.text("quests.status_done")
        elif v.pending_submission is not None:
            status = words.text("quests.status_pending", submission=v.pending_submission)
        elif q.goal is Goal.MANUAL:
            status = words.text("quests.status_manual", id=q.id)
        else:
            status = f"{progress_bar(v.progress / q.target)} {min(v.progress, q.target)}/{q.target}"
        lines.append(
            words.text(
                "quests.board_line",
                id=q.id,
                title=q.title,
                difficulty=_difficulty(q),
                reward=_reward(q),
                wait=q.ends_at - now,
                goal=_goal_words(q, q.target),
                status=status,
            )
        )
    return Reply(title=words.text("quests.board_title"), text="\n\n".join(lines))


def render_rotation(opened: list[Quest], now: datetime) -> Reply:
    """This week's challenges, as announced on Monday."""
    lines = [
        words.text(
            "quests.rotation_line",
            id=q.id,
            title=q.title,
            description=q.description,
            reward=_reward(q),
        )
        for q in opened
    ]
    return Reply(
        title=words.text("quests.rotation_title"),
        text="\n".join(lines) + words.text("quests.rotation_footer"),
        tone=Tone.INFO,
    )


async def announce_completion(uow: UnitOfWork, completion: Completion) -> None:
    """DM the member that they completed a quest and what they earned (once per period)."""
    quest, member = completion.quest, completion.member
    reward = _reward(quest)
    reply = Reply(
        text=words.text("quests.completed_dm", title=quest.title, reward=reward),
        tone=Tone.SUCCESS,
    )
    uow.announce(
        Announcement(
            community_id=quest.community_id,
            kind="quest",
            dedupe_key=f"quest:{quest.id}:{member.id}:{completion.period}",
            payload=reply.to_dict(),
            target=Target.DM,
            member_id=member.id,
        )
    )


async def announce_review(
    uow: UnitOfWork,
    quest: Quest,
    member: Member,
    approved: bool,
    submission: Submission,
    *,
    completed: bool = False,
) -> None:
    """Tell the member how their proof was judged (a DM, once per decision).

    An approval is told like a rejection: the member who handed in proof hears
    the outcome either way, with the reward when the approval completed the quest.
    """
    if approved:
        text = words.text("quests.approved_dm", title=quest.title)
        text += (
            words.text("quests.approved_reward", reward=_reward(quest))
            if completed
            else words.text("quests.approved_no_reward")
        )
    else:
        text = words.text("quests.rejected_dm", title=quest.title)
        text += (
            words.text("quests.rejected_reason", reason=submission.reason)
            if submission.reason
            else words.text("quests.rejected_no_reason")
        )
        text += words.text("quests.rejected_again", id=quest.id)
    accounts = {
        str(a.platform): a.user_id
        for a in await uow.get(IdentityRepository).accounts_of([member.id])
    }
    reply = Reply(
        text=f"{mention_token(member.id)} {text}",
        tone=Tone.SUCCESS if approved else Tone.WARNING,
        mentions=(Mention(int(member.id), member.display_name, accounts),),
    )
    uow.announce(
        Announcement(
            community_id=quest.community_id,
            kind="quest_review",
            dedupe_key=f"quest_review:{submission.id}:{submission.reviewed_at}",
            payload=reply.to_dict(),
            target=Target.DM,
            member_id=member.id,
        )
    )
