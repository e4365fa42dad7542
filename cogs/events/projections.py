"""What the events feature derives from its activities (today's activity bus).

Attendance moves the `events_attended` counter through the achievements
feature's counter table; kept here so the switch to typed activities and
projections is one module.
"""

from __future__ import annotations

from cogs.kit import CogContext


def setup_projections(ctx: CogContext) -> None:
    """Nothing yet beyond XP: `[progress.xp.event_attended]` in config.toml pays it."""
    del ctx
