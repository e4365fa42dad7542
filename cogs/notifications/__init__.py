"""/settings notifications, /admin channels set, /admin schedule, and the reminder jobs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.kit import (
    Call,
    Cog,
    CogContext,
    Command,
    Field,
    Option,
    OptionType,
    Permission,
    Registry,
    Reply,
    Tone,
    Visibility,
)
from cogs.kit import messages as catalogue
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.notifications._jobs import build_jobs, nudge_handler
from cogs.notifications._text import parse_channel
from cogs.notifications.messages import MESSAGES
from domain.core.activity import each
from domain.core.config import ChannelsSection
from domain.core.scheduling import ScheduleReader
from domain.notifications import (
    BadChannelError,
    ChannelChoice,
    NotificationRepository,
    NotificationService,
    Preferences,
)

register(MESSAGES)

CHANNEL_KINDS = tuple(ChannelsSection.model_fields)


def _toggle(name: str, description: str) -> Option:
    return Option(name, OptionType.BOOLEAN, description, required=False, default=None)


def _on(value: bool) -> str:
    return "on" if value else "off"


def _when(at: datetime | None, timezone: str) -> str:
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %H:%M %Z")


def settings_reply(prefs: Preferences) -> Reply:
    return Reply(
        title=catalogue.text("notifications.settings.title"),
        fields=(
            Field("Streak reminders", _on(prefs.reminders)),
            Field("Tier nudges", _on(prefs.nudges)),
            Field("By DM", _on(prefs.dms)),
            Field("Quiet hours", str(prefs.quiet) if prefs.quiet else "none"),
        ),
        footer=catalogue.text("notifications.settings.footer"),
    )


def setup(registry: Registry, ctx: CogContext) -> None:
    service = NotificationService(ctx.config.reminders)
    ctx.provide(NotificationService, service)
    # Tier progress moves only when XP does: reacting to anything else would
    # measure the distance before this transaction's XP was counted.
    registry.add_projection(
        each("notifications.tier-nudges", ["xp_gained"], nudge_handler(ctx, service))
    )

    async def notifications(call: Call) -> Reply:
        o = call.options
        prefs = await service.update(
            call.uow,
            call.member,
            call.now,
            reminders=o["reminders"],
            nudges=o["nudges"],
            dms=o["dms"],
            quiet=o["quiet"],
        )
        return settings_reply(prefs)

    async def channels_set(call: Call) -> Reply:
        raw: str = call.options["channel"]
        channel = parse_channel(raw)
        if channel is None:
            raise BadChannelError(given=raw[:40])
        kind: str = call.options["kind"]
        actor = call.inv.actor
        await call.uow.get(NotificationRepository).set_channel(
            call.community.id,
            ChannelChoice(kind, str(actor.platform), actor.workspace_id, channel),
            call.now,
        )
        shown = channel if channel.startswith("#") else f"<#{channel}>"
        return Reply(
            text=catalogue.text("notifications.channel_set", kind=kind, channel=shown),
            tone=Tone.SUCCESS,
        )

    async def schedule(call: Call) -> Reply:
        reader = ctx.maybe(ScheduleReader)
        if reader is None:
            return Reply(text=catalogue.text("notifications.schedule.missing"), tone=Tone.WARNING)
        status = await reader.status(call.uow, call.community.id, call.now)
        zone = call.community.timezone
        lines = []
        for job in status.jobs:
            line = f"`{job.name}` — {job.trigger}; next {_when(job.next_run, zone)}"
            if job.last_error:
                line += f" ⚠ last run failed: {job.last_error[:80]}"
            lines.append(line)
        b = status.backlog
        fields = [
            Field("Runner", status.runner or "none (no scheduler running)"),
            Field("Outbox", f"{b.pending} pending ({b.due} due, {b.retrying} retrying)"),
            Field("Sent / failed", f"{b.sent} / {b.failed}"),
        ]
        for f in b.recent_failures:
            fields.append(
                Field(f"Failed #{f.id} {f.kind}", f"{f.error[:120]} (tries: {f.attempts})", False)
            )
        channels = await call.uow.get(NotificationRepository).channels(call.community.id)
        if channels:
            fields.append(
                Field(
                    "Channels",
                    ", ".join(f"{c.kind} → {c.channel_id} ({c.platform})" for c in channels),
                    False,
                )
            )
        return Reply(
            title="Schedule",
            text="\n".join(lines) or "No jobs are declared.",
            fields=tuple(fields),
        )

    registry.add(
        Cog(
            name="notifications",
            commands=[
                Command(
                    "settings notifications",
                    "Turn reminders, nudges and DMs on or off; set quiet hours",
                    notifications,
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
                Command(
                    "admin channels set",
                    "Choose the channel for one kind of announcement",
                    channels_set,
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
                    schedule,
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                ),
            ],
            jobs=build_jobs(ctx, service),
        )
    )
