"""Storage of the events feature (see `domain.events`): tables and the repository."""

from storage.events.feeds import SqlFeedRepository
from storage.events.repository import SqlEventRepository
from storage.events.tables import AttendanceRow, EventRow, FeedRow, OccurrenceRow, RsvpRow

__all__ = [
    "AttendanceRow",
    "EventRow",
    "FeedRow",
    "OccurrenceRow",
    "RsvpRow",
    "SqlEventRepository",
    "SqlFeedRepository",
]
