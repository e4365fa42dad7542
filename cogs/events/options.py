"""The declarations of /event and /events: names, options, limits, examples."""

from __future__ import annotations

from datetime import timedelta

from cogs.events import commands as c
from cogs.events import edit
from cogs.kit import Command, Visibility, typed
from cogs.kit import options as opt


def _id() -> opt.Option:
    return opt.string(
        "id", "Event number, e.g. 3 (or 3.2: the 2nd date of a series)", max_length=17
    )


def command_list() -> list[Command]:
    """Declare /event create|show|rsvp|checkin|ical|edit|cancel|capacity|attended, /events."""
    return [
        typed.command(
            "event create",
            "Create an event members can RSVP to (time in your own zone)",
            c.create,
            options=(
                opt.string("title", "A short title", min_length=1, max_length=100),
                opt.string("when", "When, e.g. tomorrow 18:00, fri 5pm", max_length=80, rest=True),
                opt.duration(
                    "duration",
                    "How long it lasts (default 1h)",
                    required=False,
                    default=timedelta(hours=1),
                    min_duration=timedelta(minutes=5),
                    max_duration=timedelta(days=14),
                ),
                opt.string(
                    "ends", "When it ends, instead of a duration", required=False, max_length=80
                ),
                opt.integer(
                    "capacity",
                    "Places (default: no limit)",
                    required=False,
                    min_value=1,
                    max_value=100_000,
                ),
                opt.string(
                    "where", "Where: a channel, a room or a link", required=False, max_length=200
                ),
                opt.string(
                    "repeat",
                    "daily, weekly, biweekly, monthly or an RRULE",
                    required=False,
                    max_length=200,
                ),
                opt.string("signup-closes", "When sign-up closes", required=False, max_length=80),
                opt.string("description", "What it is about", required=False, max_length=1000),
                opt.integer(
                    "points", "Points for attending", required=False, min_value=0, max_value=100_000
                ),
                opt.string(
                    "timezone",
                    "IANA zone, e.g. Europe/Berlin (default: yours)",
                    required=False,
                    max_length=64,
                ),
            ),
            slow=True,  # a long series stores up to 500 dates: acknowledge first
            examples=(
                '/event create "Game night" fri 19:00 --capacity 10 --where #voice',
                '/event create "Study night" tomorrow 18:00 --repeat weekly --duration 2h',
            ),
        ),
        typed.command(
            "event show",
            "Show an event: time in your zone, who is going, the waitlist",
            c.show,
            options=(_id(),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/event show 3",),
        ),
        typed.command(
            "event rsvp",
            "Answer going, maybe or no (same as the card's buttons)",
            c.rsvp_command,
            options=(_id(), opt.choice("answer", "Your answer", c.ANSWERS)),
            visibility=Visibility.EPHEMERAL,
            examples=("/event rsvp 3 going", "/event rsvp 3.2 no"),
        ),
        typed.command(
            "event ical",
            "Get an event as an .ics file for your calendar",
            c.ical_command,
            options=(_id(),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/event ical 3",),
        ),
        typed.command(
            "event cancel",
            "Cancel one date of an event, or the whole series (host or moderator)",
            c.cancel,
            options=(_id(), opt.boolean("all", "Cancel every date still to come")),
            examples=("/event cancel 3", "/event cancel 3 --all"),
        ),
        typed.command(
            "event capacity",
            "Change the places of one date; the waitlist moves up (host or moderator)",
            c.capacity,
            options=(_id(), opt.integer("capacity", "Places", min_value=1, max_value=100_000)),
            examples=("/event capacity 3 20",),
        ),
        typed.command(
            "event attended",
            "Mark who attended; pays the event's points once (host or moderator)",
            c.attended,
            options=(
                _id(),
                opt.string("members", "Members, e.g. @ana @bo", max_length=2000, rest=True),
            ),
            examples=("/event attended 3 @ana @bo",),
        ),
        typed.command(
            "event edit",
            "Change an event's title, place or description (host or moderator)",
            edit.edit,
            options=(
                _id(),
                opt.string("title", "A new title", required=False, min_length=1, max_length=100),
                opt.string("where", "A new place", required=False, max_length=200),
                opt.string("description", "A new description", required=False, max_length=1000),
            ),
            examples=('/event edit 3 --where "Room 2"', '/event edit 3 --title "Board games"'),
        ),
        typed.command(
            "event checkin",
            "Check in while an event runs (same as the card's button)",
            c.checkin_command,
            options=(_id(),),
            visibility=Visibility.EPHEMERAL,
            examples=("/event checkin 3",),
        ),
        typed.command(
            "events",
            "List events (upcoming, yours, past), or get your calendar feed",
            c.events_command,
            options=(
                opt.choice(
                    "listing",
                    "upcoming, mine, past, or feed for your calendar link",
                    c.EVENTS_CHOICES,
                    required=False,
                    default="upcoming",
                ),
                opt.string(
                    "page", "Page number (after feed: get or reset)", required=False, max_length=8
                ),
                opt.boolean("community", "With feed: the community-wide feed (moderators)"),
            ),
            visibility=Visibility.EPHEMERAL,
            examples=(
                "/events",
                "/events mine",
                "/events past 2",
                "/events feed",
                "/events feed reset",
                "/events feed --community",
            ),
        ),
    ]


__all__ = ["command_list"]
