"""`user_change` with `deleted`: a member was deactivated in the Slack workspace.

Slack has no "member left" event for a workspace: deactivating an account
sends `user_change` with `user.deleted` set. What happens to the member's
data is the community's choice, `[mydata] on_member_left`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cogs.mydata.departures import member_left
from domain.identity import Platform

if TYPE_CHECKING:
    from bot.slack.adapter import SlackAdapter


def register(adapter: SlackAdapter) -> None:
    """Route `user_change` to the departure hook when the data-rights feature is loaded."""

    async def on_user_change(
        ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        await ack()  # Slack: acknowledge first, or it retries the event
        user = event.get("user") or {}
        if not user.get("deleted") or user.get("is_bot") or not user.get("id"):
            return  # a profile edit, not a departure
        if not adapter._first_time(body.get("event_id")):
            return
        workspace = adapter.workspace_of(dict(context))
        adapter._spawn(_left(adapter, workspace, str(user["id"])), "member deactivated")

    adapter.bolt.event("user_change")(on_user_change)


async def _left(adapter: SlackAdapter, workspace_id: str, user_id: str) -> None:
    await member_left(adapter.runner.ctx, Platform.SLACK, workspace_id, user_id)
