"""What a handler returns: platform-neutral content that each adapter renders.

A `Reply` is data, never a platform call, so the same handler serves Discord
(embed + view), Slack (Block Kit) and the console (text), and a reply can be
stored in the outbox as JSON and delivered later.

Text uses a small markdown subset (`**bold**`, `_italic_`, `` `code` ``) and
mention tokens made by `mention_token()`; adapters translate both.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

MENTION_TOKEN = re.compile(r"<@m:(\d+)>")
TIMESTAMP_TOKEN = re.compile(r"<@t:(-?\d{1,12}):([tTdDfFR])\|([^>|]*)>")


def mention_token(member_id: int) -> str:
    """A placeholder each adapter replaces with a real mention or a name."""
    return f"<@m:{int(member_id)}>"


def timestamp_token(at: datetime, style: str, fallback: str) -> str:
    """A moment each adapter shows in the reader's own time zone.

    `style` is Discord's: F (full date and time), f (date and time), D (date),
    t (time) or R (relative, "in 3 hours"). `fallback` is the text shown where
    no platform localises: the console (written in the member's zone) and
    notification previews.
    """
    if style not in "tTdDfFR" or len(style) != 1:
        raise ValueError(f"unknown timestamp style {style!r}")
    shown = fallback.replace(">", "›").replace("|", "¦")
    return f"<@t:{int(at.timestamp())}:{style}|{shown}>"


def render_timestamps(text: str, render: Callable[[int, str, str], str]) -> str:
    """Replace timestamp tokens: `render(epoch_seconds, style, fallback) -> str`."""
    return TIMESTAMP_TOKEN.sub(lambda m: render(int(m.group(1)), m.group(2), m.group(3)), text)


class Tone(StrEnum):
    """The mood of a reply; adapters map it to a colour or a symbol."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class ButtonStyle(StrEnum):
    """How a button looks; each adapter maps it to its platform's styles."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Field:
    """A titled value in a reply (an embed field on Discord, a section on Slack)."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True, slots=True)
class Button:
    """A button; `action_id` is "<action name>:<args…>" and stays valid after restarts."""

    label: str
    action_id: str = ""
    style: ButtonStyle = ButtonStyle.SECONDARY
    url: str | None = None
    emoji: str | None = None


@dataclass(frozen=True, slots=True)
class SelectOption:
    """One entry of a select menu."""

    label: str
    value: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Select:
    """A select menu; choosing an entry runs the action named by `action_id`."""

    action_id: str
    options: tuple[SelectOption, ...]
    placeholder: str = "Choose…"


@dataclass(frozen=True, slots=True)
class Image:
    """An attached picture (a rank card): PNG bytes and a file name."""

    data: bytes
    filename: str = "image.png"
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file for the member (an export): bytes, a file name and its media type."""

    data: bytes
    filename: str
    content_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Mention:
    """A member a reply refers to, with the accounts adapters need to mention them."""

    member_id: int
    display_name: str
    accounts: Mapping[str, str] = field(default_factory=dict)  # platform -> user id


@dataclass(frozen=True, slots=True)
class Reply:
    """The content of one message."""

    text: str = ""
    title: str | None = None
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    select: Select | None = None
    image: Image | None = None
    file: Attachment | None = None
    footer: str | None = None
    tone: Tone = Tone.INFO
    ephemeral: bool | None = None  # None: the command's declared visibility
    mentions: tuple[Mention, ...] = ()
    ping: bool = False  # notify the mentioned members (never anyone else)
    anchor: str | None = None  # remember the posted message as this thing ("proposal:12")
    replayed: bool = False  # the same invocation arrived again; this is its first answer

    def with_(self, **changes: Any) -> Reply:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the outbox and invocation log.

        Built field by field, not with `dataclasses.asdict`: every command stores
        its reply, and asdict's recursive deep copy was a tenth of a vote's time.
        """
        select = self.select
        data: dict[str, Any] = {
            "text": self.text,
            "title": self.title,
            "fields": tuple(
                {"name": f.name, "value": f.value, "inline": f.inline} for f in self.fields
            ),
            "buttons": tuple(
                {
                    "label": b.label,
                    "action_id": b.action_id,
                    "style": b.style,
                    "url": b.url,
                    "emoji": b.emoji,
                }
                for b in self.buttons
            ),
            "select": None
            if select is None
            else {
                "action_id": select.action_id,
                "options": tuple(
                    {"label": o.label, "value": o.value, "description": o.description}
                    for o in select.options
                ),
                "placeholder": select.placeholder,
            },
            "image": None,
            "file": None,
            "footer": self.footer,
            "tone": self.tone,
            "ephemeral": self.ephemeral,
            "ping": self.ping,
            "anchor": self.anchor,
            "replayed": self.replayed,
        }
        if self.image is not None:
            data["image"] = {
                "data": base64.b64encode(self.image.data).decode("ascii"),
                "filename": self.image.filename,
                "alt": self.image.alt,
            }
        if self.file is not None:
            data["file"] = {
                "data": base64.b64encode(self.file.data).decode("ascii"),
                "filename": self.file.filename,
                "content_type": self.file.content_type,
            }
        data["mentions"] = [
            {"member_id": m.member_id, "display_name": m.display_name, "accounts": dict(m.accounts)}
            for m in self.mentions
        ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reply:
        image = data.get("image")
        select = data.get("select")
        return cls(
            text=data.get("text", ""),
            title=data.get("title"),
            fields=tuple(Field(**f) for f in data.get("fields", ())),
            buttons=tuple(
                Button(
                    label=b["label"],
                    action_id=b.get("action_id", ""),
                    style=ButtonStyle(b.get("style", "secondary")),
                    url=b.get("url"),
                    emoji=b.get("emoji"),
                )
                for b in data.get("buttons", ())
            ),
            select=Select(
                action_id=select["action_id"],
                options=tuple(SelectOption(**o) for o in select["options"]),
                placeholder=select.get("placeholder", "Choose…"),
            )
            if select
            else None,
            image=Image(base64.b64decode(image["data"]), image["filename"], image.get("alt", ""))
            if image
            else None,
            file=Attachment(
                base64.b64decode(data["file"]["data"]),
                data["file"]["filename"],
                data["file"].get("content_type", "application/octet-stream"),
            )
            if data.get("file")
            else None,
            footer=data.get("footer"),
            tone=Tone(data.get("tone", "info")),
            ephemeral=data.get("ephemeral"),
            mentions=tuple(
                Mention(m["member_id"], m["display_name"], dict(m.get("accounts", {})))
                for m in data.get("mentions", ())
            ),
            ping=bool(data.get("ping", False)),
            anchor=data.get("anchor"),
            replayed=bool(data.get("replayed", False)),
        )


def render_mentions(text: str, mentions: tuple[Mention, ...], render: Any) -> str:
    """Replace mention tokens; tokens of members not in `mentions` become plain text.

    `render(mention) -> str` gives the platform's form. A token typed by a
    member into a title names nobody, so it cannot be used to ping anyone.
    """
    known = {m.member_id: m for m in mentions}

    def sub(match: re.Match[str]) -> str:
        m = known.get(int(match.group(1)))
        return render(m) if m is not None else "@unknown"

    return MENTION_TOKEN.sub(sub, text)
