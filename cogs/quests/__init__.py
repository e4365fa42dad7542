"""/quests, /quest submit and /admin quest …: quests, weekly challenges and their review."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from cogs.kit import (
    Call,
    Cog,
    CogContext,
    Command,
    Cron,
    Job,
    Permission,
    Registry,
    Reply,
    Tone,
    Visibility,
)
from cogs.kit import options as opt
from cogs.kit.format import bold_points, human_duration, progress_bar
from cogs.kit.messages import register
from cogs.kit.options import parse_duration
from cogs.kit.reply import Mention, mention_token
from cogs.quests import messages as _messages
from domain.core.activity import ANY_KIND, Activity, each
from domain.core.announcements import Announcement, Target
from domain.core.contracts import QuestReader
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member
from domain.quests import (
    Completion,
    Difficulty,
    Goal,
    Quest,
    QuestDateError,
    QuestDraft,
    QuestRepository,
    QuestService,
    QuestView,
    Repeat,
    Submission,
)
from domain.quests.schedule import week_window

register(_messages.MESSAGES)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def setup(registry: Registry, ctx: CogContext) -> None:
    section = ctx.config.quests
    service = QuestService(ctx.clock, ctx.points)
    ctx.provide(QuestService, service)
    ctx.provide(QuestReader, service)  # type: ignore[type-abstract]

    async def on_activity(uow: UnitOfWork, activity: Activity) -> None:
        for completion in await service.on_activity(uow, activity):
            await announce_completion(uow, completion)

    registry.add_projection(each("quests.progress", [ANY_KIND], on_activity))

    async def quests(call: Call) -> Reply:
        views = await service.board(call.uow, call.community, call.member)
        return render_board(views, call.now)

    async def submit(call: Call) -> Reply:
        submission = await service.submit(
            call.uow, call.community, call.member, call.options["quest"], call.options["proof"]
        )
        quest = await service.get(call.uow, call.community, submission.quest_id)
        return Reply(
            text=f"📨 Proof for **{quest.title}** sent as submission **#{submission.id}**."
            " A moderator will review it.",
            tone=Tone.SUCCESS,
        )

    async def create(call: Call) -> Reply:
        o = call.options
        draft = QuestDraft(
            title=o["title"],
            description=o["description"] or "",
            goal=Goal(o["goal"]),
            target=o["target"],
            reward_points=o["points"],
            reward_xp=o["xp"] or 0,
            difficulty=Difficulty(o["difficulty"] or "medium"),
            repeat=Repeat(o["repeat"] or "none"),
            starts=parse_start(o["starts"]),
            ends=parse_end(o["ends"]),
        )
        quest = await service.create(call.uow, call.community, call.member, draft)
        return Reply(
            title=f"🗺️ New quest #{quest.id}: {quest.title}",
            text=describe(quest, call.now),
            tone=Tone.SUCCESS,
        )

    async def review(call: Call) -> Reply:
        approve = call.options["decision"] == "approve"
        result = await service.review(
            call.uow,
            call.community,
            call.member,
            call.options["submission"],
            approve,
            call.options["reason"],
        )
        sub = result.submission
        quest = await service.get(call.uow, call.community, sub.quest_id)
        member = await call.uow.get(IdentityRepository).get_member(sub.member_id)
        assert member is not None
        await announce_review(call.uow, quest, member, approve, sub)
        verdict = "approved ✅" if approve else "rejected ❌"
        text = (
            f"Submission **#{sub.id}** by {call.mention(member)} for **{quest.title}** {verdict}."
        )
        if result.completion is not None and result.completion.points:
            text += f" They earned {bold_points(result.completion.points)}."
        return Reply(text=text, tone=Tone.SUCCESS)

    async def submissions(call: Call) -> Reply:
        waiting = await service.pending(call.uow, call.community, limit=15)
        if not waiting:
            return Reply(text="No submissions are waiting for review. 🎉")
        identity = call.uow.get(IdentityRepository)
        lines = []
        for sub in waiting:
            quest = await service.get(call.uow, call.community, sub.quest_id)
            member = await identity.get_member(sub.member_id)
            who = call.mention(member) if member else "someone"
            lines.append(f"**#{sub.id}** {who} — **{quest.title}**: “{sub.proof[:200]}”")
        return Reply(
            title="📥 Waiting for review",
            text="\n".join(lines)
            + "\n\nDecide with `/admin quest review <submission> <approve|reject> [reason]`.",
        )

    async def rotate(now: datetime) -> None:
        """Monday morning: open this week's challenges in every community, once."""
        if section.rotation_per_week == 0 or not section.rotation:
            return
        async with ctx.uow(read_only=True) as uow:
            community_ids = await uow.get(QuestRepository).community_ids()
        for community_id in community_ids:
            async with ctx.uow() as uow:
                community = await uow.get(IdentityRepository).get_community(community_id)
                if community is None:  # pragma: no cover - listed a moment ago
                    continue
                opened = await service.rotate(
                    uow, community, now, section.rotation, section.rotation_per_week
                )
                if opened:
                    week = week_window(now, community.timezone)[0]
                    uow.announce(
                        Announcement(
                            community_id=community.id,
                            kind="quests",
                            dedupe_key=f"quests:rotation:{community.id}:{week}",
                            payload=render_rotation(opened, now).to_dict(),
                            channel_kind="announcements",
                        )
                    )
                await uow.commit()

    registry.add(
        Cog(
            name="quests",
            commands=[
                Command(
                    "quests",
                    "Open quests and weekly challenges, with your progress",
                    quests,
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/quests",),
                ),
                Command(
                    "quest submit",
                    "Hand in proof for a manual quest; a moderator reviews it",
                    submit,
                    options=(
                        opt.integer("quest", "The quest's number (see /quests)", min_value=1),
                        opt.string(
                            "proof",
                            "What you did, with a link if you have one",
                            max_length=section.max_proof_length,
                            rest=True,
                            long=True,
                        ),
                    ),
                    examples=("/quest submit 3 wrote the onboarding guide: https://…",),
                ),
                Command(
                    "admin quest create",
                    "Create a quest: a goal to reach, a reward, a schedule",
                    create,
                    options=(
                        opt.string("title", "Short name of the quest", max_length=80),
                        opt.choice("goal", "What counts", tuple(g.value for g in Goal)),
                        opt.integer(
                            "target",
                            "How many to reach (1 for manual)",
                            min_value=1,
                            max_value=10_000,
                        ),
                        opt.integer(
                            "points", "Points paid on completion", min_value=0, max_value=1_000_000
                        ),
                        opt.string(
                            "description",
                            "What to do",
                            required=False,
                            max_length=1000,
                            rest=True,
                            long=True,
                        ),
                        opt.integer(
                            "xp",
                            "XP paid on completion",
                            required=False,
                            min_value=0,
                            max_value=1_000_000,
                        ),
                        opt.choice(
                            "difficulty",
                            "How hard it is",
                            tuple(d.value for d in Difficulty),
                            required=False,
                        ),
                        opt.choice(
                            "repeat",
                            "Start over each day or week",
                            tuple(r.value for r in Repeat),
                            required=False,
                        ),
                        opt.string(
                            "starts", "First day (2026-11-30) or now", required=False, max_length=10
                        ),
                        opt.string(
                            "ends",
                            "Last day (2026-12-06) or a length (7d)",
                            required=False,
                            max_length=10,
                        ),
                    ),
                    permission=Permission.MODERATOR,
                    examples=(
                        '/admin quest create "Check in 5 times" checkins 5 50 --xp 20 --ends 7d',
                        '/admin quest create "Write a guide" manual 1 100 A newcomer guide --xp 20',
                    ),
                ),
                Command(
                    "admin quest review",
                    "Approve or reject a manual quest submission",
                    review,
                    options=(
                        opt.integer("submission", "The submission's number", min_value=1),
                        opt.choice("decision", "Approve or reject", ("approve", "reject")),
                        opt.string(
                            "reason",
                            "Why (shown to the member)",
                            required=False,
                            max_length=500,
                            rest=True,
                        ),
                    ),
                    permission=Permission.MODERATOR,
                    examples=("/admin quest review 12 approve great guide!",),
                ),
                Command(
                    "admin quest submissions",
                    "Manual quest submissions waiting for review",
                    submissions,
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                ),
            ],
            jobs=[
                Job(
                    "quests.rotation",
                    Cron(minute="0", hour=str(section.rotation_hour), day_of_week="mon"),
                    rotate,
                    grace=timedelta(hours=12),
                    description="open this week's challenges from the configured pool",
                )
            ],
        )
    )


def parse_start(text: str | None) -> date | None:
    if text is None or text.strip().lower() in ("", "now", "today"):
        return None
    if _DATE.match(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise QuestDateError(option="starts", value=text)


def parse_end(text: str | None) -> date | timedelta | None:
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
    lines = [f"**#{q.id} {q.title}** — {q.description} ({_reward(q)})" for q in opened]
    return Reply(
        title="🗓️ This week's challenges",
        text="\n".join(lines) + "\n\nSee your progress with `/quests`.",
        tone=Tone.INFO,
    )


async def announce_completion(uow: UnitOfWork, completion: Completion) -> None:
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


async def seed_demo(demo: Any) -> None:
    """Demo: this week's challenges, a manual quest and one proof waiting for review."""
    rotation = next(j for j in demo.app.registry.jobs if j.name == "quests.rotation")
    await rotation.handler(demo.clock.now())
    created = await demo.run(
        "mia",
        "admin quest create",
        '"Share a tip" manual 1 25 Post a tip that helped you this week --xp 15 --ends 7d',
        mod=True,
    )
    quest_id = (created.title or "#0:").split("#")[1].split(":")[0]
    await demo.run("erin", "quest submit", f"{quest_id} wrote up my VS Code shortcuts")
