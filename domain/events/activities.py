"""What the events feature records: the activity kinds and member counters of events.

`domain.<feature>.activities` modules are the vocabulary other features read:
achievements and quests may name `events_attended`; XP for attending comes
from `[progress.xp.event_attended]` in config.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

EVENTS_ATTENDED = counter("events_attended", "events attended")


@activity("event_attended", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class EventAttended(Activity):
    """The member attended one date of an event (marked by the host or checked in)."""

    event_id: int
    occurrence_id: int

    def counters(self) -> Mapping[str, int]:
        return {EVENTS_ATTENDED: 1}
