"""The `[limits]` section of config.toml: how many writes a member may make per minute."""

from __future__ import annotations

from pydantic import Field

from domain.core.config_base import Section


class LimitsSection(Section):
    """Rate limits per member and command class, counted in the database (0 = no limit)."""

    write: int = Field(0, ge=0, le=10_000, description="writing commands and buttons per minute")
    groups: dict[str, int] = Field(
        default_factory=dict,
        description="per command group per minute, e.g. { report = 2, points = 5 }",
    )
    exempt_moderators: bool = True
