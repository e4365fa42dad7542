"""/event edit: change an event's title, place or description; cards and calendars follow."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.events.announce import refresh_card, sync_native
from cogs.events.jobs import horizon
from cogs.kit import Call, Reply, Tone
from cogs.kit.messages import text
from domain.events import EventEdit, EventEditor, EventRepository, EventService, EventStatus


@dataclass(frozen=True, slots=True)
class EditOptions:
    """Options of /event edit."""

    id: str
    title: str | None
    where: str | None
    description: str | None


async def edit(call: Call, o: EditOptions) -> Reply:
    """Change the details of an event (every date of a series), as its host or a moderator.

    Each upcoming date's card is edited (through the outbox, throttled), its
    native Discord event follows, and the iCal SEQUENCE goes up so calendars
    replace their copy.
    """
    cfg = call.ctx.config.events
    view = await call.ctx.need(EventService).find(call.uow, call.community.id, o.id)
    fresh = await call.ctx.need(EventEditor).edit(
        call.uow,
        call.member,
        view,
        EventEdit(title=o.title, where=o.where, description=o.description),
        is_moderator=call.is_moderator,
    )
    repo = call.uow.get(EventRepository)
    planned_until = call.now + horizon(cfg)
    for occ in await repo.occurrences(fresh.event.id):
        if occ.status is EventStatus.CANCELLED or occ.ends_at <= call.now:
            continue
        if occ.starts_at >= planned_until:
            break  # later dates get their card (and native event) when planned
        shown = await repo.view_of(occ.id)
        if shown is not None:
            await refresh_card(call.uow, shown, call.now, cfg)
            await sync_native(call.uow, shown, call.now, cfg, f"edit-{fresh.event.sequence}")
    return Reply(
        text=text("events.edited", label=fresh.label, title=fresh.event.title), tone=Tone.SUCCESS
    )
