"""The `[streaks]` section of config.toml: milestone bonuses and streak freezes."""

from __future__ import annotations

from pydantic import Field, model_validator

from domain.core.config_base import Section


class Milestone(Section):
    """A streak length that pays a one-off bonus (per streak) and may grant freezes."""

    days: int = Field(ge=2, le=10_000)
    points: int = Field(0, ge=0, le=1_000_000)
    freezes: int = Field(0, ge=0, le=10)


class StreakSection(Section):
    """Streak milestones and freezes (a freeze protects exactly one missed day)."""

    milestones: tuple[Milestone, ...] = (
        Milestone(days=7, points=50, freezes=1),
        Milestone(days=30, points=200, freezes=1),
        Milestone(days=100, points=1000, freezes=2),
    )
    freeze_price: int = Field(150, ge=1, le=1_000_000, description="points per bought freeze")
    max_freezes: int = Field(2, ge=0, le=30, description="most freezes a member can hold")

    @model_validator(mode="after")
    def _distinct_days(self) -> StreakSection:
        days = [m.days for m in self.milestones]
        if len(days) != len(set(days)):
            raise ValueError("milestones: each number of days at most once")
        return self
