"""Words of /profile (progress has no refusals of its own: XP rules refuse silently)."""

MESSAGES: dict[str, str] = {}
