"""Event values: a series (one or many occurrences), its occurrences, and RSVPs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NewType

from domain.core.ids import CommunityId, MemberId, parse_id
from domain.events.errors import BadEventIdError, EventNotFoundError

EventId = NewType("EventId", int)
OccurrenceId = NewType("OccurrenceId", int)


class EventStatus(StrEnum):
    """Whether a series, or one date of it, is still on or was cancelled."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Answer(StrEnum):
    """What a member answers; `waitlisted` is what "going" becomes on a full event."""

    GOING = "going"
    MAYBE = "maybe"
    NO = "no"
    WAITLISTED = "waitlisted"


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be stored, with every occurrence already computed."""

    community_id: CommunityId
    host_id: MemberId
    title: str
    description: str
    where: str
    timezone: str
    duration: timedelta
    capacity: int | None
    points: int
    rule: str | None  # the normalised RRULE, None for a one-off event
    signup_lead: timedelta | None  # sign-up closes this long before each start
    starts: tuple[datetime, ...]  # aware UTC, first to last
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Event:
    """A series: one row whatever the number of occurrences; `sequence` counts edits (iCal)."""

    id: EventId
    community_id: CommunityId
    host_id: MemberId
    host_name: str
    title: str
    description: str
    where: str
    timezone: str
    duration: timedelta
    points: int
    rule: str | None
    signup_lead: timedelta | None
    status: EventStatus
    sequence: int
    occurrences: int
    created_at: datetime
    updated_at: datetime

    @property
    def recurring(self) -> bool:
        return self.rule is not None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One date of an event, with its own RSVPs, capacity and counts."""

    id: OccurrenceId
    event_id: EventId
    community_id: CommunityId
    number: int  # 1-based position in the series
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    going: int
    maybe: int
    waitlisted: int
    status: EventStatus

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.going >= self.capacity

    @property
    def anchor(self) -> str:
        """The posted card of this occurrence ("event:12"), edited as RSVPs change."""
        return f"event:{self.id}"

    def signup_closes(self, event: Event) -> datetime | None:
        return self.starts_at - event.signup_lead if event.signup_lead is not None else None


@dataclass(frozen=True, slots=True)
class EventView:
    """An occurrence with its series: what cards and lists show."""

    event: Event
    occurrence: Occurrence

    @property
    def label(self) -> str:
        """How members refer to it: "#3", or "#3.2" for the second date of a series."""
        if self.event.recurring:
            return f"{self.event.id}.{self.occurrence.number}"
        return str(self.event.id)


@dataclass(frozen=True, slots=True)
class Rsvp:
    """One member's answer to one occurrence, and whether they were marked as attended."""

    member_id: MemberId
    member_name: str
    answer: Answer
    seq: int  # the order in which answers reached the database (waitlist order)
    attended: bool


@dataclass(frozen=True, slots=True)
class RsvpResult:
    """What an RSVP changed: the answer now, before, the waitlist position and promotions."""

    view: EventView
    answer: Answer
    previous: Answer | None
    position: int | None  # 1-based place on the waitlist
    promoted: tuple[Rsvp, ...] = ()


@dataclass(frozen=True, slots=True)
class Attendance:
    """One member marked as attended: paid now (`points` > 0) or already before."""

    member_id: MemberId
    member_name: str
    newly: bool
    points: int


_NUMBER = re.compile(r"^[0-9]{1,12}$")  # ASCII digits; parse_id bounds them


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What `/event create` was given, as text where members type text."""

    title: str
    when: str
    duration: timedelta
    ends: str | None = None
    capacity: int | None = None
    where: str = ""
    repeat: str | None = None
    signup_closes: str | None = None
    description: str = ""
    points: int | None = None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Cancelled:
    """What a cancellation changed: the occurrences and who should be told."""

    view: EventView
    occurrences: tuple[OccurrenceId, ...]
    whole_series: bool
    told: tuple[MemberId, ...]


def parse_ref(text: str) -> tuple[EventId, int | None]:
    """Read "3" as (3, None), the next date of event 3, and "3.2" as its second date.

    Each number is read by the shared `parse_id`, so "#03" and " 3 " mean #3
    as everywhere else.

    Raises:
        BadEventIdError: not an event number.
        EventNotFoundError: a number no event (or date) can have, such as 0.
    """
    raw = str(text).strip().removeprefix("#")
    head, dot, tail = raw.partition(".")
    if not _NUMBER.fullmatch(head) or (dot and not _NUMBER.fullmatch(tail)):
        raise BadEventIdError(given=str(text)[:20])
    event_id = parse_id(head)
    number = parse_id(tail) if dot else None
    if event_id is None or (dot and number is None):
        raise EventNotFoundError(what=raw[:20])
    return EventId(event_id), number
