"""The AI mentor: answers in DMs and /ask, grounded in Guildhall through member-bound tools."""

from domain.mentor_ai.config import FaqEntry, MentorAiSection
from domain.mentor_ai.model import Answer, Turn
from domain.mentor_ai.repository import MemoryRepository
from domain.mentor_ai.service import PURPOSE, MentorAiService
from domain.mentor_ai.tools import Readers

__all__ = [
    "PURPOSE",
    "Answer",
    "FaqEntry",
    "MemoryRepository",
    "MentorAiSection",
    "MentorAiService",
    "Readers",
    "Turn",
]
