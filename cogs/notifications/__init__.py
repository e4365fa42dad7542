"""/settings notifications, /admin channels set, /admin schedule, and the reminder jobs."""

from __future__ import annotations

from cogs.kit import (
    Cog,
    CogContext,
    Command,
    Option,
    OptionType,
    Permission,
    Registry,
    Visibility,
    typed,
)
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.notifications import commands
from cogs.notifications.jobs import build_jobs, nudge_handler
from cogs.notifications.messages import MESSAGES
from domain.core.activity import each
from domain.core.config import ChannelsSection
from domain.notifications import NotificationService

register(MESSAGES)

CHANNEL_KINDS = tuple(ChannelsSection.model_fields)


def _toggle(name: str, description: str) -> Option:
    return Option(name, OptionType.BOOLEAN, description, required=False, default=None)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Offer the notification service, nudge from XP, register commands and reminder jobs."""
    service = NotificationService(ctx.config.reminders)
    ctx.provide(NotificationService, service)
    # Tier progress moves only when XP does: reacting to anything else would
    # measure the distance before this transaction's XP was counted.
    registry.add_projection(
        each("notifications.tier-nudges", ["xp_gained"], nudge_handler(ctx, service))
    )

    registry.add(cog(ctx, service))


def cog(ctx: CogContext, service: NotificationService) -> Cog:
    """Declare the notification commands and the reminder and leaderboard jobs."""
    return Cog(
        name="notifications",
        commands=[
            typed.command(
                "settings notifications",
                "Turn reminders, nudges and DMs on or off; set quiet hours",
                commands.notifications,
                options=(
                    _toggle("reminders", "Streak reminders in the evening"),
                    _toggle("nudges", "A nudge when you are close to the next tier"),
                    _toggle("dms", "Send these to me by DM instead of a channel mention"),
                    opt.string(
                        "quiet",
                        "No pings in these hours, like 22:00-07:00, or off",
                        required=False,
                        max_length=20,
                    ),
                ),
                visibility=Visibility.EPHEMERAL,
                examples=(
                    "/settings notifications",
                    "/settings notifications --dms on --quiet 22:00-07:00",
                    "/settings notifications --reminders off",
                ),
            ),
            typed.command(
                "admin channels set",
                "Choose the channel for one kind of announcement",
                commands.channels_set,
                options=(
                    opt.choice("kind", "Which announcements", CHANNEL_KINDS),
                    opt.string("channel", "The channel (#name, a mention or its id)"),
                ),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                examples=("/admin channels set leaderboard #wins",),
            ),
            Command(
                "admin schedule",
                "Scheduled jobs with next run times, the outbox backlog and failures",
                commands.schedule,
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                writes=False,
            ),
        ],
        jobs=build_jobs(ctx, service),
    )
