"""Handlers of /event and /events: parse, call `EventService`, return a Reply.

What the community should see (the card in the events channel, throttled live
edits, DMs to promoted or cancelled members) is queued in the outbox in the
same transaction as the change.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from cogs.events import cards, ical
from cogs.kit import Attachment, Call, Reply, Tone
from cogs.kit.messages import count, text
from cogs.kit.runner import default_member_parser
from domain.core.announcements import Announcement, OutboxRepository, Target
from domain.core.errors import InvalidInputError, PermissionDeniedError
from domain.core.uow import UnitOfWork
from domain.events import (
    Answer,
    EventCardQueue,
    EventDraft,
    EventRepository,
    EventService,
    EventsSection,
    EventView,
    FeedOwner,
    FeedRepository,
    Listing,
    OccurrenceId,
    Rsvp,
    SeriesForFeed,
)
from domain.identity import IdentityRepository, Member

CHANNEL_KIND = "events"
LISTINGS = tuple(x.value for x in Listing)
ANSWERS = ("going", "maybe", "no")


def edit_bucket(at: datetime, seconds: int) -> tuple[int, datetime]:
    """The throttle period of an instant and when it ends (as for proposal cards).

    Discord allows about 5 message edits per 5 s per channel: a burst of RSVPs
    refreshes one pending edit per period instead of sending one each.
    """
    bucket = int(at.timestamp()) // seconds
    return bucket, datetime.fromtimestamp((bucket + 1) * seconds, UTC)


def _service(call: Call) -> EventService:
    return call.ctx.need(EventService)


def _cfg(call: Call) -> EventsSection:
    return call.ctx.config.events


def _zone(call: Call) -> str:
    return call.member.timezone or call.community.timezone


def _occurrence_arg(raw: str) -> OccurrenceId:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise InvalidInputError(problem="that button is out of date")
    return OccurrenceId(int(raw))


# -- what the community sees ------------------------------------------------------------


def post_card(uow: UnitOfWork, view: EventView, now: datetime, cfg: EventsSection) -> Reply:
    """Queue the card of an occurrence in the events channel (once per occurrence)."""
    reply = cards.card(view, now, cfg.checkin_opens_minutes)
    uow.announce(
        Announcement(
            community_id=view.event.community_id,
            kind="event.card",
            dedupe_key=f"event:{view.occurrence.id}:posted",
            payload=reply.to_dict(),
            target=Target.CHANNEL,
            channel_kind=CHANNEL_KIND,
            anchor=view.occurrence.anchor,
        )
    )
    return reply


async def refresh_card(uow: UnitOfWork, view: EventView, now: datetime, cfg: EventsSection) -> None:
    """Queue the card's live edit: one per occurrence per period, sent at the period's end.

    Every RSVP locks the occurrence's row first, so the last answer of a
    period writes the payload last, and that payload saw every earlier one.
    """
    bucket, ends = edit_bucket(now, cfg.card_update_seconds)
    key = f"event:{view.occurrence.id}:card:{bucket}"
    payload = cards.card(view, now, cfg.checkin_opens_minutes).to_dict()
    added = await uow.get(OutboxRepository).add(
        [
            Announcement(
                community_id=view.event.community_id,
                kind="event.card",
                dedupe_key=key,
                payload=payload,
                target=Target.EDIT,
                channel_kind=CHANNEL_KIND,
                anchor=view.occurrence.anchor,
                not_before=ends,
            )
        ],
        now,
    )
    if not added:
        await uow.get(EventCardQueue).replace_pending(key, payload)


def dm(uow: UnitOfWork, view: EventView, member_id: int, kind: str, key: str, reply: Reply) -> None:
    """Queue a DM to one member about an event; `key` makes sure it is sent only once."""
    uow.announce(
        Announcement(
            community_id=view.event.community_id,
            kind=kind,
            dedupe_key=key,
            payload=reply.to_dict(),
            target=Target.DM,
            member_id=member_id,  # type: ignore[arg-type]
        )
    )


def tell_promoted(
    uow: UnitOfWork, view: EventView, promoted: tuple[Rsvp, ...], now: datetime
) -> None:
    """Tell each member moved up from the waitlist, by DM, that they are now going."""
    for r in promoted:
        key = f"event:{view.occurrence.id}:promoted:{r.member_id}:{r.seq}"
        dm(uow, view, r.member_id, "event.promoted", key, cards.promoted_dm(view, now))


# -- members -------------------------------------------------------------------------------


async def create(call: Call) -> Reply:
    """Create an event or series (/event create), plan its timers and post its card."""
    o = call.options
    draft = EventDraft(
        title=o["title"],
        when=o["when"],
        duration=o["duration"],
        ends=o["ends"],
        capacity=o["capacity"],
        where=o["where"] or "",
        repeat=o["repeat"],
        signup_closes=o["signup-closes"],
        description=o["description"] or "",
        points=o["points"],
        timezone=o["timezone"],
    )
    view = await _service(call).create(
        call.uow, call.community, call.member, draft, is_moderator=call.is_moderator
    )
    from cogs.events.jobs import plan_occurrence  # the planner also serves the sweep job

    await plan_occurrence(call.uow, view, call.now, _cfg(call), fresh=True)
    reply = post_card(call.uow, view, call.now, _cfg(call))
    return reply.with_(footer=f"{text('events.created', label=view.label)}\n{reply.footer}")


async def show(call: Call) -> Reply:
    """Show an event's card to the caller, in their zone and with their own answer (/event show)."""
    view = await _service(call).find(call.uow, call.community.id, call.options["id"])
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


