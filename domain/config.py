"""The community's rules as configuration: `config.toml`, validated at start.

Each feature owns one section model; `CommunityConfig` gathers them. Unknown
keys are refused so a typo fails at start instead of being silently ignored.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Section(BaseModel):
    """Base of every config section: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)"
        ) from None
    return value


class CommunitySection(Section):
    name: str = Field("Guildhall Community", min_length=1, max_length=100)
    timezone: str = "UTC"

    _tz = field_validator("timezone")(check_timezone)


class PointsSection(Section):
    checkin: int = Field(10, ge=0, le=1_000_000, description="points for a daily check-in")
    max_gift: int = Field(1_000, ge=1, description="largest single /points give")
    history_page_size: int = Field(10, ge=1, le=50)


class ChannelsSection(Section):
    """Channel names per announcement kind; moderators can override per community."""

    announcements: str = "general"
    proposals: str = "proposals"
    leaderboard: str = "leaderboard"
    reminders: str = "general"


class ConsoleSection(Section):
    demo: bool = Field(True, description="seed a demo community on first console start")


from domain.achievements.config import AchievementCatalog, default_catalog  # noqa: E402
from domain.leaderboards.config import LeaderboardsSection  # noqa: E402  (needs Section)
from domain.quests.config import QuestsSection  # noqa: E402


class CommunityConfig(Section):
    community: CommunitySection = CommunitySection()
    points: PointsSection = PointsSection()
    channels: ChannelsSection = ChannelsSection()
    console: ConsoleSection = ConsoleSection()
    leaderboards: LeaderboardsSection = LeaderboardsSection()
    achievements: AchievementCatalog = Field(default_factory=default_catalog)
    quests: QuestsSection = QuestsSection()
