"""XP earned from activities, levels on a configurable curve, and five tiers."""

from domain.progress.config import ProgressSection, Tier, XpRule
from domain.progress.model import DayTotals, MemberXp, SourceToday, Standing, XpAward
from domain.progress.repository import XpRepository
from domain.progress.rules import LevelCurve, Withheld, XpDecision, xp_for_occurrence
from domain.progress.service import ProgressService

__all__ = [
    "DayTotals",
    "LevelCurve",
    "MemberXp",
    "ProgressSection",
    "ProgressService",
    "SourceToday",
    "Standing",
    "Tier",
    "Withheld",
    "XpAward",
    "XpDecision",
    "XpRepository",
    "XpRule",
    "xp_for_occurrence",
]
