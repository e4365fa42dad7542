"""The `[events]` section of config.toml: who may create events, rewards, reminders, feeds."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, field_validator

from domain.core.config_base import Section


class Creators(StrEnum):
    """Who may run `/event create`: every member, or moderators only."""

    MEMBERS = "members"
    MODERATORS = "moderators"


class EventsSection(Section):
    """Events: RSVPs, waitlists, reminders, recurrence, calendar feeds, attendance rewards."""

    who_can_create: Creators = Field(
        Creators.MODERATORS, description="members or moderators (only) may /event create"
    )
    default_points: int = Field(10, ge=0, description="points for attending when not given")
    max_points: int = Field(100, ge=0, le=100_000, description="cap on an event's --points")
    reminder_minutes: list[int] = Field(
        default_factory=lambda: [1440, 60],
        description="reminders this many minutes before each start, to everyone going",
    )
    checkin_opens_minutes: int = Field(
        15, ge=0, le=1440, description="the check-in button works from this long before start"
    )
    card_update_seconds: int = Field(
        10, ge=1, le=3600, description="at most one live card edit per event per this period"
    )
    page_size: int = Field(10, ge=1, le=25)
    max_occurrences: int = Field(500, ge=1, le=500, description="occurrences of one series")
    max_years: int = Field(2, ge=1, le=2, description="how far a series may reach")
    discord_native: bool = Field(
        False,
        description="also keep a Discord Guild Scheduled Event for each planned date",
    )
    feed_base_url: str = Field(
        "http://localhost:8080",
        description="public address of the HTTP surface, for /events feed links",
    )

    @field_validator("reminder_minutes")
    @classmethod
    def _leads(cls, value: list[int]) -> list[int]:
        if any(not 1 <= m <= 7 * 1440 for m in value):
            raise ValueError("reminder leads must be 1 to 10080 minutes")
        return sorted(set(value), reverse=True)

    @field_validator("feed_base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("feed_base_url must start with http:// or https://")
        return value.rstrip("/")
