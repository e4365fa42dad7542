"""Channel references as members type them, on any platform."""

from __future__ import annotations

import re

# Discord <#123>, Slack <#C0123|name> or <#C0123>, #name, or a bare id.
_MENTION = re.compile(r"^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$")
_NAME = re.compile(r"^#?([a-z0-9][a-z0-9_\-]{0,79})$")
_ID = re.compile(r"^[A-Z0-9]{6,30}$|^\d{6,30}$")


def parse_channel(text: str) -> str | None:
    """A channel id ("C0123", "1234567") or "#name"; None when it is neither."""
    text = text.strip()
    match = _MENTION.match(text)
    if match:
        return match.group(1)
    if _ID.match(text):
        return text
    match = _NAME.match(text.lower())
    return f"#{match.group(1)}" if match else None
