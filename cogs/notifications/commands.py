"""Notification handlers: members' settings, moderators' channels and schedule view."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.kit import Call, Field, Reply, Tone
from cogs.kit import messages as catalogue
from cogs.notifications import cards
from cogs.notifications.channels import parse_channel
from domain.core.scheduling import ScheduleReader
from domain.notifications import (
    BadChannelError,
    ChannelChoice,
    NotificationRepository,
    NotificationService,
)


@dataclass(frozen=True, slots=True)
class NotificationOptions:
    """Options of /settings notifications; None leaves a setting as it is."""

    reminders: bool | None
    nudges: bool | None
    dms: bool | None
    quiet: str | None


async def notifications(call: Call, o: NotificationOptions) -> Reply:
    """Change (or just show) the caller's reminders, nudges, DMs and quiet hours."""
    prefs = await call.ctx.need(NotificationService).update(
        call.uow,
        call.member,
        call.now,
        reminders=o.reminders,
        nudges=o.nudges,
        dms=o.dms,
        quiet=o.quiet,
    )
    return cards.settings_reply(prefs)


@dataclass(frozen=True, slots=True)
class ChannelsSetOptions:
    """Options of /admin channels set."""

    kind: str
    channel: str


async def channels_set(call: Call, o: ChannelsSetOptions) -> Reply:
    """Choose the channel one kind of announcement goes to, on the caller's platform."""
    raw = o.channel
    channel = parse_channel(raw)
    if channel is None:
        raise BadChannelError(given=raw[:40])
    kind = o.kind
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
    """Jobs with their next runs, the outbox backlog, recent failures and channels."""
    reader = call.ctx.maybe(ScheduleReader)
    if reader is None:
        return Reply(text=catalogue.text("notifications.schedule.missing"), tone=Tone.WARNING)
    status = await reader.status(call.uow, call.community.id, call.now)
    zone = call.community.timezone
    lines = []
    for job in status.jobs:
        line = f"`{job.name}` — {job.trigger}; next {cards.when(job.next_run, zone)}"
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
