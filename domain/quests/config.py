"""The [quests] section of config.toml, with the weekly challenge pool."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from domain.core.config_base import Section

GoalName = Literal[
    "checkins",
    "votes",
    "proposals",
    "approvals",
    "gifts",
    "points",
    "xp",
    "battles_fought",
    "battles_won",
]
DifficultyName = Literal["easy", "medium", "hard", "epic"]


class ChallengeSpec(Section):
    """One weekly challenge the rotation may open (goals count by themselves)."""

    title: str = Field(min_length=1, max_length=80)
    description: str = Field("", max_length=500)
    goal: GoalName
    target: int = Field(ge=1, le=10_000)
    points: int = Field(0, ge=0, le=1_000_000)
    xp: int = Field(0, ge=0, le=1_000_000)
    difficulty: DifficultyName = "medium"


def default_pool() -> tuple[ChallengeSpec, ...]:
    """Return the weekly challenges rotated when config.toml lists none."""
    return (
        ChallengeSpec(
            title="Daily devotion",
            description="Check in on five days this week.",
            goal="checkins",
            target=5,
            points=50,
            xp=30,
            difficulty="easy",
        ),
        ChallengeSpec(
            title="Have your say",
            description="Vote on three proposals this week.",
            goal="votes",
            target=3,
            points=40,
            xp=25,
            difficulty="easy",
        ),
        ChallengeSpec(
            title="Spread the love",
            description="Give points to two members this week.",
            goal="gifts",
            target=2,
            points=30,
            xp=20,
            difficulty="medium",
        ),
        ChallengeSpec(
            title="Bright idea",
            description="Make a proposal this week.",
            goal="proposals",
            target=1,
            points=60,
            xp=40,
            difficulty="hard",
        ),
    )


class QuestsSection(Section):
    """Quests and the weekly challenge rotation."""

    rotation_per_week: int = Field(
        2, ge=0, le=10, description="challenges opened each Monday (0 turns the rotation off)"
    )
    rotation_hour: int = Field(6, ge=0, le=23, description="local hour on Monday to open them")
    rotation: tuple[ChallengeSpec, ...] = Field(default_factory=default_pool)
    max_proof_length: int = Field(500, ge=20, le=2_000)
