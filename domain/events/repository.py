"""What the events feature needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.events.model import (
    Answer,
    Event,
    EventId,
    EventView,
    NewEvent,
    Occurrence,
    OccurrenceId,
    Rsvp,
)


class Listing(StrEnum):
    """Which occurrences `/events list` shows."""

    UPCOMING = "upcoming"
    MINE = "mine"
    PAST = "past"


@dataclass(frozen=True, slots=True)
class CountChange:
    """Deltas to an occurrence's counters, written with its new RSVP sequence number."""

    going: int = 0
    maybe: int = 0
    waitlisted: int = 0


@dataclass(frozen=True, slots=True)
class FeedOwner:
    """Whose calendar a feed token opens: one member's, or the whole community's (None)."""

    community_id: CommunityId
    member_id: MemberId | None


@dataclass(frozen=True, slots=True)
class SeriesForFeed:
    """A series with the occurrences a calendar feed or .ics download includes."""

    event: Event
    occurrences: tuple[Occurrence, ...]


class EventRepository(Protocol):
    """Storage of event series, their occurrences, RSVPs, attendance and feed tokens."""

    async def add(self, new: NewEvent) -> EventView:
        """Store the series and all its occurrences; the first occurrence's view."""
        ...

    async def event(self, community_id: CommunityId, event_id: EventId) -> Event | None: ...

    async def view(
        self, community_id: CommunityId, event_id: EventId, number: int | None, now: datetime
    ) -> EventView | None:
        """Occurrence `number` of the event; None picks the next one not yet ended."""
        ...

    async def view_of(self, occurrence_id: OccurrenceId) -> EventView | None: ...

    async def occurrences(self, event_id: EventId) -> list[Occurrence]: ...

    async def lock(self, occurrence_id: OccurrenceId) -> tuple[Occurrence, int] | None:
        """Lock the occurrence row for this transaction; it and its last RSVP sequence."""
        ...

    async def rsvp_of(self, occurrence_id: OccurrenceId, member_id: MemberId) -> Rsvp | None: ...

    async def answer(
        self,
        occurrence_id: OccurrenceId,
        member_id: MemberId,
        answer: Answer,
        seq: int,
        change: CountChange,
        now: datetime,
    ) -> None:
        """Write the member's answer and move the occurrence's counters (row already locked)."""
        ...

    async def waitlist(self, occurrence_id: OccurrenceId, limit: int) -> list[Rsvp]:
        """The first `limit` waitlisted members, in the order they asked."""
        ...

    async def position(self, occurrence_id: OccurrenceId, seq: int) -> int: ...

    async def rsvps(self, occurrence_id: OccurrenceId, answers: Sequence[Answer]) -> list[Rsvp]: ...

    async def set_capacity(self, occurrence_id: OccurrenceId, capacity: int | None) -> None: ...

    async def cancel_occurrences(
        self, event_id: EventId, occurrence_ids: Sequence[OccurrenceId] | None, now: datetime
    ) -> list[OccurrenceId]:
        """Cancel these scheduled occurrences (None: every one not yet started); which were."""
        ...

    async def cancel_event(self, event_id: EventId) -> bool: ...

    async def edit_details(
        self, event_id: EventId, title: str, where: str, description: str
    ) -> None:
        """Replace the title, place and description of a series."""
        ...

    async def touch(self, event_id: EventId, now: datetime) -> None:
        """Count an edit of the series (iCal SEQUENCE)."""
        ...

    async def attend(
        self,
        occurrence_id: OccurrenceId,
        member_id: MemberId,
        marked_by: MemberId,
        points: int,
        now: datetime,
    ) -> bool:
        """Record attendance once; False when it was already recorded."""
        ...

    async def attended_count(self, member_id: MemberId) -> int: ...

    async def search(
        self,
        community_id: CommunityId,
        listing: Listing,
        member_id: MemberId,
        now: datetime,
        limit: int,
        offset: int,
    ) -> tuple[list[EventView], int]: ...

    async def unplanned(self, before: datetime, limit: int) -> list[Occurrence]:
        """Scheduled occurrences starting before `before` whose reminders are not planned."""
        ...

    async def mark_planned(self, occurrence_ids: Sequence[OccurrenceId]) -> None: ...


class FeedRepository(Protocol):
    """Calendar subscription tokens and what their feeds show."""

    async def feed(self, owner: FeedOwner, since: datetime) -> list[SeriesForFeed]:
        """Series for a calendar: all of the community's, or those the member is going to."""
        ...

    async def add_feed_token(self, token: str, owner: FeedOwner, now: datetime) -> None: ...

    async def feed_token_of(self, owner: FeedOwner) -> str | None: ...

    async def feed_owner(self, token: str) -> FeedOwner | None:
        """Whose feed `token` opens; None when unknown or revoked."""
        ...

    async def revoke_feed(self, owner: FeedOwner, now: datetime) -> int: ...


class EventCardQueue(Protocol):
    """Throttled live card edits: refresh the payload of a pending edit (outbox row)."""

    async def replace_pending(self, dedupe_key: str, payload: dict[str, object]) -> bool: ...
