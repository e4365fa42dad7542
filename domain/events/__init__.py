"""Events: RSVPs with capacity and a waitlist, recurrence, reminders, attendance rewards."""

# The kinds and counters register on import: achievements in config.toml may name
# them as soon as the config is read. Hackathons (a feature built on events) too.
import domain.hackathons.activities  # noqa: F401
from domain.events.activities import EVENTS_ATTENDED, EventAttended
from domain.events.config import Creators, EventsSection
from domain.events.editing import EventEdit, EventEditor
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
from domain.events.native import NativeCalendar, NativeEvent
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
    "EVENTS_ATTENDED",
    "Answer",
    "Attendance",
    "BadEventIdError",
    "Cancelled",
    "Creators",
    "Event",
    "EventAttended",
    "EventCancelledError",
    "EventCardQueue",
    "EventDraft",
    "EventEdit",
    "EventEditor",
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
    "NativeCalendar",
    "NativeEvent",
    "Occurrence",
    "OccurrenceId",
    "Rsvp",
    "RsvpResult",
    "SeriesForFeed",
    "parse_ref",
]
