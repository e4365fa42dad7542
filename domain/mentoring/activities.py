"""What mentoring records as activities (kinds other features may listen to).

Written on today's `Activity(kind, …)` mechanism and kept in this one module
so the move to typed activities is a local change. Counters they feed:
`sessions_mentored` (the mentor's completed sessions) and `sessions_attended`
(the mentee's). XP: `[progress.xp.mentoring_session_rated]` goes to the mentor.
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType

from domain.core.activity import Activity
from domain.mentoring.model import Session

SESSION_MENTORED = "mentoring_session_mentored"
SESSION_ATTENDED = "mentoring_session_attended"
SESSION_RATED = "mentoring_session_rated"

COUNTERS = {SESSION_MENTORED: "sessions_mentored", SESSION_ATTENDED: "sessions_attended"}
"""Activity kind -> the member counter it adds one to."""


def session_completed(session: Session, at: datetime) -> list[Activity]:
    """One activity for each side of a completed session (keyed by session: once each)."""
    data = MappingProxyType({"session_id": session.id, "type": session.type})
    return [
        Activity(
            SESSION_MENTORED,
            session.community_id,
            session.mentor_id,
            f"mentoring:{session.id}:mentor",
            at,
            data,
        ),
        Activity(
            SESSION_ATTENDED,
            session.community_id,
            session.mentee_id,
            f"mentoring:{session.id}:mentee",
            at,
            data,
        ),
    ]


def session_rated(session: Session, stars: int, at: datetime) -> Activity:
    """The mentor's session was rated: the XP source for mentoring."""
    return Activity(
        SESSION_RATED,
        session.community_id,
        session.mentor_id,
        f"mentoring:{session.id}:rated",
        at,
        MappingProxyType({"session_id": session.id, "stars": stars}),
    )
