"""The `[battles]` section of config.toml: stakes, windows, Elo and fair-play limits."""

from __future__ import annotations

from pydantic import Field, model_validator

from domain.core.config_base import Section


class BattlePrompt(Section):
    """One prompt of the pool `/battle random` and the weekly post draw from."""

    text: str = Field(min_length=3, max_length=300)
    topic: str = Field("general", min_length=1, max_length=40)
    difficulty: str = Field("medium", pattern="^(easy|medium|hard)$")


def _default_prompts() -> list[BattlePrompt]:
    return [
        BattlePrompt(text="Explain recursion to a ten-year-old.", topic="teaching"),
        BattlePrompt(text="Pitch our community to a newcomer in three sentences.", topic="writing"),
        BattlePrompt(
            text="Write a haiku about a failing build.", topic="poetry", difficulty="easy"
        ),
    ]


class BattlesSection(Section):
    """How battles run; every window is in minutes."""

    max_stake: int = Field(500, ge=0, description="largest stake per side; 0 = no stakes")
    accept_minutes: int = Field(
        1440, ge=5, le=20_160, description="how long a challenge waits for an answer"
    )
    default_minutes: int = Field(
        60, ge=5, le=10_080, description="default time to submit entries after accepting"
    )
    max_minutes: int = Field(10_080, ge=5, le=43_200, description="longest submission window")
    vote_minutes: int = Field(1440, ge=5, le=20_160, description="how long a community vote runs")
    quorum: int = Field(3, ge=0, description="fewest votes for a vote-judged result; else a draw")
    prompt_max_length: int = Field(300, ge=10, le=1000)
    entry_max_length: int = Field(1500, ge=10, le=4000, description="longest entry, characters")
    daily_limit: int = Field(5, ge=1, description="battles a member may start or accept a day")
    pair_weekly_limit: int = Field(
        3, ge=1, description="battles between the same two members in 7 days"
    )
    start_rating: int = Field(1200, ge=100, le=4000)
    k_factor: int = Field(24, ge=1, le=100)
    provisional_k: int = Field(40, ge=1, le=200, description="K for a member's first battles")
    provisional_battles: int = Field(10, ge=0, le=100)
    page_size: int = Field(10, ge=1, le=25)
    weekly_post: bool = Field(False, description="post a 'battle of the week' prompt on Mondays")
    weekly_post_time: str = Field("10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    judge_attempts: int = Field(2, ge=1, le=5, description="AI judge tries before a vote")
    prompts: list[BattlePrompt] = Field(default_factory=_default_prompts)

    @model_validator(mode="after")
    def _windows(self) -> BattlesSection:
        if self.default_minutes > self.max_minutes:
            raise ValueError("default_minutes cannot exceed max_minutes")
        return self
