"""Reply builders for events: the live card, lists, DMs and reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.kit import (
    Button,
    ButtonStyle,
    Field,
    Mention,
    Reply,
    Tone,
    mention_token,
    timestamp_token,
)
from cogs.kit.format import human_duration
from cogs.kit.messages import count, text
from domain.events import Answer, EventStatus, EventView, Rsvp
from domain.events.recurrence import describe
from domain.events.when import shown


def when(at: datetime, zone: str, now: datetime | None = None) -> str:
    """The start as each platform shows it: full date and time, then "in 3h 20m".

    Without `now` only the full date and time (the relative part would go stale
    in a message nobody edits).
    """
    full = timestamp_token(at, "F", shown(at, zone))
    if now is None:
        return full
    span = human_duration(abs(at - now))
    relative = text("events.in" if at >= now else "events.ago", span=span)
    return f"{full} ({timestamp_token(at, 'R', relative)})"


def _cancelled(view: EventView) -> bool:
    return (
        view.occurrence.status is EventStatus.CANCELLED
        or view.event.status is EventStatus.CANCELLED
    )


def checkin_open(view: EventView, now: datetime, opens_minutes: int) -> bool:
    """Tell whether check-in is open: from `opens_minutes` before the start until the end.

    A cancelled date (or series) never opens for check-in.
    """
    occ = view.occurrence
    opens = occ.starts_at - timedelta(minutes=opens_minutes)
    return not _cancelled(view) and opens <= now <= occ.ends_at


def card(view: EventView, now: datetime, opens_minutes: int, zone: str | None = None) -> Reply:
    """The event card: time in each reader's zone, counts, and the RSVP buttons.

    `zone` writes the console's fallback time (the viewer's zone); a card
    for the channel uses the event's own zone.
    """
    event, occ = view.event, view.occurrence
    zone = zone or event.timezone
    fields = [Field(text("events.card.when"), when(occ.starts_at, zone, now), False)]
    if event.where:
        fields.append(Field(text("events.card.where"), event.where))
    if event.rule is not None:
        fields.append(
            Field(
                text("events.card.repeats"),
                text(
                    "events.card.repeats_value",
                    rule=describe(event.rule),
                    number=occ.number,
                    total=event.occurrences,
                ),
            )
        )
    capacity = f" / {occ.capacity}" if occ.capacity is not None else ""
    fields.append(Field(text("events.card.going"), f"**{occ.going}**{capacity}"))
    fields.append(Field(text("events.card.maybe"), f"**{occ.maybe}**"))
    if occ.capacity is not None:
        fields.append(Field(text("events.card.waitlist"), f"**{occ.waitlisted}**"))
    fields.append(Field(text("events.card.host"), mention_token(event.host_id)))
    if event.points:
        fields.append(Field(text("events.card.points"), count("count.points", event.points)))
    closes = occ.signup_closes(event)
    if closes is not None:
        fields.append(Field(text("events.card.signup"), when(closes, zone)))
    cancelled = _cancelled(view)
    buttons: tuple[Button, ...] = ()
    footer = text("events.card.footer", label=view.label)
    if cancelled:
        footer = text("events.card.cancelled")
    elif now < occ.starts_at:
        buttons = (
            Button(
                text("events.button.going"),
                f"event.rsvp:{occ.id}:going",
                ButtonStyle.SUCCESS,
                emoji="✅",
            ),
            Button(text("events.button.maybe"), f"event.rsvp:{occ.id}:maybe", emoji="🤔"),
            Button(text("events.button.no"), f"event.rsvp:{occ.id}:no", ButtonStyle.DANGER),
        )
    if checkin_open(view, now, opens_minutes):
        buttons = (
            *buttons,
            Button(text("events.button.checkin"), f"event.checkin:{occ.id}", ButtonStyle.PRIMARY),
        )
        footer = text("events.card.checkin_open")
    return Reply(
        title=text(
            "events.card.title_cancelled" if cancelled else "events.card.title",
            label=view.label,
            title=event.title,
        ),
        text=event.description,
        fields=tuple(fields),
        buttons=buttons,
        footer=footer,
        tone=Tone.WARNING if cancelled else Tone.INFO,
        mentions=(Mention(int(event.host_id), event.host_name),),
        anchor=occ.anchor,
    )


def rsvp_reply(
    view: EventView, answer: Answer, previous: Answer | None, position: int | None
) -> Reply:
    """What the member who answered sees (only them)."""
    params = {"title": view.event.title, "label": view.label, "position": position}
    if answer is previous:
        if answer is Answer.WAITLISTED:
            return Reply(text=text("events.rsvp.still_waiting", **params), ephemeral=True)
        return Reply(text=text("events.rsvp.unchanged", answer=answer), ephemeral=True)
    tone = Tone.WARNING if answer is Answer.WAITLISTED else Tone.SUCCESS
    return Reply(text=text(f"events.rsvp.{answer}", **params), tone=tone, ephemeral=True)


def listing(
    views: list[EventView], listing_name: str, page: int, pages: int, zone: str, action: str
) -> Reply:
    """Build one page of /events, with buttons to the neighbouring pages.

    `action` is the button action the page number is appended to; on the past
    listing the buttons read Newer and Older.
    """
    if not views:
        return Reply(text=text("events.list_empty"), ephemeral=True)
    lines = []
    for v in views:
        capacity = f"/{v.occurrence.capacity}" if v.occurrence.capacity is not None else ""
        line = text(
            "events.list.line",
            label=v.label,
            when=when(v.occurrence.starts_at, zone),
            going=v.occurrence.going,
            capacity=capacity,
        )
        lines.append(f"**{v.event.title}** — {line}")
    buttons = []
    if page > 1:
        back = "events.list.newer" if listing_name == "past" else "events.list.previous"
        buttons.append(Button(text(back), f"{action}:{page - 1}"))
    if page < pages:
        on = "events.list.older" if listing_name == "past" else "events.list.next"
        buttons.append(Button(text(on), f"{action}:{page + 1}"))
    return Reply(
        title=text("events.list.title", listing=listing_name),
        text="\n".join(lines),
        footer=text("events.list.footer", page=page, pages=pages),
        buttons=tuple(buttons),
        ephemeral=True,
    )


def where_suffix(view: EventView) -> str:
    """Return " at <place>" for a reminder, or nothing when the event has no place."""
    return text("events.where_suffix", where=view.event.where) if view.event.where else ""


def promoted_dm(view: EventView, now: datetime) -> Reply:
    """Tell a member by DM that a place opened up and they moved from the waitlist to going."""
    return Reply(
        text=text(
            "events.dm.promoted",
            title=view.event.title,
            label=view.label,
            when=when(view.occurrence.starts_at, view.event.timezone, now),
        ),
        tone=Tone.SUCCESS,
    )


def cancelled_dm(view: EventView, whole_series: bool) -> Reply:
    """Tell a member by DM that a date they answered, or the whole series, was cancelled."""
    if whole_series:
        body = text("events.dm.cancelled_series", title=view.event.title, id=view.event.id)
    else:
        body = text(
            "events.dm.cancelled",
            title=view.event.title,
            label=view.label,
            when=when(view.occurrence.starts_at, view.event.timezone),
        )
    return Reply(text=body, tone=Tone.WARNING)


def reminder_dm(view: EventView, now: datetime) -> Reply:
    """Remind a member by DM that an event they are going to starts soon."""
    return Reply(
        text=text(
            "events.dm.reminder",
            title=view.event.title,
            label=view.label,
            when=when(view.occurrence.starts_at, view.event.timezone, now),
            where=where_suffix(view),
        ),
        tone=Tone.INFO,
    )


def reminder_channel(view: EventView, going: list[Rsvp], now: datetime) -> Reply:
    """Remind the channel that an event starts soon, mentioning everyone going."""
    return Reply(
        text=text(
            "events.channel.reminder",
            title=view.event.title,
            label=view.label,
            when=when(view.occurrence.starts_at, view.event.timezone, now),
            where=where_suffix(view),
            names=", ".join(mention_token(r.member_id) for r in going),
        ),
        mentions=tuple(Mention(int(r.member_id), r.member_name) for r in going),
        ping=True,
    )
