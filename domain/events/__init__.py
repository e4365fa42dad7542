"""Events: RSVPs with capacity and a waitlist, recurrence, reminders, attendance rewards."""

from domain.events.config import Creators, EventsSection
from domain.events.errors import (
    BadEventIdError,
    EventCancelledError,
    EventNotFoundError,
    EventStartedError,
)
from domain.events.model import (
    Answer,
    Attendance,
    Cancelled,
    Event,
    EventDraft,
    EventId,
    EventStatus,
    EventView,
    Occurrence,
    OccurrenceId,
    Rsvp,
    RsvpResult,
    parse_ref,
)
from domain.events.repository import (
    EventCardQueue,
    EventRepository,
    FeedOwner,
    FeedRepository,
    Listing,
    SeriesForFeed,
)
from domain.events.service import EventService

__all__ = [
    "Answer",
    "Attendance",
    "BadEventIdError",
    "Cancelled",
    "Creators",
    "Event",
    "EventCancelledError",
    "EventCardQueue",
    "EventDraft",
    "EventId",
    "EventNotFoundError",
    "EventRepository",
    "EventService",
    "EventStartedError",
    "EventStatus",
    "EventView",
    "EventsSection",
    "FeedOwner",
    "FeedRepository",
    "Listing",
    "Occurrence",
    "OccurrenceId",
    "Rsvp",
    "RsvpResult",
    "SeriesForFeed",
    "parse_ref",
]
