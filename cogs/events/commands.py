"""Handlers of /event and /events: parse, call `EventService`, return a Reply.

Each handler takes its command's options as a frozen dataclass (`cogs.kit.typed`).
What the community should see (the card in the events channel, throttled live
edits, DMs to promoted or cancelled members, the native calendar entry) is
queued by `cogs.events.announce` in the same transaction as the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from cogs.events import cards, ical
from cogs.events.announce import (
    dm,
    post_card,
    refresh_card,
    sync_native,
    tell_promoted,
)
from cogs.events.jobs import horizon, plan_occurrence
from cogs.events.people import members_named
from cogs.kit import Attachment, Call, Reply, Tone
from cogs.kit.messages import count, text
from domain.core.errors import InvalidInputError, PermissionDeniedError
from domain.core.ids import parse_id, parse_ids
from domain.events import (
    Answer,
    EventDraft,
    EventRepository,
    EventService,
    EventsSection,
    EventView,
    FeedOwner,
    FeedRepository,
    Listing,
    OccurrenceId,
    SeriesForFeed,
)

LISTINGS = tuple(x.value for x in Listing)
EVENTS_CHOICES = (*LISTINGS, "feed")
ANSWERS = ("going", "maybe", "no")
FEED_ACTIONS = ("get", "reset")


def _service(call: Call) -> EventService:
    return call.ctx.need(EventService)


def _cfg(call: Call) -> EventsSection:
    return call.ctx.config.events


def _zone(call: Call) -> str:
    return call.member.timezone or call.community.timezone


def _stale() -> InvalidInputError:
    return InvalidInputError(problem=text("events.button_out_of_date"))


# -- options ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreateOptions:
    """Options of /event create."""

    title: str
    when: str
    duration: timedelta
    ends: str | None
    capacity: int | None
    where: str | None
    repeat: str | None
    signup_closes: str | None
    description: str | None
    points: int | None
    timezone: str | None


@dataclass(frozen=True, slots=True)
class IdOptions:
    """Options of /event show, /event ical and /event checkin: which event."""

    id: str


@dataclass(frozen=True, slots=True)
class RsvpOptions:
    """Options of /event rsvp."""

    id: str
    answer: Literal["going", "maybe", "no"]


@dataclass(frozen=True, slots=True)
class CancelOptions:
    """Options of /event cancel."""

    id: str
    all: bool


@dataclass(frozen=True, slots=True)
class CapacityOptions:
    """Options of /event capacity."""

    id: str
    capacity: int


@dataclass(frozen=True, slots=True)
class AttendedOptions:
    """Options of /event attended."""

    id: str
    members: str


@dataclass(frozen=True, slots=True)
class EventsOptions:
    """Options of /events: a listing and its page, or the calendar feed."""

    listing: Literal["upcoming", "mine", "past", "feed"]
    page: str | None
    community: bool


# -- members -------------------------------------------------------------------------------


async def create(call: Call, o: CreateOptions) -> Reply:
    """Create an event or series (/event create), plan its timers and post its card."""
    draft = EventDraft(
        title=o.title,
        when=o.when,
        duration=o.duration,
        ends=o.ends,
        capacity=o.capacity,
        where=o.where or "",
        repeat=o.repeat,
        signup_closes=o.signup_closes,
        description=o.description or "",
        points=o.points,
        timezone=o.timezone,
    )
    view = await _service(call).create(
        call.uow, call.community, call.member, draft, is_moderator=call.is_moderator
    )
    await plan_occurrence(call.uow, view, call.now, _cfg(call), fresh=True)
    reply = post_card(call.uow, view, call.now, _cfg(call))
    return reply.with_(footer=f"{text('events.created', label=view.label)}\n{reply.footer}")


async def show(call: Call, o: IdOptions) -> Reply:
    """Show an event's card to the caller, in their zone and with their own answer (/event show)."""
    view = await _service(call).find(call.uow, call.community.id, o.id)
    mine = await call.uow.get(EventRepository).rsvp_of(view.occurrence.id, call.member.id)
    reply = cards.card(view, call.now, _cfg(call).checkin_opens_minutes, zone=_zone(call))
    if mine is not None:
        reply = reply.with_(
            footer=f"{reply.footer}\n{text('events.your_answer', answer=mine.answer)}"
        )
    return reply.with_(anchor=None, ephemeral=True)


