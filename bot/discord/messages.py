"""Words the Discord adapter says itself (everything else comes from the cogs)."""

from cogs.kit.messages import register

MESSAGES = {
    "discord.use_in_server": "Please use this in the server, not in a direct message.",
}

register(MESSAGES)
