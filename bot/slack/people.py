"""Who a Slack user is: display name, moderator, bot — from users.info, cached briefly.

Moderators are workspace admins and owners, or the user ids listed in
SLACK_MODERATORS. The cache is only a saving of API calls (Slack: users.info
is Tier 4, ~100/min): a promotion or demotion shows within `ttl`, and a
failed look-up falls back to what the request itself says.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SlackPerson:
    """A Slack user as we need them: id, display name, moderator and bot flags."""

    user_id: str
    display_name: str
    is_moderator: bool
    is_bot: bool = False


class People:
    """users.info with a short cache and the configured moderator list."""

    def __init__(
        self,
        client: AsyncWebClient,
        moderators: frozenset[str] = frozenset(),
        *,
        ttl: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
        max_entries: int = 5000,
    ) -> None:
        self._client = client
        self._moderators = moderators
        self._ttl = ttl
        self._now = monotonic
        self._max = max_entries
        self._cache: dict[str, tuple[float, SlackPerson]] = {}

    async def get(self, user_id: str, fallback_name: str | None = None) -> SlackPerson:
        """The person behind `user_id`; never raises (Slack being slow must not block a vote)."""
        hit = self._cache.get(user_id)
        if hit is not None and self._now() - hit[0] < self._ttl:
            return hit[1]
        person = await self._look_up(user_id, fallback_name)
        if len(self._cache) >= self._max:
            self._cache.clear()
        self._cache[user_id] = (self._now(), person)
        return person

    async def _look_up(self, user_id: str, fallback_name: str | None) -> SlackPerson:
        listed = user_id in self._moderators
        try:
            response = await self._client.users_info(user=user_id)
        except (SlackApiError, OSError, TimeoutError) as err:
            log.warning("users.info failed for a user: %s", type(err).__name__)
            return SlackPerson(user_id, fallback_name or user_id, listed)
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or fallback_name
            or user_id
        )
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        return SlackPerson(
            user_id,
            str(name)[:64],
            listed or admin,
            is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
        )