async def rsvp_command(call: Call) -> Reply:
    """Answer going, maybe or no to an event (/event rsvp), as the card's buttons do."""
    view = await _service(call).find(call.uow, call.community.id, call.options["id"])
    return await _answer(call, view.occurrence.id, call.options["answer"])


async def rsvp_button(call: Call) -> Reply:
    """Answer from a card's button; its arguments are the occurrence and the answer."""
    if len(call.args) != 2 or call.args[1] not in ANSWERS:
        raise InvalidInputError(problem="that button is out of date")
    return await _answer(call, _occurrence_arg(call.args[0]), call.args[1])


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


async def list_command(call: Call) -> Reply:
    """List upcoming events, the caller's, or past ones, one page at a time (/events list)."""
    return await _page(call, call.options["listing"], call.options["page"] or 1)


async def list_button(call: Call) -> Reply:
    """Turn to another page of /events list from its page buttons."""
    if (
        len(call.args) != 2
        or call.args[0] not in LISTINGS
        or not (call.args[1].isascii() and call.args[1].isdigit())
    ):
        raise InvalidInputError(problem="that button is out of date")
    return await _page(call, call.args[0], max(1, int(call.args[1][:6])))


async def ical_command(call: Call) -> Reply:
    """Send an event, with every date of its series, as an .ics file (/event ical)."""
    view = await _service(call).find(call.uow, call.community.id, call.options["id"])
    occurrences = await call.uow.get(EventRepository).occurrences(view.event.id)
    body = ical.calendar(
        [SeriesForFeed(view.event, tuple(occurrences))], call.now, view.event.title
    )
    return Reply(
        text=text("events.ical_ready", label=view.label, title=view.event.title),
        file=Attachment(body, f"event-{view.event.id}.ics", "text/calendar"),
        ephemeral=True,
    )


async def feed(call: Call) -> Reply:
    """Give the caller's private calendar feed link, or revoke it (/events feed).

    With `--community`, moderators get or reset the community-wide feed instead.
    """
    community = bool(call.options["community"])
    if community and not call.is_moderator:
        raise PermissionDeniedError(command="events feed --community")
    owner = FeedOwner(call.community.id, None if community else call.member.id)
    repo = call.uow.get(FeedRepository)
    if call.options["action"] == "reset":
        count = await repo.revoke_feed(owner, call.now)
        return Reply(text=text("events.feed_reset", count=count), tone=Tone.SUCCESS)
    token = await repo.feed_token_of(owner)
    if token is None:
        token = secrets.token_urlsafe(24)
        await repo.add_feed_token(token, owner, call.now)
    url = f"{_cfg(call).feed_base_url}/ical/{token}.ics"
    code = "events.community_feed_url" if community else "events.feed_url"
    return Reply(text=text(code, url=url))


