"""/points: balances, gifts and history; moderators' /admin award|revoke|lock|unlock.

Handlers live in `commands.py`, the history page in `cards.py`, credit
expiry in `jobs.py`; this module declares them.
"""

from __future__ import annotations

from functools import partial

from cogs.kit import (
    Action,
    Cog,
    CogContext,
    Cron,
    Job,
    Permission,
    Registry,
    Visibility,
    typed,
)
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.points import commands, jobs
from cogs.points import messages as _messages

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Register the points cog (the ledger service itself is built by the composer)."""
    registry.add(cog(ctx))


def cog(ctx: CogContext) -> Cog:
    """Declare every command, button and job of points."""
    amount_option = opt.integer("amount", "How many points", min_value=1, max_value=1_000_000)
    reason_option = opt.string("reason", "Why (kept on record)", max_length=300, rest=True)
    return Cog(
        name="points",
        commands=[
            typed.command(
                "points balance",
                "Show your points, or another member's",
                commands.balance,
                options=(opt.member("member", "Whose balance to show", required=False),),
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/points balance", "/points balance @ana"),
            ),
            typed.command(
                "points give",
                "Give some of your points to another member",
                commands.give,
                options=(
                    opt.member("member", "Who receives the points"),
                    opt.integer(
                        "amount",
                        "How many points",
                        min_value=1,
                        max_value=ctx.config.points.max_gift,
                    ),
                    opt.string("reason", "What for", required=False, max_length=200, rest=True),
                ),
                examples=("/points give @ana 5 thanks for the review",),
            ),
            typed.command(
                "points history",
                "Show how your points (or a member's) moved, newest first",
                commands.history,
                options=(
                    opt.member("member", "Whose history to show", required=False),
                    opt.integer("page", "Which page", required=False, min_value=1, default=1),
                ),
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/points history", "/points history @ana 2"),
            ),
            typed.command(
                "admin award",
                "Award points to a member, with a reason on record",
                commands.award,
                options=(opt.member("member", "Who receives them"), amount_option, reason_option),
                permission=Permission.MODERATOR,
                examples=("/admin award @ana 50 ran the meetup",),
            ),
            typed.command(
                "admin revoke",
                "Take points back from a member, with a reason on record",
                commands.revoke,
                options=(opt.member("member", "From whom"), amount_option, reason_option),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                examples=("/admin revoke @bob 30 gift ring",),
            ),
            typed.command(
                "admin lock",
                "Stop a member from earning or spending points",
                commands.lock,
                options=(opt.member("member", "Whom to lock"), reason_option),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                examples=("/admin lock @bob gift ring under review",),
            ),
            typed.command(
                "admin unlock",
                "Let a locked member earn and spend again",
                commands.unlock,
                options=(opt.member("member", "Whom to unlock"),),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                examples=("/admin unlock @bob",),
            ),
        ],
        actions=[Action("points.history", commands.history_button, writes=False)],
        jobs=[
            Job(
                "points.expire",
                Cron(minute="17", hour="*"),
                partial(jobs.expire_credits, ctx),
                grace=None,
                description="write `expired` entries for credits past their date",
            )
        ],
    )
