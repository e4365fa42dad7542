"""Render a `Reply` as Discord message parts: embed, components, files, mentions.

Never ping by accident: `allowed_mentions` names only the users a reply
means to notify (when `reply.ping`), otherwise nobody; `@everyone`, `@here`
and roles are never allowed, whatever a member typed into a title.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import discord

from cogs.kit.reply import (
    Button,
    ButtonStyle,
    Mention,
    Reply,
    Tone,
    render_mentions,
    render_timestamps,
)

PLATFORM = "discord"

COLOURS = {
    Tone.INFO: discord.Colour(0x5865F2),
    Tone.SUCCESS: discord.Colour(0x57F287),
    Tone.WARNING: discord.Colour(0xFEE75C),
    Tone.ERROR: discord.Colour(0xED4245),
}
_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
    ButtonStyle.LINK: discord.ButtonStyle.link,
}
# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_MAX, DESCRIPTION_MAX, FIELDS_MAX = 256, 4096, 25
FIELD_NAME_MAX, FIELD_VALUE_MAX, FOOTER_MAX = 256, 1024, 2048
BUTTON_LABEL_MAX, CUSTOM_ID_MAX, BUTTONS_PER_ROW, ROWS_MAX = 80, 100, 5, 5


class ComponentsOnly(discord.ui.View):
    """Components to show, not to listen to: every click is routed by its custom_id.

    Guildhall's custom_ids are action ids ("proposal.vote:12:for") that the
    adapter hands to the runner, so buttons keep working after a restart and
    nothing is kept in memory per message.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        return False


@dataclass
class Rendered:
    """Keyword arguments for discord.py's send/edit calls."""

    content: str | None
    embed: discord.Embed | None
    view: discord.ui.View | None
    files: list[discord.File] = field(default_factory=list)
    allowed_mentions: discord.AllowedMentions = field(default_factory=discord.AllowedMentions.none)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": self.allowed_mentions}
        if self.content:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:
            kwargs["files"] = self.files
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "content": self.content,
            "embed": self.embed,
            "view": self.view,
            "allowed_mentions": self.allowed_mentions,
        }
        if self.files:
            kwargs["attachments"] = self.files
        return kwargs


def discord_user_id(mention: Mention) -> str | None:
    """Return the Discord user id of a mentioned member, if they have a Discord account."""
    return mention.accounts.get(PLATFORM)


def _mention(m: Mention) -> str:
    uid = discord_user_id(m)
    return f"<@{uid}>" if uid else f"**{m.display_name}**"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_of(text: str, reply: Reply) -> str:
    """Reply markdown is Discord markdown; only mention and timestamp tokens need translating."""
    text = render_timestamps(text, lambda at, style, _: f"<t:{at}:{style}>")
    return render_mentions(text, reply.mentions, _mention)


def render(reply: Reply) -> Rendered:
    """Build the message parts for `reply` (call inside the event loop: views need it)."""
    embed = discord.Embed(colour=COLOURS[reply.tone])
    if reply.title:
        embed.title = _cut(text_of(reply.title, reply), TITLE_MAX)
    if reply.text:
        embed.description = _cut(text_of(reply.text, reply), DESCRIPTION_MAX)
    for f in reply.fields[:FIELDS_MAX]:
        embed.add_field(
            name=_cut(text_of(f.name, reply), FIELD_NAME_MAX) or "\u200b",
            value=_cut(text_of(f.value, reply), FIELD_VALUE_MAX) or "\u200b",
            inline=f.inline,
        )
    if reply.footer:
        embed.set_footer(text=_cut(text_of(reply.footer, reply), FOOTER_MAX))
    files: list[discord.File] = []
    if reply.image is not None:
        files.append(
            discord.File(
                io.BytesIO(reply.image.data),
                filename=reply.image.filename,
                description=reply.image.alt or None,
            )
        )
        embed.set_image(url=f"attachment://{reply.image.filename}")
    if reply.file is not None:
        files.append(discord.File(io.BytesIO(reply.file.data), filename=reply.file.filename))
    content, allowed = _pings(reply)
    shown = _has_content(embed)
    if not (shown or content or files or reply.buttons or reply.select):
        content = "\u200b"  # Discord refuses an empty message; a reply may be blank
    return Rendered(
        content=content,
        embed=embed if shown else None,
        view=_view(reply),
        files=files,
        allowed_mentions=allowed,
    )


def _has_content(embed: discord.Embed) -> bool:
    return bool(embed.title or embed.description or embed.fields or embed.image or embed.footer)


def _pings(reply: Reply) -> tuple[str | None, discord.AllowedMentions]:
    """Embeds never notify anyone, so the intended pings go in the content."""
    if not reply.ping:
        return None, discord.AllowedMentions.none()
    ids = sorted({uid for m in reply.mentions if (uid := discord_user_id(m))})
    if not ids:
        return None, discord.AllowedMentions.none()
    allowed = discord.AllowedMentions(
        everyone=False,
        roles=False,
        replied_user=False,
        users=[discord.Object(id=int(uid)) for uid in ids],
    )
    return " ".join(f"<@{uid}>" for uid in ids), allowed


def _button(b: Button, row: int) -> discord.ui.Button[Any]:
    if b.url:
        return discord.ui.Button(
            label=_cut(b.label, BUTTON_LABEL_MAX),
            url=b.url,
            style=discord.ButtonStyle.link,
            emoji=b.emoji,
            row=row,
        )
    return discord.ui.Button(
        label=_cut(b.label, BUTTON_LABEL_MAX),
        custom_id=b.action_id[:CUSTOM_ID_MAX] or None,
        style=_STYLES[b.style]
        if b.style is not ButtonStyle.LINK
        else discord.ButtonStyle.secondary,
        emoji=b.emoji,
        row=row,
    )


def _view(reply: Reply) -> discord.ui.View | None:
    if not reply.buttons and reply.select is None:
        return None
    view = ComponentsOnly()
    rows_for_buttons = ROWS_MAX - (1 if reply.select is not None else 0)
    shown = reply.buttons[: rows_for_buttons * BUTTONS_PER_ROW]
    for i, b in enumerate(shown):
        view.add_item(_button(b, i // BUTTONS_PER_ROW))
    if reply.select is not None:
        s = reply.select
        view.add_item(
            discord.ui.Select(
                custom_id=s.action_id[:CUSTOM_ID_MAX],
                placeholder=_cut(s.placeholder, 150),
                options=[
                    discord.SelectOption(
                        label=_cut(o.label, 100),
                        value=o.value[:100],
                        description=_cut(o.description, 100) if o.description else None,
                    )
                    for o in s.options[:25]
                ],
                row=-(-len(shown) // BUTTONS_PER_ROW),
            )
        )
    return view
