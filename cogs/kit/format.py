"""Formatting helpers for words shown to members."""

from __future__ import annotations

from datetime import timedelta


def human_duration(delta: timedelta) -> str:
    """Return "2d 3h", "3h 12m", "45m" or "under a minute": at most two units."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return "under a minute"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (minutes, "m")) if v]
    return " ".join(parts[:2])


def progress_bar(fraction: float, width: int = 10) -> str:
    """A text progress bar that renders the same on every platform: ▰▰▰▱▱."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = round(fraction * width)
    return "▰" * filled + "▱" * (width - filled)


def plural(n: int, word: str, many: str | None = None) -> str:
    """Return "1 vote" / "3 votes" (English only: member text uses the catalogue's counts)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def bold_points(n: int) -> str:
    """Return "**1** point", "**5** points": the number stands out, the noun agrees."""
    from cogs.kit.messages import count  # the catalogue imports this module

    return count("count.points", n)
