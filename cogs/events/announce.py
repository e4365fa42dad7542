"""What event commands and jobs queue for the community: cards, live edits, DMs, native events.

Everything here is written in the same transaction as the change it follows,
so a crash never leaves a change without its announcement, and a dedupe key
(or a timer key) makes sure nothing is sent twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cogs.events import cards
from cogs.kit import Reply
from domain.core.announcements import Announcement, OutboxRepository, Target
from domain.core.ids import MemberId
from domain.core.timers import Timer, TimerRepository
from domain.core.uow import UnitOfWork
from domain.events import EventCardQueue, EventsSection, EventView, Rsvp

CHANNEL_KIND = "events"
NATIVE = "event.native"


def edit_bucket(at: datetime, seconds: int) -> tuple[int, datetime]:
    """The throttle period of an instant and when it ends (as for proposal cards).

    Discord allows about 5 message edits per 5 s per channel: a burst of RSVPs
    refreshes one pending edit per period instead of sending one each.
    """
    bucket = int(at.timestamp()) // seconds
    return bucket, datetime.fromtimestamp((bucket + 1) * seconds, UTC)


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
            member_id=MemberId(member_id),
        )
    )


def tell_promoted(
    uow: UnitOfWork, view: EventView, promoted: tuple[Rsvp, ...], now: datetime
) -> None:
    """Tell each member moved up from the waitlist, by DM, that they are now going."""
    for r in promoted:
        key = f"event:{view.occurrence.id}:promoted:{r.member_id}:{r.seq}"
        dm(uow, view, r.member_id, "event.promoted", key, cards.promoted_dm(view, now))


async def sync_native(
    uow: UnitOfWork, view: EventView, now: datetime, cfg: EventsSection, change: str
) -> None:
    """Queue the platform's own calendar entry of an occurrence to follow a change.

    A durable timer, due at once, rather than a call inside the command: the
    minute job reads the occurrence as it is then and brings the native event
    in step (create, edit or cancel), so a crash or an outage only delays it.
    `change` ("planned", "cancelled", "edited-3") keeps one timer per change.
    """
    if not cfg.discord_native:
        return
    occ = view.occurrence
    await uow.get(TimerRepository).schedule(
        Timer(
            occ.community_id,
            NATIVE,
            f"event:{occ.id}:native:{change}",
            now,
            {"occurrence_id": int(occ.id)},
        ),
        now,
    )
