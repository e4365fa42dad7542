"""Session reminders: durable timers stored with the acceptance, swept every minute."""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.kit import CogContext, Reply
from cogs.kit.command import JobHandler
from cogs.kit.messages import text
from cogs.mentoring import cards
from domain.core.timers import Timer, TimerRepository, sweep
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository
from domain.mentoring import MentoringService, Session, SessionStatus

REMINDER = "mentoring.reminder"


def _key(session: Session, lead: int) -> str:
    return f"session:{session.id}:{lead}"


async def schedule_reminders(
    uow: UnitOfWork, ctx: CogContext, session: Session, now: datetime
) -> None:
    """One timer per lead time in config that is still in the future."""
    if session.starts_at is None:
        return
    timers = uow.get(TimerRepository)
    for lead in ctx.need(MentoringService).section.reminder_lead_minutes:
        due = session.starts_at - timedelta(minutes=lead)
        if due > now:
            timer = Timer(
                session.community_id, REMINDER, _key(session, lead), due, {"id": session.id}
            )
            if not await timers.schedule(timer, now):
                await timers.reschedule(REMINDER, _key(session, lead), due)


async def cancel_reminders(uow: UnitOfWork, ctx: CogContext, session: Session) -> None:
    """Remove a session's pending reminders (cancelled, completed, no-show)."""
    timers = uow.get(TimerRepository)
    for lead in ctx.need(MentoringService).section.reminder_lead_minutes:
        await timers.cancel(REMINDER, _key(session, lead))


def reminder_job(ctx: CogContext) -> JobHandler:
    """The every-minute sweep that DMs both sides of a scheduled session."""

    async def fire(uow: UnitOfWork, timer: Timer) -> None:
        service = ctx.need(MentoringService)
        session = await service.get(uow, timer.community_id, int(timer.payload["id"]))
        if session.status is not SessionStatus.SCHEDULED or session.starts_at is None:
            return  # cancelled or done since: nothing to remind
        identity = uow.get(IdentityRepository)
        mentor = await identity.get_member(session.mentor_id)
        mentee = await identity.get_member(session.mentee_id)
        community = await identity.get_community(session.community_id)
        if mentor is None or mentee is None or community is None:
            return
        for me, other in ((mentor, mentee), (mentee, mentor)):
            tz = me.timezone or community.timezone
            words = text(
                "mentoring.reminder",
                type=session.type,
                id=session.id,
                other=f"**{other.display_name}**",
                when=cards.local_time(session.starts_at, tz),
            )
            uow.announce(cards.dm(session, int(me.id), f"remind:{timer.key}", Reply(text=words)))

    async def run(now: datetime) -> None:
        await sweep(ctx.uow, REMINDER, now, fire)

    return run
