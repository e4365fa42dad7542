"""Durable reminders and timed card changes, on `domain.core.timers`.

Planning: each occurrence starting within the horizon (the longest reminder
lead plus a day) gets one timer per reminder lead, one when check-in opens
and one when it ends; a later date of a series also gets its card posted.
The minute job plans, then fires due timers: the timer's claim and the
announcements it writes commit together, so a reminder is never sent twice
and none is lost across a restart. A reminder whose time passed while the
bot was down is still sent before the start, and dropped after it (or when
a shorter-lead reminder is due as well).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from cogs.events import cards, native
from cogs.events.announce import CHANNEL_KIND, NATIVE, post_card, refresh_card, sync_native
from cogs.kit import CogContext, Every, Job
from domain.core.announcements import Announcement, Target
from domain.core.timers import Timer, TimerRepository, sweep
from domain.core.uow import UnitOfWork
from domain.events import Answer, EventRepository, EventsSection, EventStatus, EventView
from domain.events.model import OccurrenceId
from domain.identity import IdentityRepository
from domain.notifications import NotificationRepository, NotificationService
from domain.notifications.model import StoredPrefs
from domain.notifications.rules import quiet_until

log = logging.getLogger(__name__)
REMINDER = "event.reminder"
CARD = "event.card"
PLAN_BATCH = 200


def horizon(cfg: EventsSection) -> timedelta:
    """Return how far ahead occurrences are planned: the longest reminder lead plus a day."""
    return timedelta(minutes=max(cfg.reminder_minutes, default=0)) + timedelta(days=1)


async def plan_occurrence(
    uow: UnitOfWork, view: EventView, now: datetime, cfg: EventsSection, *, fresh: bool
) -> None:
    """Schedule an occurrence's timers if it starts within the horizon.

    `fresh` (just created): leads already past are skipped rather than sent at
    once — a member who creates an event for tonight needs no "in 24 hours".
    """
    occ = view.occurrence
    if occ.starts_at >= now + horizon(cfg) or occ.status is EventStatus.CANCELLED:
        return
    timers = uow.get(TimerRepository)
    for lead in cfg.reminder_minutes:
        due = occ.starts_at - timedelta(minutes=lead)
        if fresh and due <= now:
            continue
        await timers.schedule(
            Timer(
                occ.community_id,
                REMINDER,
                f"event:{occ.id}:remind:{lead}",
                due,
                {"occurrence_id": int(occ.id), "lead": lead},
            ),
            now,
        )
    opens = occ.starts_at - timedelta(minutes=cfg.checkin_opens_minutes)
    for phase, due in (("open", opens), ("close", occ.ends_at + timedelta(seconds=1))):
        await timers.schedule(
            Timer(
                occ.community_id,
                CARD,
                f"event:{occ.id}:card:{phase}",
                due,
                {"occurrence_id": int(occ.id), "phase": phase},
            ),
            now,
        )
    await uow.get(EventRepository).mark_planned([occ.id])
    await sync_native(uow, view, now, cfg, "planned")
    if occ.number > 1:
        post_card(uow, view, now, cfg)


def build_jobs(ctx: CogContext) -> list[Job]:
    """Declare the minute job: plan new occurrences, then fire due reminders and card changes."""
    cfg: EventsSection = ctx.config.events

    async def plan(now: datetime) -> None:
        async with ctx.uow() as uow:
            repo = uow.get(EventRepository)
            for occ in await repo.unplanned(now + horizon(cfg), PLAN_BATCH):
                view = await repo.view_of(occ.id)
                if view is not None:
                    await plan_occurrence(uow, view, now, cfg, fresh=False)
            await uow.commit()

    async def remind(uow: UnitOfWork, timer: Timer) -> None:
        await _remind(ctx, cfg, uow, timer)

    async def card_change(uow: UnitOfWork, timer: Timer) -> None:
        view = await uow.get(EventRepository).view_of(
            OccurrenceId(int(timer.payload["occurrence_id"]))
        )
        if view is not None:
            await refresh_card(uow, view, ctx.clock.now(), cfg)

    async def push_native(uow: UnitOfWork, timer: Timer) -> None:
        await native.push(ctx, uow, timer)

    async def tick(now: datetime) -> None:
        await plan(now)
        await sweep(ctx.uow, REMINDER, now, remind)
        await sweep(ctx.uow, CARD, now, card_change)
        await sweep(ctx.uow, NATIVE, now, push_native)

    return [
        Job(
            "events.timers",
            Every(timedelta(minutes=1)),
            tick,
            grace=None,
            description="event reminders, check-in windows and native Discord events",
        )
    ]


async def _remind(ctx: CogContext, cfg: EventsSection, uow: UnitOfWork, timer: Timer) -> None:
    """Remind everyone going: by DM or one channel mention, per their settings."""
    now = ctx.clock.now()
    view = await uow.get(EventRepository).view_of(OccurrenceId(int(timer.payload["occurrence_id"])))
    lead = int(timer.payload["lead"])
    if view is None or view.occurrence.status is EventStatus.CANCELLED:
        return
    starts = view.occurrence.starts_at
    if view.event.status is EventStatus.CANCELLED or now >= starts:
        log.info("event reminder %s dropped: the event has started", timer.key)
        return
    if any(now >= starts - timedelta(minutes=m) for m in cfg.reminder_minutes if m < lead):
        log.info("event reminder %s dropped: a closer reminder is due too", timer.key)
        return
    going = await uow.get(EventRepository).rsvps(view.occurrence.id, (Answer.GOING,))
    if not going:
        return
    notifications = ctx.maybe(NotificationService)
    stored = await uow.get(NotificationRepository).prefs_of([r.member_id for r in going])
    identity = uow.get(IdentityRepository)
    in_channel = []
    for r in going:
        member = await identity.get_member(r.member_id)
        if member is None:
            continue
        prefs = (
            notifications.effective(stored.get(r.member_id, StoredPrefs()))
            if notifications is not None
            else None
        )
        if prefs is not None and not prefs.reminders:
            continue
        zone = member.timezone or view.event.timezone
        quiet_end = quiet_until(now, zone, prefs.quiet) if prefs is not None else None
        if quiet_end is not None and quiet_end >= starts:
            continue  # quiet until the event has started: a late reminder is no use
        if prefs is not None and prefs.dms:
            uow.announce(
                Announcement(
                    community_id=view.event.community_id,
                    kind=REMINDER,
                    dedupe_key=f"{timer.key}:{r.member_id}",
                    payload=cards.reminder_dm(view, now).to_dict(),
                    target=Target.DM,
                    member_id=r.member_id,
                    not_before=quiet_end,
                )
            )
        elif quiet_end is None:
            in_channel.append(r)
    if in_channel:
        uow.announce(
            Announcement(
                community_id=view.event.community_id,
                kind=REMINDER,
                dedupe_key=f"{timer.key}:channel",
                payload=cards.reminder_channel(view, in_channel, now).to_dict(),
                target=Target.CHANNEL,
                channel_kind=CHANNEL_KIND,
            )
        )
