"""Quests and weekly challenges: goals over member activity, paid once on completion."""

import domain.core.config  # noqa: F401  (first: the config section below subclasses its Section)
from domain.quests.config import ChallengeSpec, QuestsSection
from domain.quests.errors import (
    QuestAlreadyCompletedError,
    QuestDateError,
    QuestNotFoundError,
    QuestNotManualError,
    QuestNotOpenError,
    QuestScheduleError,
    SubmissionAlreadyReviewedError,
    SubmissionNotFoundError,
    SubmissionPendingError,
)
from domain.quests.model import (
    Completion,
    Difficulty,
    Goal,
    NewQuest,
    Progress,
    Quest,
    QuestView,
    Repeat,
    Submission,
    SubmissionStatus,
)
from domain.quests.repository import QuestRepository
from domain.quests.service import QuestDraft, QuestService, Review

__all__ = [
    "ChallengeSpec",
    "Completion",
    "Difficulty",
    "Goal",
    "NewQuest",
    "Progress",
    "Quest",
    "QuestAlreadyCompletedError",
    "QuestDateError",
    "QuestDraft",
    "QuestNotFoundError",
    "QuestNotManualError",
    "QuestNotOpenError",
    "QuestRepository",
    "QuestScheduleError",
    "QuestService",
    "QuestView",
    "QuestsSection",
    "Repeat",
    "Review",
    "Submission",
    "SubmissionAlreadyReviewedError",
    "SubmissionNotFoundError",
    "SubmissionPendingError",
    "SubmissionStatus",
]
