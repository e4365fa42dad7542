"""/quests, /quest submit and /admin quest …: quests, weekly challenges and their review."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from cogs.kit import Cog, CogContext, Command, Cron, Job, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.quests import commands, jobs
from cogs.quests import messages as _messages
from cogs.quests.cards import announce_completion
from cogs.quests.demo import seed_demo
from domain.core.contracts import QuestReader
from domain.quests import Difficulty, Goal, QuestService, Repeat
from domain.quests.projection import QuestsProjection

__all__ = ["seed_demo", "setup"]

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Offer the quest service; progress quests from activities; register the cog."""
    service = QuestService(ctx.clock, ctx.points)
    ctx.provide(QuestService, service)
    ctx.provide(QuestReader, service)

    registry.add_projection(QuestsProjection(service, announce_completion))

    registry.add(cog(ctx))


def cog(ctx: CogContext) -> Cog:
    """Declare the quest commands and the weekly rotation."""
    section = ctx.config.quests
    return Cog(
        name="quests",
        commands=[
            Command(
                "quests",
                "Open quests and weekly challenges, with your progress",
                commands.quests,
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/quests",),
            ),
            typed.command(
                "quest submit",
                "Hand in proof for a manual quest; a moderator reviews it",
                commands.submit,
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
            typed.command(
                "admin quest create",
                "Create a quest: a goal to reach, a reward, a schedule",
                commands.create,
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
            typed.command(
                "admin quest review",
                "Approve or reject a manual quest submission",
                commands.review,
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
                commands.submissions,
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                writes=False,
            ),
        ],
        jobs=[
            Job(
                "quests.rotation",
                Cron(minute="0", hour=str(section.rotation_hour), day_of_week="mon"),
                partial(jobs.rotate, ctx),
                # A week's challenges open late rather than never (also on a fresh start).
                grace=timedelta(days=7),
                description="open this week's challenges from the configured pool",
                catch_up_when_new=True,
            )
        ],
    )
