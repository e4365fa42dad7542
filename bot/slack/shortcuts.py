"""Slack's message shortcut "Report message": the same report as a typed /report.

A member opens a message's "More actions" menu → Report message. Slack sends a
`message_action` with the message; the shortcut runs the registry's `/report`
through the runner with the message's author as the member and its words and
link as the reason, so every rule of the typed command applies (no
self-reports, rate limits, the moderators' card, the reporter kept secret).
The manifest declares the shortcut (bot/slack/manifest.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cogs.kit import Invocation, Place, Registry, Reply, Tone
from cogs.kit.messages import text
from cogs.kit.options import MemberRef
from cogs.moderation.reports import message_reason

if TYPE_CHECKING:
    from bot.slack.adapter import SlackAdapter

REPORT_CALLBACK = "report_message"
REPORT_COMMAND = "report"


def manifest_shortcuts(registry: Registry) -> list[dict[str, str]]:
    """The manifest's `features.shortcuts`: the message shortcuts this registry serves."""
    if registry.command(REPORT_COMMAND) is None:
        return []
    return [
        {
            "name": text("moderation.report_menu"),
            "type": "message",
            "callback_id": REPORT_CALLBACK,
            "description": text("moderation.report_menu_help"),
        }
    ]


def register(adapter: SlackAdapter) -> None:
    """Route the "Report message" shortcut when the registry has /report."""
    if adapter.registry.command(REPORT_COMMAND) is None:
        return

    async def on_shortcut(ack: Any, body: dict[str, Any], context: Any, respond: Any) -> None:
        await ack()  # Slack: 3 s to acknowledge; the report is filed after
        respond = respond if body.get("response_url") else None
        adapter._spawn(_report(adapter, body, dict(context), respond), "message shortcut", respond)

    adapter.bolt.shortcut(REPORT_CALLBACK)(on_shortcut)


async def _report(
    adapter: SlackAdapter, body: dict[str, Any], context: dict[str, Any], respond: Any
) -> None:
    from bot.slack.core import Where

    workspace = adapter.workspace_of(context)
    user = body.get("user") or {}
    user_id = str(user.get("id") or "")
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id")
    where = Where(workspace, user_id, channel, respond)
    author = str(message.get("user") or "")
    if not author or message.get("bot_id"):
        refusal = Reply(text=text("moderation.report_bot"), tone=Tone.WARNING, ephemeral=True)
        await adapter._send(refusal, where)
        return
    subject = await adapter.people.get(author)
    inv = Invocation(
        actor=await adapter._actor(workspace, user_id, user.get("name")),
        key=f"shortcut:{body.get('trigger_id') or body.get('action_ts')}",
        place=Place(channel_id=channel, message_id=message.get("ts")),
        command=REPORT_COMMAND,
        options={
            "member": MemberRef(author, subject.display_name, vouched=True),
            "reason": message_reason(
                str(message.get("text") or ""),
                await _permalink(adapter, channel, message.get("ts")),
            ),
        },
        community_name=adapter.options.community_name,
    )
    await adapter._send(await adapter.runner.dispatch(inv), where)


async def _permalink(adapter: SlackAdapter, channel: str | None, ts: str | None) -> str:
    """A link the moderators can open; the channel when Slack gives none."""
    if channel and ts:
        try:
            found = await adapter.client.chat_getPermalink(channel=channel, message_ts=ts)
        except Exception:  # the link is a convenience; the report is filed without it
            found = None
        if found is not None and found.get("permalink"):
            return str(found["permalink"])
    return f"<#{channel}>" if channel else "?"
