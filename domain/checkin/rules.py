"""Calendar rules of check-ins: the shared local-time helpers, under their old names."""

from __future__ import annotations

from domain.core.localtime import (
    day_start,
    known_zones,
    local_day,
    local_day_start,
    next_local_midnight,
    normalise_zone,
)

__all__ = [
    "day_start",
    "known_zones",
    "local_day",
    "local_day_start",
    "next_local_midnight",
    "normalise_zone",
]
