"""The moderators' dashboard and community analytics: `/admin dashboard`, `/admin stats`."""

from __future__ import annotations

from cogs.dashboard import messages as _messages
from cogs.dashboard.commands import WINDOWS, admin_dashboard, admin_outbox_retry, admin_stats
from cogs.dashboard.jobs import roll_up_job
from cogs.dashboard.pages import PAGES
from cogs.kit import Cog, CogContext, Command, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from domain.analytics import AnalyticsService
from domain.core.contracts import PulseReader
from domain.dashboard import DashboardAuth

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the analytics and sign-in services; declare the commands, job and pages."""
    section = ctx.config.dashboard
    analytics = AnalyticsService(section.top_contributors, section.stats_in_weekly_post)
    ctx.provide(AnalyticsService, analytics)
    ctx.provide(PulseReader, analytics)
    ctx.provide(DashboardAuth, DashboardAuth())
    dashboard = Command(
        "admin dashboard",
        "A private, single-use link to the moderators' web dashboard",
        admin_dashboard,
        permission=Permission.MODERATOR,
        visibility=Visibility.EPHEMERAL,
        examples=("/admin dashboard",),
    )
    stats = typed.command(
        "admin stats",
        "Active members, retention and participation over 7, 30 or 90 days",
        admin_stats,
        options=(opt.choice("window", "How many days", tuple(WINDOWS), required=False),),
        permission=Permission.MODERATOR,
        visibility=Visibility.EPHEMERAL,
        writes=False,
        examples=("/admin stats", "/admin stats 90d"),
    )
    retry = typed.command(
        "admin outbox retry",
        "Send a failed announcement again (its number is in /admin schedule)",
        admin_outbox_retry,
        options=(opt.integer("id", "The announcement's number", min_value=1),),
        permission=Permission.MODERATOR,
        visibility=Visibility.EPHEMERAL,
        examples=("/admin outbox retry 42",),
    )
    registry.add(
        Cog(
            name="dashboard",
            commands=[dashboard, stats, retry],
            jobs=[roll_up_job(ctx, analytics)],
            pages=list(PAGES),
        )
    )