# -- the host and moderators ----------------------------------------------------------------


async def cancel(call: Call) -> Reply:
    """Cancel one date, or all still to come (/event cancel); DM who was going or maybe."""
    service = _service(call)
    view = await service.find(call.uow, call.community.id, call.options["id"])
    done = await service.cancel(
        call.uow,
        call.member,
        view,
        whole_series=bool(call.options["all"]),
        is_moderator=call.is_moderator,
    )
    shown = done.view
    for member_id in done.told:
        key = (
            f"event:{shown.event.id}:series-cancelled:{member_id}"
            if done.whole_series
            else f"event:{shown.occurrence.id}:cancelled:{member_id}"
        )
        dm(
            call.uow,
            shown,
            member_id,
            "event.cancelled",
            key,
            cards.cancelled_dm(shown, done.whole_series),
        )
    await refresh_card(call.uow, shown, call.now, _cfg(call))
    if done.whole_series:
        words = text(
            "events.cancelled_all",
            title=shown.event.title,
            id=shown.event.id,
            dates=len(done.occurrences),
            count=count("count.event_members", len(done.told)),
        )
    else:
        words = text(
            "events.cancelled_one",
            label=shown.label,
            title=shown.event.title,
            when=cards.when(shown.occurrence.starts_at, _zone(call)),
            count=count("count.event_members", len(done.told)),
        )
    return Reply(text=words, tone=Tone.SUCCESS)


async def capacity(call: Call) -> Reply:
    """Change one date's places (/event capacity); the waitlist moves up and is told by DM."""
    service = _service(call)
    view = await service.find(call.uow, call.community.id, call.options["id"])
    fresh, promoted = await service.set_capacity(
        call.uow, call.member, view, call.options["capacity"], is_moderator=call.is_moderator
    )
    await refresh_card(call.uow, fresh, call.now, _cfg(call))
    tell_promoted(call.uow, fresh, promoted, call.now)
    words = text("events.capacity_set", label=fresh.label, capacity=call.options["capacity"])
    if promoted:
        words += " " + text(
            "events.capacity_promoted", count=count("count.event_members", len(promoted))
        )
    return Reply(text=words, tone=Tone.SUCCESS)


async def _members_named(call: Call, raw: str) -> list[Member]:
    """Members named in free text (`@ana <@U123> <@456>`), each once, in order."""
    identity = call.uow.get(IdentityRepository)
    actor = call.inv.actor
    found: dict[int, Member] = {}
    for word in raw.replace(",", " ").split():
        ref = default_member_parser(word)
        if ref is None:
            raise InvalidInputError(problem=f"“{word[:40]}” is not a member mention, like @ana")
        member = await identity.member_for_account(actor.platform, actor.workspace_id, ref.user_id)
        if member is None:
            member = await identity.find_by_name(call.community.id, ref.display_name)
        if member is None:
            raise InvalidInputError(
                problem=f"I don't know a member called **{ref.display_name}** here yet"
            )
        found.setdefault(int(member.id), member)
    return list(found.values())


async def attended(call: Call) -> Reply:
    """Mark the members named as attended (/event attended), paying the points once each."""
    service = _service(call)
    view = await service.find(call.uow, call.community.id, call.options["id"])
    members = await _members_named(call, call.options["members"])
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


async def checkin_button(call: Call) -> Reply:
    """Check the caller in from the card's button, paying the event's points if any."""
    if len(call.args) != 1:
        raise InvalidInputError(problem="that button is out of date")
    occurrence_id = _occurrence_arg(call.args[0])
    done = await _service(call).check_in(call.uow, call.member, occurrence_id)
    view = await _service(call).by_occurrence(call.uow, occurrence_id)
    words = text("events.checked_in", title=view.event.title, label=view.label)
    if done.points:
        words += " " + text("events.points_paid", points=done.points)
    return Reply(text=words, tone=Tone.SUCCESS, ephemeral=True)
