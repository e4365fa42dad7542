"""Keep each planned date's native platform event (Discord) in step, from a durable timer.

`announce.sync_native` schedules a timer when a date is planned or cancelled;
the minute job fires it here. The timer's claim commits only if the platform
call succeeded, so an outage is retried at the next sweep; the client finds an
entry by its marker, so a retry never adds a second one.
"""

from __future__ import annotations

from cogs.kit import CogContext
from cogs.kit.messages import text
from domain.core.scheduling import OutboxQueue
from domain.core.timers import Timer
from domain.core.uow import UnitOfWork
from domain.events import EventRepository, EventStatus, EventView, OccurrenceId
from domain.events.native import NativeCalendar, NativeEvent


def native_event(view: EventView) -> NativeEvent:
    """What the native entry of a date shows: title, description, place, times, status."""
    marker = text("events.native.marker", label=view.label)
    body = view.event.description.strip()
    return NativeEvent(
        marker=marker,
        title=view.event.title,
        description=f"{body}\n\n{marker}" if body else marker,
        where=view.event.where or text("events.native.where"),
        starts_at=view.occurrence.starts_at,
        ends_at=view.occurrence.ends_at,
        cancelled=EventStatus.CANCELLED in (view.event.status, view.occurrence.status),
    )


async def push(ctx: CogContext, uow: UnitOfWork, timer: Timer) -> None:
    """Bring the native event of the timer's date in step in every linked workspace.

    Without a platform client (the console, or Discord not configured) there
    is nothing to keep in step, and the timer is simply spent.
    """
    calendar = ctx.maybe(NativeCalendar)
    if calendar is None:
        return
    occurrence_id = OccurrenceId(int(timer.payload["occurrence_id"]))
    view = await uow.get(EventRepository).view_of(occurrence_id)
    if view is None:
        return
    workspaces = await uow.get(OutboxQueue).workspaces(view.event.community_id)
    wanted = native_event(view)
    for ws in workspaces:
        if ws.platform == calendar.platform:
            await calendar.sync(ws.workspace_id, wanted, ctx.clock.now())
