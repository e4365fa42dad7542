"""What the bot needs to be allowed to do, and who counts as a moderator."""

from __future__ import annotations

from collections.abc import Iterable

import discord

# Exactly what the adapter uses: read the channels it posts in, post and edit
# its own cards (embeds, files), add reactions for votes, read history to find
# an anchored message, and grant reward roles.
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    manage_roles=True,
)
SCOPES = ("bot", "applications.commands")

# Discord lets servers change who sees a command; moderators by default are
# those who can manage the server. The runner re-checks every time.
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)


def invite_url(application_id: int | str) -> str:
    """The OAuth2 URL a server admin opens to add the bot with exactly these permissions."""
    return (
        "https://discord.com/oauth2/authorize"
        f"?client_id={application_id}"
        f"&permissions={BOT_PERMISSIONS.value}"
        f"&scope={'+'.join(SCOPES)}"
    )


def parse_roles(setting: str) -> frozenset[str]:
    """Read "Mods, 1234" as {"mods", "1234"}: role names (case-insensitive) or ids."""
    return frozenset(part.strip().lower() for part in setting.split(",") if part.strip())


def is_moderator(
    permissions: discord.Permissions | None,
    role_ids: Iterable[int],
    role_names: Iterable[str],
    moderator_roles: frozenset[str],
) -> bool:
    """Manage Server, administrator, or one of the configured moderator roles."""
    if permissions is not None and (permissions.manage_guild or permissions.administrator):
        return True
    if not moderator_roles:
        return False
    held = {str(r) for r in role_ids} | {n.lower() for n in role_names}
    return bool(held & moderator_roles)
