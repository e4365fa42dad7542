"""Replies and commands as HTML pieces: the dashboard is one more adapter of the same cogs.

Member-written text is escaped first and only then given the small markdown
subset replies use, so nothing a member types can become markup.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from cogs.kit import Command, OptionType, Reply
from cogs.kit.reply import MENTION_TOKEN

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+?)`")
_ITALIC = re.compile(r"(?<![\w*])_(.+?)_(?![\w*])")


def rich(text: str, reply: Reply | None = None) -> Markup:
    """Escape `text`, then render **bold**, `code`, _italic_, mentions and line breaks."""
    names = {m.member_id: m.display_name for m in reply.mentions} if reply else {}
    safe = str(escape(text))
    # Mention tokens were escaped too: "<@m:3>" is now "&lt;@m:3&gt;".
    safe = re.sub(
        r"&lt;@m:(\d+)&gt;",
        lambda m: "@" + str(escape(names.get(int(m.group(1)), "member"))),
        safe,
    )
    safe = _BOLD.sub(r"<strong>\1</strong>", safe)
    safe = _CODE.sub(r"<code>\1</code>", safe)
    safe = _ITALIC.sub(r"<em>\1</em>", safe)
    return Markup(safe.replace("\n", "<br>"))


def plain(text: str, reply: Reply | None = None) -> str:
    """`text` without markup, mentions as names (for titles)."""
    names = {m.member_id: m.display_name for m in reply.mentions} if reply else {}
    text = MENTION_TOKEN.sub(lambda m: "@" + names.get(int(m.group(1)), "member"), text)
    return text.replace("**", "").replace("`", "")


def image_src(reply: Reply) -> str | None:
    """A data: URI for the reply's picture (the CSP allows data: images only)."""
    if reply.image is None:
        return None
    return "data:image/png;base64," + base64.b64encode(reply.image.data).decode()


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a command form."""

    name: str
    label: str
    kind: str  # text, textarea, number, select, member, checkbox
    required: bool
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    maxlength: int | None = None
    value: str = ""


@dataclass(frozen=True, slots=True)
class CommandForm:
    """A moderator command offered as a form."""

    command: str
    title: str
    fields: tuple[FormField, ...]


_KINDS = {
    OptionType.INTEGER: "number",
    OptionType.BOOLEAN: "select",
    OptionType.MEMBER: "member",
    OptionType.CHOICE: "select",
}


def command_form(command: Command, fixed: dict[str, str] | None = None) -> CommandForm:
    """The form for `command`; options in `fixed` become hidden, pre-set fields."""
    fixed = fixed or {}
    fields = []
    for option in command.options:
        kind = "textarea" if option.long else _KINDS.get(option.type, "text")
        if option.name in fixed:
            kind = "hidden"
        choices = option.choices
        if option.type is OptionType.BOOLEAN:
            choices = ("yes", "no")
        fields.append(
            FormField(
                name=option.name,
                label=option.description,
                kind=kind,
                required=option.required,
                choices=choices,
                min=option.min_value,
                max=option.max_value,
                maxlength=option.max_length,
                value=fixed.get(option.name, ""),
            )
        )
    return CommandForm(command.name, command.description, tuple(fields))
