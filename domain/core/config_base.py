"""The base of every config section, in a module of its own.

Feature sections (`domain/<feature>/config.py`) subclass `Section` and
`domain.core.config` gathers them; keeping the base here breaks the import cycle
that would otherwise tie every feature to `domain.core.config`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """Base of every config section: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def check_timezone(value: str) -> str:
    """Accept only IANA zone names, with a message that says what to write."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)"
        ) from None
    return value
