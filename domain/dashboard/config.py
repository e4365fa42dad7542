"""The `[dashboard]` section of config.toml."""

from __future__ import annotations

from pydantic import Field

from domain.core.config_base import Section


class DashboardSection(Section):
    """Analytics and the public pages."""

    public_leaderboard: bool = Field(
        False, description="serve /c/<slug>/leaderboard to anyone (no private data)"
    )
    slug: str = Field(
        "",
        max_length=40,
        pattern=r"^[a-z0-9-]*$",
        description="the public page's address; empty = made from the community's name",
    )
    stats_in_weekly_post: bool = Field(
        True, description="add one line of community stats to the weekly leaderboard post"
    )
    top_contributors: int = Field(10, ge=1, le=50)
