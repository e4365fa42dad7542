"""The `[market]` section of config.toml: listing types, price bounds, fee and deadlines."""

from __future__ import annotations

from pydantic import Field, model_validator

from domain.core.config_base import Section


class MarketSection(Section):
    """The marketplace's settings: listing types, price bounds, fee, deadlines and paging."""

    types: tuple[str, ...] = Field(
        ("resume_review", "interview_coaching", "pitch_feedback", "mentoring", "other"),
        min_length=1,
        description="listing types members can sell",
    )
    min_price: int = Field(1, ge=1, description="lowest price of a listing, in points")
    max_price: int = Field(100_000, ge=1, description="highest price of a listing, in points")
    fee_percent: float = Field(0.0, ge=0, le=100, description="community fee on each sale")
    max_slots: int = Field(20, ge=1, le=1000, description="most concurrent orders per listing")
    max_delivery_days: int = Field(60, ge=1, le=365)
    accept_days: int = Field(3, ge=1, le=60, description="days a seller has to accept an order")
    confirm_days: int = Field(
        7, ge=1, le=60, description="days a buyer has to confirm before auto-release"
    )
    page_size: int = Field(8, ge=1, le=25)
    rating_prior_mean: float = Field(3.5, ge=1, le=5, description="Bayesian average: prior mean")
    rating_prior_weight: float = Field(
        5.0, ge=0, le=1000, description="Bayesian average: how many ratings the prior weighs"
    )

    @model_validator(mode="after")
    def _bounds(self) -> MarketSection:
        if self.min_price > self.max_price:
            raise ValueError("min_price must not exceed max_price")
        for t in self.types:
            if not t or len(t) > 24 or not t.replace("_", "").isalnum():
                raise ValueError(f"listing type {t!r}: letters, digits and _ only, up to 24")
        return self
