"""Render a `Reply` as Block Kit plus fallback text.

Everything a member typed may end up here (a proposal title, a gift reason),
so every piece of text is escaped (`&`, `<`, `>`) before our own markup is
added: `<!channel>`, `<!here>`, `<!everyone>` and `<@U…>` typed by a member
arrive as harmless text. Real mentions come only from the reply's mention
tokens, for members who have a Slack account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.slack import messages as _words  # noqa: F401  (registers the words)
from cogs.kit import messages
from cogs.kit.reply import MENTION_TOKEN, Button, ButtonStyle, Field, Mention, Reply, Tone

# Slack limits (https://api.slack.com/reference/block-kit/blocks).
HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
FIELDS_PER_SECTION = 10
BUTTON_LABEL_MAX = 75
OPTION_TEXT_MAX = 75
OPTIONS_MAX = 100
ACTION_ID_MAX = 255
FALLBACK_MAX = 3000
CONTEXT_MAX = 2000

_SYMBOL = {Tone.INFO: "", Tone.SUCCESS: "✅ ", Tone.WARNING: "⚠️ ", Tone.ERROR: "❌ "}
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
# Words Slack may turn into broadcasts when a client or workflow re-posts text with
# link_names; a word joiner keeps them readable but inert.
_BROADCAST_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_OPEN, _CLOSE = "\ue000", "\ue001"
_HELD = re.compile("\ue000(\\d+)\ue001")
_SLACK_STYLE: dict[ButtonStyle, str] = {
    ButtonStyle.PRIMARY: "primary",
    ButtonStyle.SUCCESS: "primary",
    ButtonStyle.DANGER: "danger",
}


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What chat.postMessage, respond and chat.update take."""

    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Escape Slack's control characters so member text is shown, never interpreted."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST_WORDS.sub("@\u2060\\1", text)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mention(m: Mention | None, *, link: bool, markup: bool) -> str:
    user_id = m.accounts.get("slack") if m is not None else None
    if link and user_id and re.fullmatch(r"[A-Z0-9]+", user_id):
        return f"<@{user_id}>"
    name = f"@{escape(m.display_name)}" if m is not None else "@unknown"
    return f"*{name}*" if markup else name


def mrkdwn(
    text: str, mentions: tuple[Mention, ...] = (), *, link: bool = True, markup: bool = True
) -> str:
    """Our markdown subset → Slack mrkdwn, escaping member text and placing mentions.

    `link=False` writes mentions as names (replies that must not notify);
    `markup=False` drops our markup too (plain_text objects, bold field names).
    """
    known = {m.member_id: m for m in mentions}
    # Mentions are swapped for private-use placeholders while the member's text is
    # escaped and marked up, so bold may span a mention ("**<@m:7>**").
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    rendered: list[str] = []

    def hold(match: re.Match[str]) -> str:
        rendered.append(_mention(known.get(int(match.group(1))), link=link, markup=markup))
        return f"{_OPEN}{len(rendered) - 1}{_CLOSE}"

    out = escape(MENTION_TOKEN.sub(hold, text))
    out = _BOLD.sub(r"*\1*", out) if markup else out.replace("**", "")
    return _HELD.sub(lambda m: rendered[int(m.group(1))], out)


def plain(text: str, mentions: tuple[Mention, ...] = ()) -> str:
    """Text for plain_text objects: no markup, mentions as names."""
    return mrkdwn(text, mentions, link=False, markup=False)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _truncate(text, SECTION_MAX)}}


def _sections(text: str, most: int = 10) -> list[dict[str, Any]]:
    """Long text (a /help list) as several sections, split between lines.

    Slack caps one section's text at 3000 characters; cutting there would drop
    whatever comes last, so whole lines go on into the next section.
    """
    chunks: list[str] = []
    for line in text.split("\n"):
        if chunks and len(chunks[-1]) + 1 + len(line) <= SECTION_MAX:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return [_section(c) for c in chunks[:most]]


def _field_text(f: Field, m: tuple[Mention, ...], link: bool) -> str:
    return f"*{mrkdwn(f.name, m, link=False, markup=False)}*\n{mrkdwn(f.value, m, link=link)}"


