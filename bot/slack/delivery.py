"""Deliver outbox announcements to Slack (the `bot.delivery.Deliverer` contract).

Channel posts go by channel id, or by the configured channel name looked up
with conversations.list (cached briefly); DMs open a conversation first;
EDIT replaces anchored messages with chat.update. Failures are sorted for
the outbox: a rate limit or an outage is `RetryLater` (honouring
Retry-After), a missing channel or permission is `CannotDeliver`.

Effectively once: every post carries the announcement's key in Slack message
metadata (`event_type` "guildhall_outbox"). Slack has no idempotency key, so a
crash after chat.postMessage and before the outbox recorded its ts would post
twice on retry; instead, a delivery that may have been sent (`Delivery.since`)
first reads the channel's history since that claim (a bounded window) and
returns the message it finds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import CannotDeliver, Delivery, RetryLater
from bot.slack.blocks import SlackMessage, files_of, render
from domain.core.announcements import Target
from domain.identity import Platform

log = logging.getLogger(__name__)

# Slack errors worth trying again later; anything else will not fix itself.
_TRANSIENT = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}
_DEFAULT_RETRY_AFTER = timedelta(seconds=30)
METADATA_EVENT = "guildhall_outbox"
# How far before the first claim to look (our clock against Slack's), and how much.
LOOKBACK_MARGIN = timedelta(minutes=5)
HISTORY_PAGE = 200
HISTORY_PAGES = 5
# A history we may not read: post again (it may double) rather than never post.
_UNREADABLE = {"not_in_channel", "missing_scope", "channel_not_found"}


class SlackDeliverer:
    """Send `Delivery`s with the bot token's Web API client."""

    platform = Platform.SLACK

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        channel_cache_ttl: float = 600.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self._ttl = channel_cache_ttl
        self._now = monotonic
        self._channels: dict[str, str] = {}
        self._channels_at: float | None = None

    async def deliver(self, delivery: Delivery) -> str | None:
        """Send it; return "channel_id:ts" for channel posts, None for DMs and edits.

        Raises:
            RetryLater: Slack rate-limited us (after = Retry-After) or is having trouble.
            CannotDeliver: no such channel, the bot is not in it, or the message is gone.
        """
        message = render(delivery.reply)
        try:
            match delivery.target:
                case Target.CHANNEL:
                    channel = delivery.channel_id or await self._channel_named(
                        delivery.channel_name
                    )
                    return await self._post(channel, message, delivery)
                case Target.DM:
                    if not delivery.user_id:
                        raise CannotDeliver("a DM without a Slack user id")
                    opened = await self.client.conversations_open(users=delivery.user_id)
                    await self._post(str(opened["channel"]["id"]), message, delivery)
                    return None
                case Target.EDIT:
                    await self._edit(delivery, message)
                    return None
        except SlackApiError as err:
            raise _classify(err) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            raise RetryLater(f"slack unreachable: {type(err).__name__}") from None
        raise CannotDeliver(f"unknown target {delivery.target}")  # pragma: no cover

    async def _post(self, channel: str, message: SlackMessage, delivery: Delivery) -> str:
        if delivery.since is not None:
            earlier = await self._posted_before(channel, delivery)
            if earlier is not None:
                log.info("outbox %s: already posted as %s", delivery.outbox_id, earlier)
                return earlier
        posted = await self.client.chat_postMessage(
            channel=channel, metadata=metadata_for(delivery), **message.as_kwargs()
        )
        channel_id = str(posted.get("channel") or channel)
        for data, filename, title in files_of(delivery.reply):
            await self.client.files_upload_v2(
                channel=channel_id, content=data, filename=filename, title=title
            )
        return f"{channel_id}:{posted['ts']}"

    async def _posted_before(self, channel: str, delivery: Delivery) -> str | None:
        """The "channel:ts" of this delivery's earlier post, if history since its claim has it."""
        assert delivery.since is not None
        oldest = f"{(delivery.since - LOOKBACK_MARGIN).timestamp():.6f}"
        cursor: str | None = None
        try:
            for _ in range(HISTORY_PAGES):
                page = await self.client.conversations_history(
                    channel=channel,
                    oldest=oldest,
                    limit=HISTORY_PAGE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                for m in page.get("messages") or ():
                    if _carries(m, delivery):
                        return f"{page.get('channel') or channel}:{m['ts']}"
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return None
        except SlackApiError as err:
            if _error_of(err) not in _UNREADABLE:
                raise
            log.warning(
                "outbox %s: cannot read the history of %s (%s) to look for an earlier post;"
                " posting again",
                delivery.outbox_id,
                channel,
                _error_of(err),
            )
            return None
        log.warning(
            "outbox %s: no earlier post in the last %d messages of %s; posting",
            delivery.outbox_id,
            HISTORY_PAGE * HISTORY_PAGES,
            channel,
        )
        return None

    async def _edit(self, delivery: Delivery, message: SlackMessage) -> None:
        if not delivery.message_ids:
            raise CannotDeliver("nothing to edit: the card was never posted on Slack")
        gone = 0
        for channel_id, ts in delivery.message_ids:
            try:
                await self.client.chat_update(channel=channel_id, ts=ts, **message.as_kwargs())
            except SlackApiError as err:
                if _error_of(err) in ("message_not_found", "cant_update_message"):
                    gone += 1  # deleted by someone: the other copies still get the update
                    continue
                raise
        if gone == len(delivery.message_ids):
            raise CannotDeliver("every copy of the card was deleted")

    async def _channel_named(self, name: str | None) -> str:
        if not name:
            raise CannotDeliver("no channel configured for this announcement")
        wanted = name.lstrip("#").lower()
        fresh = self._channels_at is not None and self._now() - self._channels_at < self._ttl
        if not fresh or wanted not in self._channels:
            await self._load_channels()
        try:
            return self._channels[wanted]
        except KeyError:
            raise CannotDeliver(f"no Slack channel named #{wanted} that the bot can see") from None

    async def _load_channels(self) -> None:
        channels: dict[str, str] = {}
        cursor: str | None = None
        while True:
            page = await self.client.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=1000,
                cursor=cursor,
            )
            for c in page.get("channels") or ():
                channels[str(c["name"]).lower()] = str(c["id"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        self._channels = channels
        self._channels_at = self._now()


def metadata_for(delivery: Delivery) -> dict[str, Any]:
    """The message metadata that names the announcement a post delivers."""
    return {"event_type": METADATA_EVENT, "event_payload": {"key": delivery.key}}


def _carries(message: dict[str, Any], delivery: Delivery) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return bool(meta.get("event_type") == METADATA_EVENT and payload.get("key") == delivery.key)


def _error_of(err: SlackApiError) -> str:
    try:
        return str(err.response.get("error") or "")
    except Exception:  # pragma: no cover - a response without a JSON body
        return ""


def _classify(err: SlackApiError) -> Exception:
    status = getattr(err.response, "status_code", 200)
    code = _error_of(err)
    if status == 429 or code == "ratelimited":
        after = _DEFAULT_RETRY_AFTER
        headers = getattr(err.response, "headers", None) or {}
        raw = headers.get("Retry-After") or headers.get("retry-after")
        if raw is not None and str(raw).strip().isascii() and str(raw).strip().isdigit():
            after = timedelta(seconds=int(str(raw).strip()))
        return RetryLater("slack rate limit", after=after)
    if status >= 500 or code in _TRANSIENT:
        return RetryLater(f"slack error {code or status}")
    log.warning("slack: delivery refused: %s", code or status)
    return CannotDeliver(f"slack refused: {code or status}")
