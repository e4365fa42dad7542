"""Events: /event and /events — RSVPs, waitlists, reminders, recurrence, iCal, attendance."""

from __future__ import annotations

from typing import Any

from cogs.events import commands as c
from cogs.events import messages as _messages
from cogs.events.jobs import build_jobs
from cogs.events.options import command_list
from cogs.kit import Action, Cog, CogContext, Page, Registry
from cogs.kit.messages import register
from domain.core.contracts import EventReader
from domain.events import EventEditor, EventService
from domain.events.reader import RepositoryEventReader

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide `EventService` and register the commands, buttons and the timer job."""
    ctx.provide(EventService, EventService(ctx.clock, ctx.config.events, ctx.points))
    ctx.provide(EventEditor, EventEditor(ctx.clock))
    ctx.provide(EventReader, RepositoryEventReader())
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
            pages=[
                Page(
                    "events",
                    "Events",
                    shows=("events upcoming", "events past"),
                    forms=("event edit", "event capacity", "event cancel"),
                    order=60,
                )
            ],
        )
    )


async def seed_demo(demo: Any) -> None:
    """Two upcoming events with answers, so the console demo shows a card with a waitlist."""
    reply = await demo.run(
        "erin",
        "event create",
        '"Game night" "in 2 days at 19:00" --capacity 2 --where #voice --duration 3h',
        mod=True,
    )
    label = (reply.title or "#1 ").split("#", 1)[1].split(" ", 1)[0]
    for who in ("bob", "carol", "dave"):
        await demo.run(who, "event rsvp", f"{label} going")
    await demo.run("frank", "event rsvp", f"{label} maybe")
    await demo.run(
        "erin",
        "event create",
        '"Study night" "in 5 days at 18:00" --repeat weekly --duration 2h --points 15',
        mod=True,
    )
