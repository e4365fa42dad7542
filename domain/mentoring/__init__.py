"""Mentoring: mentor profiles, matching, sessions with DB-enforced capacity, and ratings."""

from domain.mentoring.config import MentoringSection
from domain.mentoring.model import Match, MentorProfile, ProfileChanges, Session, SessionStatus
from domain.mentoring.repository import MentoringRepository
from domain.mentoring.service import MentoringService

__all__ = [
    "Match",
    "MentorProfile",
    "MentoringRepository",
    "MentoringSection",
    "MentoringService",
    "ProfileChanges",
    "Session",
    "SessionStatus",
]
