"""`[mentoring]` in config.toml: who may mentor, session types, matching weights, rewards."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from domain.core.config_base import Section

DEFAULT_TYPES = ("resume_review", "interview_prep", "career_guidance", "pitch_feedback", "general")


class MatchWeights(Section):
    """How much each signal counts when ranking mentors (topic match is a filter)."""

    rating: float = Field(0.35, ge=0, le=1)
    capacity: float = Field(0.25, ge=0, le=1)
    availability: float = Field(0.2, ge=0, le=1)
    fairness: float = Field(0.2, ge=0, le=1)


class MentoringSection(Section):
    """`[mentoring]`: who may mentor, session types, ranking, reminders and rewards."""

    who_may_mentor: Literal["anyone", "tier", "approved"] = "anyone"
    min_tier: int = Field(1, ge=0, le=20, description="tier index when who_may_mentor = tier")
    session_types: tuple[str, ...] = DEFAULT_TYPES
    default_capacity: int = Field(3, ge=1, le=50)
    max_capacity: int = Field(20, ge=1, le=200)
    synonyms: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "python": ["py", "python3"],
            "resume": ["cv", "resumes"],
            "interview": ["interviews", "interviewing"],
            "javascript": ["js", "node"],
        },
        description="topic -> words that mean the same",
    )
    rating_prior_mean: float = Field(4.0, ge=1, le=5, description="Bayesian average prior")
    rating_prior_weight: int = Field(5, ge=0, le=1000, description="ratings the prior is worth")
    fairness_window_days: int = Field(14, ge=1, le=365)
    weights: MatchWeights = MatchWeights()
    reminder_lead_minutes: tuple[int, ...] = (1440, 60)
    reward_points: int = Field(25, ge=0, le=100_000, description="to the mentor, per rated session")
    low_rating: int = Field(2, ge=1, le=5, description="ratings at or below show to moderators")
    page_size: int = Field(5, ge=1, le=20)

    @field_validator("session_types")
    @classmethod
    def _types_are_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one session type")
        for t in value:
            if not t.replace("_", "").isalnum() or t != t.lower():
                raise ValueError(f"{t!r}: lower-case words joined by _")
        return value
