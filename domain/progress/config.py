"""The `[progress]` section of config.toml: XP rules, the level curve and the tiers."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from domain.core.config_base import Section


class XpRule(Section):
    """How much XP one kind of activity earns, and the brakes on repeating it.

    `daily_cap` and the diminishing count are per member, per source, per
    local day; `diminish_after` awards a day earn the full amount, each one
    after that earns `diminish_factor` times the previous one.
    """

    amount: int = Field(0, ge=0, le=100_000, description="XP per occurrence")
    cooldown_minutes: int = Field(0, ge=0, le=10_080, description="minimum gap between awards")
    daily_cap: int = Field(0, ge=0, description="most XP a day from this source; 0 = no cap")
    diminish_after: int = Field(0, ge=0, description="full-value awards a day; 0 = never diminish")
    diminish_factor: float = Field(0.5, gt=0, le=1)


DEFAULT_RULES: dict[str, dict[str, Any]] = {
    "checked_in": {"amount": 20},
    "points_gifted": {
        "amount": 5,
        "cooldown_minutes": 1,
        "daily_cap": 25,
        "diminish_after": 2,
        "diminish_factor": 0.5,
    },
    "vote_cast": {"amount": 5, "daily_cap": 50, "diminish_after": 5, "diminish_factor": 0.5},
    "proposal_created": {"amount": 15, "cooldown_minutes": 10, "daily_cap": 45},
    "proposal_approved": {"amount": 50},
    "proposal_implemented": {"amount": 100},
    "quest_completed": {"amount": 0},  # quests say how much in data["xp"]
    "achievement_unlocked": {"amount": 25},
}


class Tier(Section):
    """A named stage of membership, reached at a level; may grant a platform role."""

    name: str = Field(min_length=1, max_length=40)
    level: int = Field(ge=1)
    role: str = Field("", max_length=100, description="platform role granted; empty = none")


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier(name="Seedling", level=1),
    Tier(name="Sprout", level=5),
    Tier(name="Blossom", level=10),
    Tier(name="Bloom", level=20),
    Tier(name="Evergreen", level=35),
)


class ProgressSection(Section):
    """XP, levels and tiers.

    Reaching level L takes `level_base * (L - 1) ** level_exponent` XP in
    total, so early levels come quickly and later ones take longer.
    """

    level_base: int = Field(100, ge=1, le=1_000_000)
    level_exponent: float = Field(1.5, ge=1.0, le=3.0)
    max_level: int = Field(100, ge=2, le=1000)
    xp: dict[str, XpRule] = Field(
        default_factory=lambda: {kind: XpRule(**rule) for kind, rule in _rules({}).items()}
    )
    tiers: tuple[Tier, ...] = DEFAULT_TIERS

    @field_validator("xp", mode="before")
    @classmethod
    def _merge_default_rules(cls, value: Any) -> Any:
        # Tuning one key of one source must not drop the other sources' rules.
        return _rules(value) if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _tiers_ascend(self) -> ProgressSection:
        if not 1 <= len(self.tiers) <= 10:
            raise ValueError("tiers: between 1 and 10 tiers")
        if self.tiers[0].level != 1:
            raise ValueError("tiers: the first tier starts at level 1")
        levels = [t.level for t in self.tiers]
        if levels != sorted(set(levels)):
            raise ValueError("tiers: levels must strictly increase")
        if levels[-1] > self.max_level:
            raise ValueError("tiers: a tier starts above max_level")
        if len({t.name.lower() for t in self.tiers}) != len(self.tiers):
            raise ValueError("tiers: names must differ")
        return self


def _rules(given: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: dict(v) for k, v in DEFAULT_RULES.items()}
    for kind, rule in given.items():
        if isinstance(rule, dict):
            merged[kind] = {**merged.get(kind, {}), **rule}
        else:
            merged[kind] = rule
    return merged
