"""What the events feature tells the rest of Guildhall: activities and the counter they move.

Kept in this one module (with `cogs/events/projections.py`) so the switch to
typed activities is a local change.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.activity import Activity
from domain.core.ids import CommunityId, MemberId

EVENT_ATTENDED = "event_attended"
EVENTS_ATTENDED = "events_attended"
"""The member counter: occurrences attended (achievements "Regular", quest goal `events`)."""


def event_attended(
    community_id: CommunityId,
    member_id: MemberId,
    event_id: int,
    occurrence_id: int,
    at: datetime,
) -> Activity:
    """A member attended one occurrence; recorded once (its key is the ledger key too)."""
    return Activity(
        kind=EVENT_ATTENDED,
        community_id=community_id,
        member_id=member_id,
        key=f"event:{occurrence_id}:attended:{member_id}",
        occurred_at=at,
        data={"event_id": int(event_id), "occurrence_id": int(occurrence_id)},
    )