async def _answer(call: Call, occurrence_id: OccurrenceId, word: str) -> Reply:
    result = await _service(call).rsvp(call.uow, call.member, occurrence_id, Answer(word))
    if result.answer is not result.previous:
        await refresh_card(call.uow, result.view, call.now, _cfg(call))
    tell_promoted(call.uow, result.view, result.promoted, call.now)
    return cards.rsvp_reply(result.view, result.answer, result.previous, result.position)


async def rsvp_command(call: Call, o: RsvpOptions) -> Reply:
    """Answer going, maybe or no to an event (/event rsvp), as the card's buttons do."""
    view = await _service(call).find(call.uow, call.community.id, o.id)
    return await _answer(call, view.occurrence.id, o.answer)


async def rsvp_button(call: Call) -> Reply:
    """Answer from a card's button; its arguments are the occurrence and the answer."""
    occurrence = parse_id(call.args[0]) if len(call.args) == 2 else None
    if occurrence is None or call.args[1] not in ANSWERS:
        raise _stale()
    return await _answer(call, OccurrenceId(occurrence), call.args[1])


async def _page(call: Call, listing: str, number: int) -> Reply:
    size = _cfg(call).page_size
    repo = call.uow.get(EventRepository)
    which = Listing(listing)
    found, total = await repo.search(
        call.community.id, which, call.member.id, call.now, size, (number - 1) * size
    )
    pages = max(1, -(-total // size))
    if total and number > pages:
        number = pages
        found, total = await repo.search(
            call.community.id, which, call.member.id, call.now, size, (number - 1) * size
        )
    return cards.listing(found, listing, number, pages, _zone(call), f"event.page:{listing}")


async def events_command(call: Call, o: EventsOptions) -> Reply:
    """List events a page at a time (/events, /events mine 2), or give the feed (/events feed).

    `/events` alone lists what is coming up. After `feed`, the second word is
    `get` (the default) or `reset`; after a listing, it is the page number.
    """
    if o.listing == "feed":
        action = (o.page or "get").strip().lower()
        if action not in FEED_ACTIONS:
            raise InvalidInputError(problem=text("events.feed_action", given=(o.page or "")[:20]))
        return await _feed(call, action, community=o.community)
    if o.community:
        raise InvalidInputError(problem=text("events.community_only_feed"))
    number = 1 if o.page is None else parse_id(o.page)
    if number is None:
        raise InvalidInputError(problem=text("events.bad_page", given=(o.page or "")[:20]))
    return await _page(call, o.listing, number)


async def list_button(call: Call) -> Reply:
    """Turn to another page of /events from its page buttons."""
    page = parse_id(call.args[1]) if len(call.args) == 2 else None
    if page is None or call.args[0] not in LISTINGS:
        raise _stale()
    return await _page(call, call.args[0], page)


async def ical_command(call: Call, o: IdOptions) -> Reply:
    """Send an event, with every date of its series, as an .ics file (/event ical)."""
    view = await _service(call).find(call.uow, call.community.id, o.id)
    occurrences = await call.uow.get(EventRepository).occurrences(view.event.id)
    body = ical.calendar(
        [SeriesForFeed(view.event, tuple(occurrences))], call.now, view.event.title
    )
    return Reply(
        text=text("events.ical_ready", label=view.label, title=view.event.title),
        file=Attachment(body, f"event-{view.event.id}.ics", "text/calendar"),
        ephemeral=True,
    )


async def _feed(call: Call, action: str, *, community: bool) -> Reply:
    """Give the caller's private calendar feed link, or revoke it (/events feed).

    With `--community`, moderators get or reset the community-wide feed instead.
    """
    if community and not call.is_moderator:
        raise PermissionDeniedError(command="events feed --community")
    owner = FeedOwner(call.community.id, None if community else call.member.id)
    repo = call.uow.get(FeedRepository)
    if action == "reset":
        revoked = await repo.revoke_feed(owner, call.now)
        return Reply(text=text("events.feed_reset", count=revoked), tone=Tone.SUCCESS)
    token = await repo.feed_token_of(owner)
    if token is None:
        token = secrets.token_urlsafe(24)
        await repo.add_feed_token(token, owner, call.now)
    url = f"{_cfg(call).feed_base_url}/ical/{token}.ics"
    code = "events.community_feed_url" if community else "events.feed_url"
    return Reply(text=text(code, url=url))


# -- the host and moderators ----------------------------------------------------------------


async def cancel(call: Call, o: CancelOptions) -> Reply:
    """Cancel one date, or all still to come (/event cancel); DM who was going or maybe."""
    service = _service(call)
    view = await service.find(call.uow, call.community.id, o.id)
    done = await service.cancel(
        call.uow, call.member, view, whole_series=o.all, is_moderator=call.is_moderator
    )
    shown = done.view
    for member_id in done.told:
        key = (
            f"event:{shown.event.id}:series-cancelled:{member_id}"
            if done.whole_series
            else f"event:{shown.occurrence.id}:cancelled:{member_id}"
        )
        reply = cards.cancelled_dm(shown, done.whole_series)
        dm(call.uow, shown, member_id, "event.cancelled", key, reply)
    await refresh_card(call.uow, shown, call.now, _cfg(call))
    # Planned dates (within the horizon) have a card and maybe a native event: both follow.
    planned_until = call.now + horizon(_cfg(call))
    cancelled = set(done.occurrences)
    for occ in await call.uow.get(EventRepository).occurrences(shown.event.id):
        if occ.id in cancelled and occ.starts_at < planned_until:
            dated = EventView(shown.event, occ)
            if occ.id != shown.occurrence.id:
                await refresh_card(call.uow, dated, call.now, _cfg(call))
            await sync_native(call.uow, dated, call.now, _cfg(call), "cancelled")
    told = count("count.event_members", len(done.told))
    if done.whole_series:
        words = text(
            "events.cancelled_all",
            title=shown.event.title,
            id=shown.event.id,
            dates=len(done.occurrences),
            count=told,
        )
    else:
        when = cards.when(shown.occurrence.starts_at, _zone(call))
        words = text(
            "events.cancelled_one",
            label=shown.label,
            title=shown.event.title,
            when=when,
            count=told,
        )
    return Reply(text=words, tone=Tone.SUCCESS)


async def capacity(call: Call, o: CapacityOptions) -> Reply:
    """Change one date's places (/event capacity); the waitlist moves up and is told by DM."""
    service = _service(call)
    view = await service.find(call.uow, call.community.id, o.id)
    fresh, promoted = await service.set_capacity(
        call.uow, call.member, view, o.capacity, is_moderator=call.is_moderator
    )
    await refresh_card(call.uow, fresh, call.now, _cfg(call))
    tell_promoted(call.uow, fresh, promoted, call.now)
    words = text("events.capacity_set", label=fresh.label, capacity=o.capacity)
    if promoted:
        words += " " + text(
            "events.capacity_promoted", count=count("count.event_members", len(promoted))
        )
    return Reply(text=words, tone=Tone.SUCCESS)


async def attended(call: Call, o: AttendedOptions) -> Reply:
    """Mark the members named as attended (/event attended), paying the points once each."""
    service = _service(call)
    view = await service.find(call.uow, call.community.id, o.id)
    members = await members_named(call, o.members)
    marked = await service.mark_attended(
        call.uow, call.member, view, members, is_moderator=call.is_moderator
    )
    new = [m for m in marked if m.newly]
    old = [m for m in marked if not m.newly]
    lines = []
    if new:
        lines.append(
            text("events.attended", label=view.label, names=", ".join(m.member_name for m in new))
        )
        if view.event.points:
            lines.append(text("events.points_paid", points=view.event.points))
    if old:
        lines.append(text("events.attended_already", names=", ".join(m.member_name for m in old)))
    return Reply(text=" ".join(lines), tone=Tone.SUCCESS)


async def _check_in(call: Call, occurrence_id: OccurrenceId) -> Reply:
    done = await _service(call).check_in(call.uow, call.member, occurrence_id)
    view = await _service(call).by_occurrence(call.uow, occurrence_id)
    words = text("events.checked_in", title=view.event.title, label=view.label)
    if done.points:
        words += " " + text("events.points_paid", points=done.points)
    return Reply(text=words, tone=Tone.SUCCESS, ephemeral=True)


async def checkin_command(call: Call, o: IdOptions) -> Reply:
    """Check in to an event while it runs (/event checkin), as the card's button does."""
    view = await _service(call).find(call.uow, call.community.id, o.id)
    return await _check_in(call, view.occurrence.id)


async def checkin_button(call: Call) -> Reply:
    """Check the caller in from the card's button, paying the event's points if any."""
    found = parse_ids(call.args, 1)
    if found is None:
        raise _stale()
    return await _check_in(call, OccurrenceId(found[0]))
