"""The Slack deliverer against the loopback fake: posts, DMs, edits, and failures sorted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import CannotDeliver, Delivery, RetryLater
from bot.slack.delivery import SlackDeliverer
from cogs.kit import Attachment, Mention, Reply, mention_token
from domain.core.announcements import Target
from tests.fakes.slack_api import FakeSlackApi


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = await FakeSlackApi().start()
    fake.channels = {"general": "C0GENERAL", "proposals": "C0PROPS"}
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
def deliverer(api: FakeSlackApi) -> SlackDeliverer:
    return SlackDeliverer(AsyncWebClient(token="xoxb-test", base_url=api.api_url, timeout=5))


def delivery(target: Target = Target.CHANNEL, **changes: object) -> Delivery:
    fields: dict[str, object] = {
        "outbox_id": 1,
        "kind": "weekly",
        "target": target,
        "workspace_id": "T111",
        "reply": Reply(title="Weekly <!here> winners", text="Well done"),
        **changes,
    }
    return Delivery(**fields)  # type: ignore[arg-type]


async def test_channel_post_by_configured_name_returns_channel_and_ts(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    posted = await deliverer.deliver(delivery(channel_name="proposals"))
    (call,) = api.called("chat.postMessage")
    assert call["channel"] == "C0PROPS"
    assert posted == f"C0PROPS:{api.answers('chat.postMessage')[0]['ts']}"
    assert "<!here>" not in call["text"] and "&lt;!here&gt;" in call["text"]
    await deliverer.deliver(delivery(channel_name="#general"))
    assert len(api.called("conversations.list")) == 1  # names are cached


async def test_channel_post_by_id_skips_the_lookup(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    await deliverer.deliver(delivery(channel_id="C9", channel_name="general"))
    assert api.methods() == ["chat.postMessage"]


async def test_a_rate_limit_asks_to_retry_after_slacks_pause(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    api.fail("chat.postMessage", error="ratelimited", status=429, headers={"Retry-After": "7"})
    with pytest.raises(RetryLater) as caught:
        await deliverer.deliver(delivery(channel_id="C1"))
    assert caught.value.after == timedelta(seconds=7)
    assert await deliverer.deliver(delivery(channel_id="C1")) is not None  # later it works


async def test_an_outage_is_retried_and_a_missing_channel_is_given_up(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    api.fail("chat.postMessage", error="service_unavailable", status=503)
    with pytest.raises(RetryLater):
        await deliverer.deliver(delivery(channel_id="C1"))
    for error in ("channel_not_found", "not_in_channel"):
        api.fail("chat.postMessage", error=error)
        with pytest.raises(CannotDeliver):
            await deliverer.deliver(delivery(channel_id="C1"))
    with pytest.raises(CannotDeliver):
        await deliverer.deliver(delivery(channel_name="nowhere"))


async def test_dm_opens_a_conversation_and_mentions_only_with_ping(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    ana = Mention(7, "Ana", {"slack": "U7"})
    reply = Reply(text=f"{mention_token(7)}, your streak is at risk", mentions=(ana,), ping=True)
    assert await deliverer.deliver(delivery(Target.DM, user_id="U7", reply=reply)) is None
    assert api.called("conversations.open")[0]["users"] == "U7"
    (call,) = api.called("chat.postMessage")
    assert call["channel"] == "DU7" and "<@U7>" in call["text"]
    quiet = reply.with_(ping=False)
    await deliverer.deliver(delivery(channel_id="C1", reply=quiet))
    assert "<@U7>" not in api.called("chat.postMessage")[-1]["text"]
    assert "@Ana" in api.called("chat.postMessage")[-1]["text"]


async def test_edit_updates_every_posted_copy_and_skips_deleted_ones(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    ids = (("C1", "1.1"), ("C2", "2.2"))
    api.fail("chat.update", error="message_not_found")
    assert await deliverer.deliver(delivery(Target.EDIT, message_ids=ids)) is None
    assert [(c["channel"], c["ts"]) for c in api.called("chat.update")] == list(ids)
    api.fail("chat.update", error="message_not_found", times=2)
    with pytest.raises(CannotDeliver):
        await deliverer.deliver(delivery(Target.EDIT, message_ids=ids))


async def test_files_are_uploaded_next_to_the_post(
    deliverer: SlackDeliverer, api: FakeSlackApi
) -> None:
    reply = Reply(text="Export", file=Attachment(b"a,b\n1,2\n", "export.csv", "text/csv"))
    await deliverer.deliver(delivery(channel_id="C1", reply=reply))
    assert api.methods() == [
        "chat.postMessage",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert api.called("files.completeUploadExternal")[0]["channel_id"] == "C1"
