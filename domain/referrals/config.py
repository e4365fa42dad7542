"""The `[referrals]` section of config.toml."""

from __future__ import annotations

from pydantic import Field

from domain.core.config_base import Section


class ReferralsSection(Section):
    """When a referral counts and what it pays."""

    points: int = Field(50, ge=0, le=100_000, description="points to the referrer, once")
    activation_checkins: int = Field(
        3, ge=1, le=100, description="check-ins that make a newcomer active"
    )
    activation_days: int = Field(14, ge=1, le=365, description="...within this many days")
    join_window_hours: int = Field(
        24, ge=1, le=24 * 30, description="how long after joining /join still works"
    )
