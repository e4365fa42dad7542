"""Events: /event and /events — RSVPs, waitlists, reminders, recurrence, iCal, attendance."""

from __future__ import annotations

from cogs.events import commands as c
from cogs.events import messages as _messages
from cogs.events.jobs import build_jobs
from cogs.events.options import command_list
from cogs.kit import Action, Cog, CogContext, Registry
from cogs.kit.messages import register
from domain.events import EventService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide `EventService` and register the commands, buttons and the timer job."""
    ctx.provide(EventService, EventService(ctx.clock, ctx.config.events, ctx.points))
    registry.add(
        Cog(
            name="events",
            commands=command_list(),
            actions=[
                Action("event.rsvp", c.rsvp_button),
                Action("event.checkin", c.checkin_button),
                Action("event.page", c.list_button, writes=False),
            ],
            jobs=build_jobs(ctx),
        )
    )
