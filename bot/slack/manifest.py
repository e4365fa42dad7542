"""The Slack app manifest, generated from the command registry.

Paste the output into https://api.slack.com/apps → Create New App → From a
manifest. One slash command per top-level command word (with its usage as
the hint), the scopes the adapter calls need, the events it handles, and
either Socket Mode or the HTTP request URLs.
"""

from __future__ import annotations

import json
from typing import Any

from bot.slack.shortcuts import manifest_shortcuts
from cogs.kit import Command, Registry

# What the adapter calls, and why (keep in step with bot/slack/adapter.py and delivery.py).
BOT_SCOPES: tuple[str, ...] = (
    "commands",  # slash commands
    "chat:write",  # replies, announcements, card edits
    "chat:write.public",  # announce in public channels without being invited
    "im:write",  # conversations.open for DMs and private files
    "users:read",  # users.info: display names, admins/owners are moderators
    "reactions:read",  # reaction_added / reaction_removed
    "channels:read",  # conversations.list: channel names from config.toml
    "groups:read",  # ... including private channels the bot was invited to
    "files:write",  # rank cards and exports via the files API
    # conversations.history: a retried announcement looks for its own earlier post
    # (by message metadata) before posting again, in channels and DMs.
    "channels:history",
    "groups:history",
    "im:history",
)
BOT_EVENTS: tuple[str, ...] = (
    "app_home_opened",
    "reaction_added",
    "reaction_removed",
    "user_change",  # a deactivated member: [mydata] on_member_left (bot/slack/members.py)
)
# When a feature answers DMs (cogs.kit.Cog.dm_command, the AI mentor): the member's DMs
# to the bot and @mentions of it, and the scopes to read them.
DM_EVENTS: tuple[str, ...] = ("app_mention", "message.im")
DM_SCOPES: tuple[str, ...] = ("app_mentions:read",)  # im:history is always asked for
DESCRIPTION_MAX = 100
USAGE_HINT_MAX = 200


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _after_name(command: Command) -> str:
    """The command's usage without "/group": the registry's one spelling of it."""
    return command.usage.split(" ", 1)[1] if " " in command.usage else ""


def _slash_command(group: str, commands: list[Command], prefix: str) -> dict[str, Any]:
    if len(commands) == 1 and commands[0].name == group:
        only = commands[0]
        description = only.description
        hint = _after_name(only)
    else:
        subs = [c.subcommand or "" for c in commands]
        description = f"{group.capitalize()}: {', '.join(subs)}"
        hint = " | ".join(_after_name(c) for c in commands)
    entry: dict[str, Any] = {
        "command": f"/{prefix}{group}",
        "description": _clip(description, DESCRIPTION_MAX),
        "should_escape": True,  # mentions arrive as <@U123|name>, which we can trust
    }
    if hint:
        entry["usage_hint"] = _clip(hint, USAGE_HINT_MAX)
    return entry


def build_manifest(
    registry: Registry,
    *,
    name: str = "Guildhall",
    prefix: str = "",
    socket_mode: bool = True,
    public_url: str = "https://example.com",
) -> dict[str, Any]:
    """The manifest as a dict (Slack's manifest schema, version 1)."""
    request_url = public_url.rstrip("/") + "/slack/events"
    commands = [
        _slash_command(group, members, prefix) for group, members in registry.groups().items()
    ]
    if not socket_mode:
        for entry in commands:
            entry["url"] = request_url
    dms = registry.dm_command is not None
    events: dict[str, Any] = {"bot_events": [*BOT_EVENTS, *(DM_EVENTS if dms else ())]}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
    features: dict[str, Any] = {
        "app_home": {
            "home_tab_enabled": True,
            "messages_tab_enabled": True,
            "messages_tab_read_only_enabled": not dms,
        },
        "bot_user": {"display_name": name, "always_online": True},
        "slash_commands": commands,
    }
    if shortcuts := manifest_shortcuts(registry):
        features["shortcuts"] = shortcuts
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Check-ins, streaks, points, quests and proposals for your community.",
            "background_color": "#2f3e46",
        },
        "features": features,
        "oauth_config": {"scopes": {"bot": [*BOT_SCOPES, *(DM_SCOPES if dms else ())]}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def manifest_json(registry: Registry, **kwargs: Any) -> str:
    """Return the Slack app manifest for the registry, as pretty JSON."""
    return json.dumps(build_manifest(registry, **kwargs), indent=2, ensure_ascii=False) + "\n"
