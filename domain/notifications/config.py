"""[schedule] and [reminders] in config.toml."""

from __future__ import annotations

from pydantic import Field, field_validator

from domain.core.config_base import Section
from domain.notifications.rules import parse_clock, parse_quiet_hours


class ScheduleSection(Section):
    """How the scheduler and the outbox deliverer behave."""

    lease_seconds: int = Field(45, ge=10, le=300, description="standby takes over after this")
    poll_seconds: float = Field(5.0, gt=0, le=300, description="deliverer poll without wake-up")
    claim_seconds: int = Field(120, ge=10, le=3600, description="a claimed row's lock")
    max_attempts: int = Field(12, ge=1, le=100, description="give up after this many tries")
    retry_base_seconds: int = Field(5, ge=1, le=3600)
    retry_max_seconds: int = Field(3600, ge=1, le=86_400)
    leaderboard_time: str = Field("09:00", description="weekly/monthly posts, community zone")
    weekly_leaderboard: bool = True
    monthly_leaderboard: bool = True
    invocation_log_days: int = Field(7, ge=1, le=365)

    @field_validator("leaderboard_time")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_clock(value)
        return value


class RemindersSection(Section):
    """Streak reminders and tier-progress nudges."""

    evening: str = Field("20:00", description="members' local time for streak reminders")
    min_streak: int = Field(3, ge=1, le=10_000)
    late_limit_minutes: int = Field(180, ge=5, le=1_440, description="drop reminders this late")
    dms_by_default: bool = False
    quiet_hours: str = Field("", description='default quiet hours, e.g. "22:00-07:00"')
    nudge_within: int = Field(200, ge=1, description="XP from the next tier that earns a nudge")

    @field_validator("evening")
    @classmethod
    def _evening(cls, value: str) -> str:
        at = parse_clock(value)
        if at.minute % 5:
            raise ValueError("evening must be on a 5-minute mark (the reminder job runs every 5)")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        if value:
            parse_quiet_hours(value)
        return value
