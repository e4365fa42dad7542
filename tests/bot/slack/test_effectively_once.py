"""Slack announcements effectively once: a crash after posting never posts twice on retry.

Slack has no idempotency key, so the deliverer tags every post with message
metadata naming the announcement and, when a claim ran out before the outcome
was recorded, reads the channel's history since that claim before posting
again. Here the real outbox deliverer sends with the real `slack_sdk` client to
the loopback fake; the "crash" is the deliverer cancelled after Slack posted
the message but before its answer came back.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import App
from bot.scheduler import OutboxDeliverer
from bot.slack.delivery import HISTORY_PAGE, METADATA_EVENT, SlackDeliverer
from cogs.kit import Reply
from domain.core.announcements import Announcement, Target
from domain.core.clock import FixedClock
from domain.identity import IdentityRepository, Platform
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

GENERAL = "C0GENERAL"


@pytest.fixture
async def api(clock: FixedClock) -> AsyncIterator[FakeSlackApi]:
    fake = await FakeSlackApi(clock=lambda: clock.now().timestamp()).start()
    fake.channels = {"general": GENERAL}
    fake.add_user("U1", "alice")
    try:
        yield fake
    finally:
        await fake.close()


def slack_deliverer(api: FakeSlackApi) -> SlackDeliverer:
    return SlackDeliverer(AsyncWebClient(token="xoxb-test", base_url=api.api_url, timeout=5))


def outbox(app: App, clock: FixedClock, api: FakeSlackApi, worker: str) -> OutboxDeliverer:
    return OutboxDeliverer(app.uow, app.config, clock, [slack_deliverer(api)], worker=worker)


async def announce(
    app: App, clock: FixedClock, *keys: str, target: Target = Target.CHANNEL
) -> None:
    """Announcements for the Slack workspace's community (a DM goes to alice)."""
    async with app.uow() as uow:
        people = uow.get(IdentityRepository)
        community = await people.community_for_workspace(Platform.SLACK, TEAM_ID)
        if community is None:
            community = await people.create_community(
                Platform.SLACK, TEAM_ID, "Test", "UTC", clock.now()
            )
        alice = await people.enrol(
            community.id, Platform.SLACK, TEAM_ID, "U1", "alice", clock.now()
        )
        for key in keys:
            uow.announce(
                Announcement(
                    community_id=community.id,
                    kind="news",
                    dedupe_key=key,
                    payload=Reply(text=f"news {key}").to_dict(),
                    target=target,
                    member_id=alice.id if target is Target.DM else None,
                )
            )
        await uow.commit()


async def recorded(app: App) -> list[tuple[str, str | None]]:
    async with app.uow(read_only=True) as uow:
        rows = await uow.connection.exec_driver_sql(  # type: ignore[attr-defined]
            "SELECT o.status, d.message FROM outbox o"
            " LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id ORDER BY o.id"
        )
        return [tuple(r) for r in rows]


async def crash_after_slack_posted(deliverer: OutboxDeliverer, api: FakeSlackApi) -> None:
    """Run a pass; kill it once Slack has posted the message but before we hear back."""
    release = api.stall("chat.postMessage")
    attempt = asyncio.create_task(deliverer.run_once())
    await asyncio.wait_for(api.stalled["chat.postMessage"].wait(), 10)
    attempt.cancel()  # the process dies here: the ts is never recorded
    with contextlib.suppress(asyncio.CancelledError):
        await attempt
    release.set()


def posts_of(api: FakeSlackApi, text: str) -> list[dict[str, object]]:
    return [c for c in api.called("chat.postMessage") if text in str(c.get("text"))]


async def test_every_post_carries_its_announcement_key_and_a_first_try_reads_no_history(
    app: App, clock: FixedClock, api: FakeSlackApi
) -> None:
    await announce(app, clock, "weekly:1")
    assert [o.status for o in await outbox(app, clock, api, "w1").drain()] == ["sent"]
    (post,) = api.called("chat.postMessage")
    assert post["metadata"] == {
        "event_type": METADATA_EVENT,
        "event_payload": {"key": f"1:{TEAM_ID}"},
    }
    assert "conversations.history" not in api.methods()  # no lookup on the happy path


