"""Editing an event's details: its title, place and description, for every date.

Its own module (not `EventService`) so the service stays readable; the same
host rule applies. Times are not edited: a series' dates, RSVPs and reminders
hang on them, so a moved event is cancelled and created again.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.clock import Clock
from domain.core.uow import UnitOfWork
from domain.events.errors import EventCancelledError, NothingToEditError, NotHostError
from domain.events.model import EventStatus, EventView
from domain.events.repository import EventRepository
from domain.identity.model import Member


@dataclass(frozen=True, slots=True)
class EventEdit:
    """The details to change; None keeps what is there."""

    title: str | None = None
    where: str | None = None
    description: str | None = None


class EventEditor:
    """Change the details of a series; the iCal SEQUENCE goes up with each change."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def edit(
        self,
        uow: UnitOfWork,
        actor: Member,
        view: EventView,
        change: EventEdit,
        *,
        is_moderator: bool,
    ) -> EventView:
        """Apply `change` to the series of `view`; return the occurrence as it is now.

        Raises:
            NotHostError: neither the host nor a moderator.
            EventCancelledError: the whole series was cancelled.
            NothingToEditError: `change` changes nothing.
        """
        event = view.event
        if not is_moderator and actor.id != event.host_id:
            raise NotHostError(label=view.label, host=event.host_name)
        if event.status is EventStatus.CANCELLED:
            raise EventCancelledError(label=str(event.id), title=event.title)
        title = event.title if change.title is None else change.title.strip()
        where = event.where if change.where is None else change.where.strip()
        description = event.description if change.description is None else change.description
        if (title, where, description) == (event.title, event.where, event.description):
            raise NothingToEditError(label=view.label)
        repo = uow.get(EventRepository)
        await repo.edit_details(event.id, title, where, description)
        await repo.touch(event.id, self._clock.now())
        fresh = await repo.view_of(view.occurrence.id)
        assert fresh is not None
        return fresh
