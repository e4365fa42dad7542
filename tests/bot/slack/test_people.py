"""Who a Slack user is: names and moderators from users.info, cached briefly."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.people import People
from tests.fakes.slack_api import FakeSlackApi


async def test_admins_owners_and_listed_users_moderate_and_lookups_are_cached() -> None:
    api = await FakeSlackApi().start()
    try:
        api.add_user("UADMIN", "Mia", admin=True)
        api.add_user("UOWNER", "Olu", owner=True)
        api.add_user("U1", "Ana")
        now = [0.0]
        people = People(
            AsyncWebClient(token="xoxb", base_url=api.api_url),
            frozenset({"ULISTED"}),
            ttl=300,
            monotonic=lambda: now[0],
        )
        assert (await people.get("UADMIN")).is_moderator
        assert (await people.get("UOWNER")).is_moderator
        ana = await people.get("U1")
        assert ana.display_name == "Ana" and not ana.is_moderator
        # Unknown to users.info (or Slack unreachable): the request's name, the list decides.
        listed = await people.get("ULISTED", "lee")
        assert listed.display_name == "lee" and listed.is_moderator

        api.add_user("U1", "Ana", admin=True)  # promoted
        assert not (await people.get("U1")).is_moderator  # still cached
        assert len(api.called("users.info")) == 4
        now[0] = 301.0
        assert (await people.get("U1")).is_moderator  # seen after the cache expires
    finally:
        await api.close()
