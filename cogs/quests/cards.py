"""Reply builders of quests: the board, a quest's facts, rotations and DMs to members."""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.kit import Reply, Tone
from cogs.kit.format import human_duration, progress_bar
from cogs.kit.reply import Mention, mention_token
from cogs.quests import messages as _messages
from domain.core.announcements import Announcement, Target
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member
from domain.quests import Completion, Goal, Quest, QuestView, Repeat, Submission


def _goal_words(quest: Quest, n: int) -> str:
    one, many = _messages.GOAL_WORDS[quest.goal.value]
    return f"{n} {one if n == 1 else many}"


def _reward(quest: Quest) -> str:
    parts = []
    if quest.reward_points:
        parts.append(f"{quest.reward_points} points")
    if quest.reward_xp:
        parts.append(f"{quest.reward_xp} XP")
    return " + ".join(parts) or "glory"


def describe(quest: Quest, now: datetime) -> str:
    """One quest's facts for moderators and announcements."""
    every = {Repeat.NONE: "", Repeat.DAILY: " each day", Repeat.WEEKLY: " each week"}
    lines = [
        quest.description,
        f"Goal: {_goal_words(quest, quest.target)}{every[quest.repeat]} · "
        f"Reward: {_reward(quest)} · {_messages.DIFFICULTY[quest.difficulty.value]}",
    ]
    if quest.starts_at - now >= timedelta(minutes=1):
        lines.append(f"Starts in {human_duration(quest.starts_at - now)}.")
    lines.append(f"Ends in {human_duration(quest.ends_at - now)}.")
    return "\n".join(line for line in lines if line)


def render_board(views: list[QuestView], now: datetime) -> Reply:
    """The quest board: each open quest with the member's progress or next step."""
    if not views:
        return Reply(text="No quests are open right now. Check back on Monday for new challenges!")
    lines: list[str] = []
    for v in views:
        q = v.quest
        if v.completed:
            status = "✅ done"
        elif v.pending_submission is not None:
            status = f"⏳ proof #{v.pending_submission} awaiting review"
        elif q.goal is Goal.MANUAL:
            status = f"submit proof: `/quest submit {q.id} <proof>`"
        else:
            status = f"{progress_bar(v.progress / q.target)} {min(v.progress, q.target)}/{q.target}"
        lines.append(
            f"**#{q.id} {q.title}** · {_messages.DIFFICULTY[q.difficulty.value]} · "
            f"{_reward(q)} · ends in {human_duration(q.ends_at - now)}\n"
            f"{_goal_words(q, q.target)} — {status}"
        )
    return Reply(title="🗺️ Quests", text="\n\n".join(lines))


def render_rotation(opened: list[Quest], now: datetime) -> Reply:
    """This week's challenges, as announced on Monday."""
    lines = [f"**#{q.id} {q.title}** — {q.description} ({_reward(q)})" for q in opened]
    return Reply(
        title="🗓️ This week's challenges",
        text="\n".join(lines) + "\n\nSee your progress with `/quests`.",
        tone=Tone.INFO,
    )


async def announce_completion(uow: UnitOfWork, completion: Completion) -> None:
    """DM the member that they completed a quest and what they earned (once per period)."""
    quest, member = completion.quest, completion.member
    reward = _reward(quest)
    reply = Reply(
        text=f"🏁 Quest complete: **{quest.title}** — you earned {reward}!",
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
) -> None:
    """Tell the member how their proof was judged (a DM, once per decision)."""
    if approved:
        return  # the completion message says it, with the reward
    text = f"Your proof for **{quest.title}** was not accepted"
    text += f": “{submission.reason}”." if submission.reason else "."
    text += f" You can send new proof with `/quest submit {quest.id} <proof>`."
    accounts = {
        str(a.platform): a.user_id
        for a in await uow.get(IdentityRepository).accounts_of([member.id])
    }
    reply = Reply(
        text=f"{mention_token(member.id)} {text}",
        tone=Tone.WARNING,
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
