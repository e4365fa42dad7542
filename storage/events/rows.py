"""Rows of the events tables as domain values, and the selects that read them.

Shared by the repository and the calendar feeds, so both map a row the same way.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from domain.core.ids import CommunityId, MemberId
from domain.events.model import (
    Answer,
    Event,
    EventId,
    EventStatus,
    EventView,
    Occurrence,
    OccurrenceId,
    Rsvp,
)
from storage.events.tables import AttendanceRow, EventRow, OccurrenceRow, RsvpRow
from storage.identity import MemberRow

EVENTS = EventRow.__table__
OCCURRENCES = OccurrenceRow.__table__
RSVPS = RsvpRow.__table__
ATTENDANCE = AttendanceRow.__table__
MEMBERS = MemberRow.__table__

EVENT_COLS = [c.label(f"e_{c.name}") for c in EVENTS.c]
VIEW = (
    select(OCCURRENCES, *EVENT_COLS, MEMBERS.c.display_name.label("host_name"))
    .join(EVENTS, EVENTS.c.id == OCCURRENCES.c.event_id)
    .join(MEMBERS, MEMBERS.c.id == EVENTS.c.host_id)
)
EVENT = select(EVENTS, MEMBERS.c.display_name.label("host_name")).join(
    MEMBERS, MEMBERS.c.id == EVENTS.c.host_id
)
LIVE = (Answer.GOING, Answer.MAYBE, Answer.WAITLISTED)


def event_of(row: Any, prefix: str = "") -> Event:
    """Map a row (its columns prefixed by `prefix` in a join) to an `Event`."""

    def g(name: str) -> Any:
        return getattr(row, prefix + name)

    lead = g("signup_lead_minutes")
    return Event(
        id=EventId(g("id")),
        community_id=CommunityId(g("community_id")),
        host_id=MemberId(g("host_id")),
        host_name=row.host_name,
        title=g("title"),
        description=g("description"),
        where=g("location"),
        timezone=g("timezone"),
        duration=timedelta(minutes=g("duration_minutes")),
        points=g("points"),
        rule=g("rule"),
        signup_lead=timedelta(minutes=lead) if lead is not None else None,
        status=EventStatus(g("status")),
        sequence=g("sequence"),
        occurrences=g("occurrences"),
        created_at=g("created_at"),
        updated_at=g("updated_at"),
    )


def occurrence_of(row: Any) -> Occurrence:
    """Map an occurrences row to an `Occurrence`."""
    return Occurrence(
        id=OccurrenceId(row.id),
        event_id=EventId(row.event_id),
        community_id=CommunityId(row.community_id),
        number=row.number,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        capacity=row.capacity,
        going=row.going,
        maybe=row.maybe,
        waitlisted=row.waitlisted,
        status=EventStatus(row.status),
    )


def view_of(row: Any) -> EventView:
    """Map a row of `VIEW` (occurrence joined with its event) to an `EventView`."""
    return EventView(event_of(row, "e_"), occurrence_of(row))


def rsvp_of(row: Any) -> Rsvp:
    """Map an RSVP row with the member's name and attendance to an `Rsvp`."""
    return Rsvp(
        member_id=MemberId(row.member_id),
        member_name=row.display_name,
        answer=Answer(row.answer),
        seq=row.seq,
        attended=bool(row.attended),
    )