async def test_a_crash_between_posting_and_recording_does_not_post_twice_on_retry(
    app: App, clock: FixedClock, api: FakeSlackApi
) -> None:
    await announce(app, clock, "weekly:1")
    await crash_after_slack_posted(outbox(app, clock, api, "dead"), api)
    assert len(posts_of(api, "news weekly:1")) == 1
    assert await recorded(app) == [("pending", None)]  # nobody knows it went out

    clock.advance(timedelta(seconds=app.config.schedule.claim_seconds + 1))  # claim expires
    outcomes = await outbox(app, clock, api, "next").drain()

    assert [o.status for o in outcomes] == ["sent"]
    assert len(posts_of(api, "news weekly:1")) == 1  # found in the history, not posted again
    (history,) = api.called("conversations.history")
    assert history["channel"] == GENERAL and history["include_all_metadata"] in ("1", "true")
    first_ts = api.messages[GENERAL][0]["ts"]
    assert await recorded(app) == [("sent", f"{GENERAL}:{first_ts}")]


async def test_a_retry_posts_when_the_crash_came_before_slack_had_the_message(
    app: App, clock: FixedClock, api: FakeSlackApi
) -> None:
    await announce(app, clock, "weekly:1")
    api.fail("chat.postMessage", error="internal_error", status=500)
    assert [o.status for o in await outbox(app, clock, api, "w1").run_once()] == ["retry"]
    clock.advance(timedelta(minutes=10))
    assert [o.status for o in await outbox(app, clock, api, "w2").drain()] == ["sent"]
    assert len(api.called("conversations.history")) == 1  # it looked, found nothing...
    assert len(api.messages[GENERAL]) == 1  # ...and posted once


async def test_a_dm_retried_after_a_crash_is_not_sent_twice(
    app: App, clock: FixedClock, api: FakeSlackApi
) -> None:
    await announce(app, clock, "dm:1", target=Target.DM)
    await crash_after_slack_posted(outbox(app, clock, api, "dead"), api)
    clock.advance(timedelta(seconds=app.config.schedule.claim_seconds + 1))
    assert [o.status for o in await outbox(app, clock, api, "next").drain()] == ["sent"]
    assert len(api.messages["DU1"]) == 1


async def test_the_lookup_is_bounded_to_the_claim_time_and_pages_through_a_busy_channel(
    app: App, clock: FixedClock, api: FakeSlackApi
) -> None:
    chatter = AsyncWebClient(token="xoxb-test", base_url=api.api_url, timeout=5)
    await chatter.chat_postMessage(channel=GENERAL, text="long before")  # outside the window
    clock.advance(timedelta(hours=1))
    await announce(app, clock, "weekly:1")
    await crash_after_slack_posted(outbox(app, clock, api, "dead"), api)
    for n in range(HISTORY_PAGE + 5):  # members keep talking: the post is on page two
        await chatter.chat_postMessage(channel=GENERAL, text=f"chat {n}")
    clock.advance(timedelta(seconds=app.config.schedule.claim_seconds + 1))

    assert [o.status for o in await outbox(app, clock, api, "next").drain()] == ["sent"]
    assert len(posts_of(api, "news weekly:1")) == 1
    pages = api.called("conversations.history")
    assert len(pages) == 2
    oldest = float(str(pages[0]["oldest"]))
    assert float(api.messages[GENERAL][0]["ts"]) < oldest <= float(api.messages[GENERAL][1]["ts"])


async def test_a_history_the_bot_may_not_read_falls_back_to_posting(
    app: App, clock: FixedClock, api: FakeSlackApi
) -> None:
    await announce(app, clock, "weekly:1")
    api.fail("chat.postMessage", error="internal_error", status=500)
    await outbox(app, clock, api, "w1").run_once()
    api.fail("conversations.history", error="not_in_channel")
    clock.advance(timedelta(minutes=10))
    assert [o.status for o in await outbox(app, clock, api, "w2").drain()] == ["sent"]
    assert len(api.messages[GENERAL]) == 1
