"""Render a `Reply` as plain terminal text."""

from __future__ import annotations

import re

from cogs.kit.reply import Mention, Reply, Tone, render_mentions, render_timestamps

_SYMBOL = {Tone.INFO: "", Tone.SUCCESS: "✔ ", Tone.WARNING: "⚠ ", Tone.ERROR: "✖ "}
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`\n]+)`")


def _plain(text: str, mentions: tuple[Mention, ...]) -> str:
    text = render_timestamps(text, lambda _at, _style, fallback: fallback)
    text = render_mentions(text, mentions, lambda m: f"@{m.display_name}")
    # A terminal shows markup as typed: bold and `code` marks would be noise.
    return _CODE.sub(r"\1", _BOLD.sub(r"\1", text))


def render(reply: Reply) -> str:
    """Readable text: title, body, fields, buttons numbered for `/press N`, footer."""
    lines: list[str] = []
    if reply.title:
        lines.append(f"{_SYMBOL[reply.tone]}{_plain(reply.title, reply.mentions)}")
        lines.append("─" * min(len(reply.title) + 2, 60))
        if reply.text:
            lines.append(_plain(reply.text, reply.mentions))
    elif reply.text:
        lines.append(f"{_SYMBOL[reply.tone]}{_plain(reply.text, reply.mentions)}")
    for field in reply.fields:
        name, value = _plain(field.name, reply.mentions), _plain(field.value, reply.mentions)
        if "\n" in value:  # a list (achievements, history): one indented line per item
            lines.append(f"  {name}:")
            lines.extend(f"    {line}" for line in value.splitlines())
        else:
            lines.append(f"  {name}: {value}")
    if reply.image is not None:
        lines.append(f"  [image: {reply.image.filename}, {len(reply.image.data)} bytes]")
    if reply.file is not None:
        lines.append(f"  [file: {reply.file.filename}, {len(reply.file.data)} bytes]")
    if reply.buttons:
        shown = "  ".join(
            f"[{i}] {b.emoji + ' ' if b.emoji else ''}{b.label}"
            for i, b in enumerate(reply.buttons, 1)
        )
        lines.append(f"  {shown}   (/press N)")
    if reply.select is not None:
        choices = ", ".join(f"{o.value}" for o in reply.select.options)
        lines.append(f"  {reply.select.placeholder} {choices}   (/choose VALUE)")
    if reply.footer:
        lines.append("  " + _plain(reply.footer, reply.mentions).replace("\n", "\n  "))
    if reply.ephemeral:
        lines.append("  (only you can see this)")
    if reply.replayed:
        lines.append("  (already done — this is the earlier answer)")
    return "\n".join(lines)
