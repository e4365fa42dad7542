"""Achievements: a configured catalog unlocked automatically from member counters."""

import domain.core.config  # noqa: F401  (first: the catalog below subclasses its Section)
from domain.achievements.config import AchievementCatalog, AchievementSpec, default_catalog
from domain.achievements.counters import CounterChange, changes_for, counter_names
from domain.achievements.model import AchievementStatus, Unlocked
from domain.achievements.repository import AchievementRepository, CounterRepository
from domain.achievements.service import AchievementService, rarity

__all__ = [
    "AchievementCatalog",
    "AchievementRepository",
    "AchievementService",
    "AchievementSpec",
    "AchievementStatus",
    "CounterChange",
    "CounterRepository",
    "Unlocked",
    "changes_for",
    "counter_names",
    "default_catalog",
    "rarity",
]
