"""Moderators' tools: /admin audit (the one audit log every feature writes through)."""

from __future__ import annotations

from cogs.kit import Action, Cog, CogContext, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.moderation import commands as c
from cogs.moderation import messages as _messages
from cogs.moderation import reports
from domain.core.limits import CommandLimiter
from domain.moderation import ReportService
from domain.moderation.limits import RateLimiter

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the report service and the command rate limiter, and add the moderation cog."""
    ctx.provide(ReportService, ReportService(ctx.clock, ctx.points, reports.card, reports.warning))
    # The runner asks for the Protocol; mypy wants a concrete class as the key.
    ctx.provide(CommandLimiter, RateLimiter(ctx.config.limits))
    registry.add(cog())


def cog() -> Cog:
    """Declare /admin audit, /report, /admin report and the cards' buttons."""
    return Cog(
        name="moderation",
        commands=[
            typed.command(
                "admin audit",
                "Show moderator actions: who did what, when and why",
                c.audit,
                options=(
                    opt.member("member", "Only actions about this member", required=False),
                    opt.string(
                        "kind",
                        "Only this kind, e.g. points.award or points.",
                        required=False,
                        max_length=40,
                    ),
                    opt.integer("page", "Which page", required=False, min_value=1, default=1),
                ),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/admin audit", "/admin audit @bob", "/admin audit --kind member."),
            ),
            typed.command(
                "report",
                "Report a member to the moderators (they won't know it was you)",
                reports.report,
                options=(
                    opt.member("member", "Whom to report"),
                    opt.string("reason", "What happened", max_length=500, rest=True),
                ),
                visibility=Visibility.EPHEMERAL,
                examples=("/report @bob spamming invites in #general",),
            ),
            typed.command(
                "admin report",
                "Decide a report: dismiss, warn or lock (the card's buttons)",
                reports.decide,
                options=(
                    opt.integer("id", "The report number", min_value=1),
                    opt.choice("action", "What to do", ("dismiss", "warn", "lock")),
                ),
                permission=Permission.MODERATOR,
                examples=("/admin report 3 warn",),
            ),
        ],
        actions=[
            Action("audit.page", c.audit_button, permission=Permission.MODERATOR, writes=False),
            Action("report.decide", reports.decide_button, permission=Permission.MODERATOR),
        ],
    )
