"""Mentor profiles, sessions, their history and ratings (see `domain.mentoring`)."""

from storage.mentoring.repository import SqlMentoringRepository
from storage.mentoring.tables import (
    MentorProfileRow,
    MentorRatingRow,
    MentorSessionHistoryRow,
    MentorSessionRow,
)

__all__ = [
    "MentorProfileRow",
    "MentorRatingRow",
    "MentorSessionHistoryRow",
    "MentorSessionRow",
    "SqlMentoringRepository",
]
