"""The [leaderboards] section of config.toml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from domain.core.config_base import Section
from domain.points.model import EntryKind


class LeaderboardsSection(Section):
    """How boards count and show."""

    default_board: Literal["points", "xp", "streak"] = "points"
    default_period: Literal["all", "week", "month"] = Field(
        "week", description="period shown by a bare /leaderboard"
    )
    page_size: int = Field(10, ge=1, le=25, description="rows shown per board")
    points_kinds: tuple[str, ...] = Field(
        ("earned", "adjusted"),
        description="ledger kinds that count on the points board; received gifts are"
        " left out so that passing points back and forth cannot climb it",
    )

    @field_validator("points_kinds")
    @classmethod
    def _known_kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = {k.value for k in EntryKind}
        for kind in value:
            if kind not in known:
                raise ValueError(f"unknown ledger kind {kind!r} (use {', '.join(sorted(known))})")
        return value
