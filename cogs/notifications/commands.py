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
    given = {"reminders": o.reminders, "nudges": o.nudges, "dms": o.dms, "quiet": o.quiet}
    return cards.settings_reply(prefs, tuple(k for k, v in given.items() if v is not None))


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
        line = catalogue.text(
            "notifications.schedule.job",
            name=job.name,
            trigger=job.trigger,
            next=cards.when(job.next_run, zone),
        )
        if job.last_error:
            line += catalogue.text("notifications.schedule.job_failed", error=job.last_error[:80])
        lines.append(line)
    b = status.backlog
    fields = [
        Field(
            catalogue.text("notifications.schedule.runner"),
            status.runner or catalogue.text("notifications.schedule.no_runner"),
        ),
        Field(
            catalogue.text("notifications.schedule.outbox"),
            catalogue.text(
                "notifications.schedule.backlog",
                pending=b.pending,
                due=b.due,
                retrying=b.retrying,
            ),
        ),
        Field(catalogue.text("notifications.schedule.sent_failed"), f"{b.sent} / {b.failed}"),
    ]
    for f in b.recent_failures:
        fields.append(
            Field(
                catalogue.text("notifications.schedule.failure", id=f.id, kind=f.kind),
                catalogue.text(
                    "notifications.schedule.failure_detail",
                    error=f.error[:120],
                    attempts=f.attempts,
                ),
                False,
            )
        )
    channels = await call.uow.get(NotificationRepository).channels(call.community.id)
    if channels:
        fields.append(
            Field(
                catalogue.text("notifications.schedule.channels"),
                ", ".join(
                    catalogue.text(
                        "notifications.schedule.channel",
                        kind=c.kind,
                        channel=c.channel_id,
                        platform=c.platform,
                    )
                    for c in channels
                ),
                False,
            )
        )
    return Reply(
        title=catalogue.text("notifications.schedule.title"),
        text="\n".join(lines) or catalogue.text("notifications.schedule.no_jobs"),
        fields=tuple(fields),
    )
