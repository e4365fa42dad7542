"""What mentoring records: typed activities and the counters they move.

`sessions_mentored` (the mentor's completed sessions) and `sessions_attended`
(the mentee's) feed achievements ("Guide": 5 sessions mentored) and the quest
goal `mentoring`; XP for a rated session goes to its mentor through
`[progress.xp.mentoring_session_rated]`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from domain.core.activity import Activity, activity, counter
from domain.mentoring.model import Session

SESSIONS_MENTORED = counter("sessions_mentored", "sessions mentored")
SESSIONS_ATTENDED = counter("sessions_attended", "mentoring sessions attended")


@activity("mentoring_session_mentored", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class SessionMentored(Activity):
    """The member mentored session `session_id` to completion."""

    session_id: int
    session_type: str = ""

    def counters(self) -> Mapping[str, int]:
        return {SESSIONS_MENTORED: 1}


@activity("mentoring_session_attended", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class SessionAttended(Activity):
    """The member attended session `session_id` as its mentee, to completion."""

    session_id: int
    session_type: str = ""

    def counters(self) -> Mapping[str, int]:
        return {SESSIONS_ATTENDED: 1}


@activity("mentoring_session_rated", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRated(Activity):
    """The member's (the mentor's) completed session was rated by its mentee."""

    session_id: int
    stars: int


def session_completed(session: Session, at: datetime) -> list[Activity]:
    """One activity for each side of a completed session (keyed by session: once each)."""
    return [
        SessionMentored(
            community_id=session.community_id,
            member_id=session.mentor_id,
            key=f"mentoring:{session.id}:mentor",
            occurred_at=at,
            session_id=session.id,
            session_type=session.type,
        ),
        SessionAttended(
            community_id=session.community_id,
            member_id=session.mentee_id,
            key=f"mentoring:{session.id}:mentee",
            occurred_at=at,
            session_id=session.id,
            session_type=session.type,
        ),
    ]


def session_rated(session: Session, stars: int, at: datetime) -> Activity:
    """The mentor's session was rated: the XP source for mentoring."""
    return SessionRated(
        community_id=session.community_id,
        member_id=session.mentor_id,
        key=f"mentoring:{session.id}:rated",
        occurred_at=at,
        session_id=session.id,
        stars=stars,
    )
