"""The `[linking]` section of config.toml: how long a link code lives."""

from __future__ import annotations

from pydantic import Field

from domain.core.config_base import Section


class LinkingSection(Section):
    """One-time codes that join workspaces and accounts."""

    code_minutes: int = Field(15, ge=1, le=1_440, description="minutes a link code stays valid")