def _button(
    button: Button, index: int, seen: set[str], mentions: tuple[Mention, ...]
) -> dict[str, Any]:
    label = (button.emoji + " " if button.emoji else "") + plain(button.label, mentions)
    # Slack wants action ids unique within a message: a repeated id gets a suffix,
    # and the real id always travels in `value`.
    action_id = (button.action_id or f"link:{index}")[:ACTION_ID_MAX]
    if action_id in seen:
        action_id = f"{action_id[: ACTION_ID_MAX - 8]}~{index}"
    seen.add(action_id)
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": _truncate(label, BUTTON_LABEL_MAX), "emoji": True},
        "action_id": action_id,
    }
    if button.url:
        element["url"] = button.url
    else:
        element["value"] = button.action_id[:2000]
    style = _SLACK_STYLE.get(button.style)
    if style:
        element["style"] = style
    return element


def render(reply: Reply, *, note: str | None = None) -> SlackMessage:
    """Block Kit for `reply` (images and files are uploaded next to it by the adapter).

    Mentions become real `<@U…>` mentions only when the reply may notify
    (`ping`) or nobody else sees it (ephemeral); otherwise they are bold names,
    because Slack has no silent mention.
    """
    link = bool(reply.ping or reply.ephemeral)
    m = reply.mentions
    blocks: list[dict[str, Any]] = []
    symbol = _SYMBOL[reply.tone]
    if reply.title:
        blocks.append(
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": _truncate(symbol + plain(reply.title, m), HEADER_MAX),
                    "emoji": True,
                },
            }
        )
        if reply.text:
            blocks.extend(_sections(mrkdwn(reply.text, m, link=link)))
    elif reply.text:
        blocks.extend(_sections(symbol + mrkdwn(reply.text, m, link=link)))

    inline = [f for f in reply.fields if f.inline]
    for start in range(0, len(inline), FIELDS_PER_SECTION):
        chunk = inline[start : start + FIELDS_PER_SECTION]
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {
                        "type": "mrkdwn",
                        "text": _truncate(_field_text(f, m, link), FIELD_MAX),
                    }
                    for f in chunk
                ],
            }
        )
    for f in (f for f in reply.fields if not f.inline):
        blocks.append(_section(_field_text(f, m, link)))

    elements: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, button in enumerate(reply.buttons[:25]):
        elements.append(_button(button, index, seen, m))
    if reply.select is not None and reply.select.options:
        elements.append(
            {
                "type": "static_select",
                "action_id": reply.select.action_id[:ACTION_ID_MAX],
                "placeholder": {
                    "type": "plain_text",
                    "text": _truncate(plain(reply.select.placeholder), 150),
                },
                "options": [
                    {
                        "text": {
                            "type": "plain_text",
                            "text": _truncate(plain(o.label, m), OPTION_TEXT_MAX),
                        },
                        "value": o.value[:150],
                        **(
                            {
                                "description": {
                                    "type": "plain_text",
                                    "text": _truncate(plain(o.description, m), OPTION_TEXT_MAX),
                                }
                            }
                            if o.description
                            else {}
                        ),
                    }
                    for o in reply.select.options[:OPTIONS_MAX]
                ],
            }
        )
    if elements:
        blocks.append({"type": "actions", "elements": elements})

    context: list[str] = []
    if reply.footer:
        context.append(mrkdwn(reply.footer, m, link=False))
    if reply.replayed:
        context.append(escape(messages.text("slack.replayed")))
    if note:
        context.append(escape(note))
    if context:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": _truncate(c, CONTEXT_MAX)} for c in context
                ],
            }
        )
    return SlackMessage(text=fallback(reply, link=link), blocks=blocks)


def fallback(reply: Reply, *, link: bool = False) -> str:
    """The notification and screen-reader text: title and body, escaped like the blocks."""
    parts = [mrkdwn(part, reply.mentions, link=link) for part in (reply.title, reply.text) if part]
    if not parts:
        parts = [mrkdwn(f"{f.name}: {f.value}", reply.mentions, link=False) for f in reply.fields]
    text = _SYMBOL[reply.tone] + "\n".join(parts)
    return _truncate(text.strip() or "Guildhall", FALLBACK_MAX)


def files_of(reply: Reply) -> list[tuple[bytes, str, str]]:
    """(bytes, file name, title) of the reply's picture and file, for the files API."""
    out: list[tuple[bytes, str, str]] = []
    if reply.image is not None:
        out.append(
            (reply.image.data, reply.image.filename, reply.image.alt or reply.image.filename)
        )
    if reply.file is not None:
        out.append((reply.file.data, reply.file.filename, reply.file.filename))
    return out
