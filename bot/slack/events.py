"""Slack events: reactions (votes on cards), DMs and @mentions, and the App Home tab.

Each is acknowledged at once; a retried event (X-Slack-Retry-Num) is dropped
by a cheap in-process filter and, failing that, by the runner's invocation log.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.slack.blocks import render
from bot.slack.core import SlackCore, Where
from bot.slack.emoji import from_slack
from cogs.kit import Actor, Invocation, Place
from domain.identity import Platform

log = logging.getLogger(__name__)


class SlackEvents(SlackCore):
    """The events half of the adapter: reactions, direct messages, App Home."""

    # -- reactions ------------------------------------------------------------------------

    async def _on_reaction(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        await ack()
        if not self._first_time(body.get("event_id")):
            return
        ctx = dict(context)
        user_id = str(event.get("user") or "")
        if not user_id or event.get("bot_id") or user_id == ctx.get("bot_user_id"):
            return  # bots (and our own seed reactions) never vote
        item = event.get("item") or {}
        if item.get("type") != "message" or not item.get("channel") or not item.get("ts"):
            return
        self._spawn(self._handle_reaction(body, event, item, ctx), "reaction")

    def _rule_emoji(self, name: str) -> str:
        """The emoji as a reaction rule declares it ("👍" for "+1"; variation selectors aside)."""
        emoji = from_slack(name)
        bare = emoji.replace("\ufe0f", "")
        for rule in self.registry.reactions:
            for declared in rule.emojis:
                if declared.replace("\ufe0f", "") == bare:
                    return declared
        return emoji

    async def _handle_reaction(
        self,
        body: dict[str, Any],
        event: dict[str, Any],
        item: dict[str, Any],
        context: dict[str, Any],
    ) -> None:
        workspace = self.workspace_of(context)
        user_id = str(event["user"])
        actor = await self._actor(workspace, user_id)
        if actor.is_bot:
            return
        inv = Invocation(
            actor=actor,
            key=f"evt:{body.get('event_id') or event.get('event_ts')}",
            place=Place(channel_id=str(item["channel"]), message_id=str(item["ts"])),
            reaction=self._rule_emoji(str(event.get("reaction", ""))),
            reaction_added=event.get("type") == "reaction_added",
            community_name=self.options.community_name,
        )
        reply = await self.runner.dispatch(inv)
        if reply is not None and not reply.replayed:
            await self._send(reply, Where(workspace, user_id, str(item["channel"])))

    # -- DMs and mentions: the command a feature named (cogs.kit.Cog.dm_command) ---------

    async def _on_message(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        await ack()  # Slack: acknowledge first, then post the answer when it is ready
        ctx = dict(context)
        user_id = str(event.get("user") or "")
        is_dm = event.get("type") == "message" and event.get("channel_type") == "im"
        if event.get("type") == "message" and not is_dm:
            return  # channel chatter is not for us; only an @mention is
        if event.get("subtype") or event.get("bot_id") or not user_id:
            return  # edits, joins and bots (ourselves included) are not questions
        if user_id == ctx.get("bot_user_id") or not self._first_time(body.get("event_id")):
            return
        self._spawn(self._handle_message(body, event, ctx, is_dm), "direct message")

    async def _handle_message(
        self, body: dict[str, Any], event: dict[str, Any], context: dict[str, Any], is_dm: bool
    ) -> None:
        workspace = self.workspace_of(context)
        user_id, channel = str(event["user"]), str(event.get("channel") or "")
        actor = await self._actor(workspace, user_id)
        text = str(event.get("text") or "")
        if not is_dm:  # "<@UBOT> how do streaks work?": the question is what follows us
            text = text.replace(f"<@{context.get('bot_user_id')}>", "", 1)
        text = text.strip()
        inv = Invocation(
            actor=actor,
            key=f"evt:{body.get('event_id') or event.get('event_ts')}",
            place=Place(channel_id=channel, thread_id=event.get("thread_ts"), is_dm=is_dm),
            command=self.registry.dm_command,
            text=await self._named_mentions(text),
            community_name=self.options.community_name,
        )
        reply = await self.runner.dispatch(inv)
        if reply is not None and is_dm:
            reply = reply.with_(ephemeral=False)  # a DM is already private
        await self._send(reply, Where(workspace, user_id, channel))

    # -- App Home -------------------------------------------------------------------------

    async def _on_home_opened(self, ack: Any, event: dict[str, Any], context: Any) -> None:
        await ack()
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        self._spawn(self.publish_home(self.workspace_of(dict(context)), str(event["user"])), "home")

    async def publish_home(self, workspace_id: str, user_id: str) -> None:
        """Render the "home" view a feature declares as this user's App Home tab."""
        actor = Actor(Platform.SLACK, workspace_id, user_id, user_id)
        reply = await self.runner.view("home", Invocation(actor=actor, key=""))
        if reply is None:
            return
        view = {"type": "home", "blocks": render(self._prefixed(reply)).blocks}
        await self.client.views_publish(user_id=user_id, view=view)
