"""Slash commands through the real AsyncApp over loopback HTTP."""

from __future__ import annotations

import json

from bot.app import App
from domain.identity import IdentityRepository, Platform
from tests.bot.slack.conftest import SlackHarness, open_harness, payload
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi


async def _balance(app: App, user_id: str) -> int:
    async with app.uow(read_only=True) as uow:
        member = await uow.get(IdentityRepository).member_for_account(
            Platform.SLACK, TEAM_ID, user_id
        )
        assert member is not None
        return await app.ctx.points.balance(uow, member.id)


async def test_slash_command_is_acknowledged_then_answered_in_channel(
    slack: SlackHarness, app: App
) -> None:
    answer = await slack.command("/checkin")
    assert answer.status == 200
    responses = slack.api.called("respond")
    assert len(responses) == 1
    assert responses[0]["response_type"] == "in_channel"
    assert "checked in" in responses[0]["text"]
    assert await _balance(app, "U1") == 10


async def test_recorded_slash_command_payload_runs_the_command(slack: SlackHarness) -> None:
    form = payload("slash_command.form").strip()
    form = form.replace("%2Fhello-world", "%2Fhelp").replace(
        "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT111%2F111%2Fxxxxx",
        slack.api.response_url("recorded").replace(":", "%3A").replace("/", "%2F"),
    )
    slack.api.add_user("W111", "owner", owner=True)
    answer = await slack.post(form.replace("text=Hi", "text="), "application/x-www-form-urlencoded")
    assert answer.status == 200
    (response,) = slack.api.called("respond")
    assert response["response_type"] == "ephemeral"
    assert "/points give" in json.dumps(response["blocks"])


async def test_gift_mentions_the_receiver_with_a_real_slack_mention(
    slack: SlackHarness, app: App
) -> None:
    await slack.command("/checkin")
    await slack.command("/points", "give <@U2|bob> 4 for the <b>review</b>")
    response = slack.api.called("respond")[-1]
    assert response["response_type"] == "in_channel"
    assert "<@U2>" in response["text"] and "<@U1>" in response["text"]
    assert "&lt;b&gt;review&lt;/b&gt;" in response["text"]
    assert await _balance(app, "U2") == 4
    assert await _balance(app, "U1") == 6


async def test_unnamed_mention_enrols_the_member_under_their_slack_name(
    slack: SlackHarness, app: App
) -> None:
    await slack.command("/checkin")
    await slack.command("/points", "give <@U2> 1")
    async with app.uow(read_only=True) as uow:
        bob = await uow.get(IdentityRepository).member_for_account(Platform.SLACK, TEAM_ID, "U2")
    assert bob is not None and bob.display_name == "bob"


async def test_wrong_arguments_answer_with_the_usage_line_only_to_the_caller(
    slack: SlackHarness,
) -> None:
    await slack.command("/points", "give nobody lots")
    (response,) = slack.api.called("respond")
    assert response["response_type"] == "ephemeral"
    # Escaped for Slack, which shows it as `/points give <member> <amount> [reason]`.
    assert "Usage: `/points give &lt;member&gt; &lt;amount&gt; [reason]`" in response["text"]


async def test_group_without_subcommand_lists_its_subcommands(slack: SlackHarness) -> None:
    await slack.command("/points")
    (response,) = slack.api.called("respond")
    assert response["response_type"] == "ephemeral"
    assert "/points balance" in response["text"] and "/points give" in response["text"]


async def test_command_prefix_names_the_slash_commands_and_their_usage(
    prefixed_slack: SlackHarness,
) -> None:
    await prefixed_slack.command("/gh-points", "give")
    (response,) = prefixed_slack.api.called("respond")
    assert "`/gh-points give &lt;member&gt;" in response["text"]
    await prefixed_slack.command("/gh-checkin")
    assert "checked in" in prefixed_slack.api.called("respond")[-1]["text"]


async def test_the_same_trigger_twice_is_applied_once(slack: SlackHarness, app: App) -> None:
    import urllib.parse

    await slack.command("/checkin")
    await slack.command("/points", "give <@U2|bob> 3")
    # Replay the exact gift request (same trigger_id), as a proxy retry would.
    form = {
        "team_id": TEAM_ID,
        "channel_id": "C1",
        "user_id": "U1",
        "user_name": "alice",
        "command": "/points",
        "text": "give <@U2|bob> 3",
        "response_url": slack.api.response_url("again"),
        "trigger_id": "2.111.trigger",
    }
    await slack.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")
    assert await _balance(app, "U2") == 3
    replayed = slack.api.called("respond")[-1]
    assert "Already done" in json.dumps(replayed["blocks"])


async def test_moderator_command_needs_a_workspace_admin(slack: SlackHarness) -> None:
    await slack.command("/idea", "purge", user="U1")
    assert "Only moderators" in slack.api.called("respond")[-1]["text"]
    await slack.command("/idea", "purge", user="UADMIN", name="mia")
    assert "Purged" in slack.api.called("respond")[-1]["text"]
    assert slack.seen.purges == 1


async def test_title_with_a_broadcast_is_rendered_harmless(slack: SlackHarness) -> None:
    await slack.command("/shout", "<!channel> hi <!here> <!everyone> @channel <@U2>")
    (response,) = slack.api.called("respond")
    raw = json.dumps(response)
    for dangerous in ("<!channel>", "<!here>", "<!everyone>", "<@U2>"):
        assert dangerous not in raw
    assert "&lt;!channel&gt; hi" in response["blocks"][0]["text"]["text"]
    assert "@channel" not in raw  # a word joiner keeps it from ever linking


async def test_a_post_slack_refuses_is_logged_and_the_member_told_with_a_reference(
    slack: SlackHarness,
) -> None:
    slack.api.fail("chat.postMessage", error="invalid_blocks")
    await slack.command("/idea", "submit Lanterns a lantern walk in december")
    (told,) = slack.api.called("respond")
    assert told["response_type"] == "ephemeral" and "Something went wrong" in told["text"]
    assert "(ref " in told["text"]


async def test_a_private_channel_the_bot_is_not_in_still_gets_the_card_in_place(
    slack: SlackHarness,
) -> None:
    slack.api.fail("chat.postMessage", error="not_in_channel")
    await slack.command("/idea", "submit Lanterns a lantern walk in december")
    (answered,) = slack.api.called("respond")
    assert answered["response_type"] == "in_channel" and "Lanterns" in answered["text"]


async def test_every_slash_command_in_the_manifest_is_routed(slack: SlackHarness) -> None:
    for group in slack.adapter.registry.groups():
        before = len(slack.api.calls)
        answer = await slack.command(f"/{group}")
        assert answer.status == 200, group
        assert {"respond", "views.open", "chat.postMessage"} & set(slack.api.methods()[before:]), (
            group
        )


async def test_a_private_file_goes_to_the_members_direct_messages(slack: SlackHarness) -> None:
    await slack.command("/idea", "export")
    (complete,) = slack.api.called("files.completeUploadExternal")
    assert complete["channel_id"] == "DU1"
    (response,) = slack.api.called("respond")
    assert response["response_type"] == "ephemeral"
    assert "ideas.csv was sent to you in a direct message" in json.dumps(
        response["blocks"], ensure_ascii=False
    )


async def test_listed_moderators_may_use_moderator_commands(app: App, api: FakeSlackApi) -> None:
    harness = await open_harness(app, api, moderators=frozenset({"U2"}))
    try:
        await harness.command("/idea", "purge", user="U2", name="bob")
        assert harness.seen.purges == 1
    finally:
        await harness.adapter.drain()
        await harness.http.close()
        await harness.server.close()
