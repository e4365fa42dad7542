"""The achievement catalog: `[[achievements]]` tables in config.toml."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from domain.achievements.counters import counter_names
from domain.core.config_base import Section


class AchievementSpec(Section):
    """One achievement: unlocked once every counter in `requires` reaches its number."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    name: str = Field(min_length=1, max_length=60)
    description: str = Field(min_length=1, max_length=200)
    emoji: str = Field("🏅", max_length=8)
    requires: dict[str, int] = Field(min_length=1)

    @field_validator("requires")
    @classmethod
    def _known_counters(cls, value: dict[str, int]) -> dict[str, int]:
        known = counter_names()
        for counter, target in value.items():
            if counter not in known:
                raise ValueError(
                    f"unknown counter {counter!r} (use one of {', '.join(sorted(known))})"
                )
            if target < 1:
                raise ValueError(f"{counter} must be at least 1")
        return value


def _unique_ids(catalog: tuple[AchievementSpec, ...]) -> tuple[AchievementSpec, ...]:
    seen: set[str] = set()
    for spec in catalog:
        if spec.id in seen:
            raise ValueError(f"achievement id {spec.id!r} is used twice")
        seen.add(spec.id)
    return catalog


AchievementCatalog = Annotated[tuple[AchievementSpec, ...], AfterValidator(_unique_ids)]


def default_catalog() -> tuple[AchievementSpec, ...]:
    """The catalog used when config.toml lists none (the same as the shipped config.toml)."""
    rows = [
        ("first-checkin", "First steps", "Check in for the first time", "👣", {"checkins": 1}),
        ("regular", "Regular", "Check in on 30 days", "📅", {"checkins": 30}),
        ("week-streak", "On fire", "Keep a 7-day streak", "🔥", {"streak": 7}),
        ("month-streak", "Unstoppable", "Keep a 30-day streak", "☄️", {"streak": 30}),
        ("first-vote", "Voice", "Cast your first vote", "🗳️", {"votes_cast": 1}),
        ("civic", "Civic minded", "Cast 25 votes", "🏛️", {"votes_cast": 25}),
        ("proposer", "Idea machine", "Make a proposal", "💡", {"proposals_created": 1}),
        ("lawmaker", "Lawmaker", "Have a proposal approved", "📜", {"proposals_approved": 1}),
        ("generous", "Generous", "Give points to someone", "🎁", {"gifts_given": 1}),
        ("patron", "Patron", "Give points 25 times", "💝", {"gifts_given": 25}),
        ("questor", "Questor", "Complete a quest", "🗺️", {"quests_completed": 1}),
        ("adventurer", "Adventurer", "Complete 10 quests", "⚔️", {"quests_completed": 10}),
    ]
    return tuple(
        AchievementSpec(id=i, name=n, description=d, emoji=e, requires=r) for i, n, d, e, r in rows
    )
