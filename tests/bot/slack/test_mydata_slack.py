"""/mydata export on Slack and Discord: the JSON file arrives by DM, never in the channel."""

from __future__ import annotations

import json

from bot.app import App
from bot.scheduler import OutboxDeliverer
from domain.core.clock import FixedClock
from tests.bot.slack.conftest import SlackHarness
from tests.support.discord import running_bot


async def test_the_export_is_uploaded_into_the_members_dm(
    app: App, slack: SlackHarness, clock: FixedClock
) -> None:
    await slack.command("/checkin", user="U1", name="alice")
    await slack.command("/mydata", "export", user="U1", name="alice")
    said = slack.api.called("respond")[-1]
    assert said["response_type"] == "ephemeral" and "direct message" in said["text"]
    assert slack.api.called("files.completeUploadExternal") == []  # nothing until delivered
    await OutboxDeliverer(app.uow, app.config, clock, [slack.adapter.deliverer]).drain()
    (upload,) = slack.api.called("files.completeUploadExternal")
    assert upload["channel_id"] == "DU1"  # conversations.open with alice: her DM
    files = json.loads(upload["files"]) if isinstance(upload["files"], str) else upload["files"]
    assert files[0]["title"].startswith("guildhall-mydata-")
    await OutboxDeliverer(app.uow, app.config, clock, [slack.adapter.deliverer]).drain()
    assert len(slack.api.called("files.completeUploadExternal")) == 1  # sent once


async def test_on_discord_the_export_is_a_dm_attachment(app: App, clock: FixedClock) -> None:
    async with running_bot(app) as (fake, client):
        export = fake.slash("mydata", [{"type": 1, "name": "export"}], permissions="0")
        await fake.dispatch("INTERACTION_CREATE", export)
        path = f"/interactions/{export['id']}/{export['token']}/callback"
        answer = await fake.wait_for(lambda r: r.method == "POST" and r.path == path)
        data = answer.json["data"]
        assert data["flags"] & 64 and not answer.files  # private, and no file in the channel
        await OutboxDeliverer(app.uow, app.config, clock, [client.deliverer]).drain()
        opened = await fake.wait_for(lambda r: r.path == "/users/@me/channels")
        dm = await fake.wait_for(
            lambda r: r.method == "POST" and r.path.startswith("/channels/") and bool(r.files)
        )
    assert str(opened.json["recipient_id"]) == export["member"]["user"]["id"]
    assert dm.files[0].startswith("guildhall-mydata-") and dm.files[0].endswith(".json")
