"""The real discord.py client against the loopback fake: commands, buttons, modals, reactions."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import App
from domain.identity import IdentityRepository, Platform
from tests.bot.discord_support import LONG_CHOICE, add_probe_cog, running_bot, wait_until_anchored
from tests.fakes.discord_server import Recorded

EPHEMERAL = 64


def callback_for(interaction: dict[str, Any]):  # type: ignore[no-untyped-def]
    prefix = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    return lambda r: r.method == "POST" and r.path == prefix


def embed(r: Recorded) -> dict[str, Any]:
    data = r.json.get("data", r.json)
    return data["embeds"][0]


async def test_bot_connects_syncs_commands_and_creates_the_guilds_community(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        sync = await fake.wait_for(lambda r: r.method == "PUT" and r.path.endswith("/commands"))
        names = {c["name"] for c in sync.json}
        assert {"checkin", "points", "help", "probe", "moderate"} <= names
        moderate = next(c for c in sync.json if c["name"] == "moderate")
        assert str(moderate["default_member_permissions"]) == "32"  # Manage Server
        assert fake.identified[0]["intents"] == 1 | 1 << 10 | 1 << 12  # guilds, reactions, DMs
        assert fake.heartbeats >= 1  # discord.py heartbeats right after HELLO
        # on_guild_available writes the community in its own task, beside READY.
        async with asyncio.timeout(10):
            while True:
                async with app.uow(read_only=True) as uow:
                    community = await uow.get(IdentityRepository).community_for_workspace(
                        Platform.DISCORD, fake.guild["id"]
                    )
                if community is not None:
                    break
                await asyncio.sleep(0.02)
        assert community.name == "Acceptance Guild"


async def test_slash_command_is_answered_directly_with_type_4(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        interaction = fake.slash("checkin")
        await fake.dispatch("INTERACTION_CREATE", interaction)
        answer = await fake.wait_for(callback_for(interaction))
        assert answer.json["type"] == 4
        assert "checked in" in embed(answer)["description"]
        assert "<@53908232506183680>" in embed(answer)["description"]
        assert answer.json["data"]["allowed_mentions"] == {"parse": []}


async def test_same_interaction_delivered_twice_is_applied_once(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        interaction = fake.slash("checkin")
        await fake.dispatch("INTERACTION_CREATE", interaction)
        await fake.wait_for(callback_for(interaction))
        await fake.dispatch("INTERACTION_CREATE", interaction)  # a gateway replay
        await fake.wait_for(lambda r: len(fake.calls("POST", r"/interactions/.*")) == 2)
        balance = fake.slash("points", [{"type": 1, "name": "balance", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", balance)
        answer = await fake.wait_for(callback_for(balance))
        assert embed(answer)["description"] == "You have **10** points."


async def test_member_option_resolves_and_pings_only_the_intended_users(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        await fake.dispatch("INTERACTION_CREATE", fake.slash("checkin"))
        await fake.wait_for(lambda r: r.path.endswith("/callback"))
        bob = {
            "id": "222222222222222222",
            "username": "bob",
            "discriminator": "0",
            "global_name": "Bob",
            "avatar": None,
        }
        give = fake.slash(
            "points",
            [
                {
                    "type": 1,
                    "name": "give",
                    "options": [
                        {"type": 6, "name": "member", "value": bob["id"]},
                        {"type": 4, "name": "amount", "value": 3},
                    ],
                }
            ],
            resolved={"users": {bob["id"]: bob}},
        )
        await fake.dispatch("INTERACTION_CREATE", give)
        answer = await fake.wait_for(callback_for(give))
        data = answer.json["data"]
        assert "gave <@222222222222222222> **3** points" in data["embeds"][0]["description"]
        # Only the two members the reply names may be notified: nobody else, no roles.
        assert data["allowed_mentions"] == {
            "parse": [],
            "users": [222222222222222222, 53908232506183680],
        }
        assert data["content"] == "<@222222222222222222> <@53908232506183680>"
        async with app.uow(read_only=True) as uow:
            bob_member = await uow.get(IdentityRepository).member_for_account(
                Platform.DISCORD, fake.guild["id"], bob["id"]
            )
        assert bob_member is not None and bob_member.display_name == "Bob"


async def test_slow_command_is_deferred_then_followed_up(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        interaction = fake.slash("probe", [{"type": 1, "name": "slow", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", interaction)
        deferred = await fake.wait_for(callback_for(interaction))
        assert deferred.json["type"] == 5
        follow_up = await fake.wait_for(
            lambda r: (
                r.method == "POST"
                and r.path == f"/webhooks/1100000000000000001/{interaction['token']}"
            )
        )
        assert follow_up.json["embeds"][0]["description"] == "slow work done"
        assert fake.requests.index(deferred) < fake.requests.index(follow_up)


async def test_work_outlasting_the_budget_is_deferred_before_it_finishes(app: App) -> None:
    probe = add_probe_cog(app)
    async with running_bot(app) as (fake, client):
        client.adapter.ack_budget = 0.05
        interaction = fake.slash("probe", [{"type": 1, "name": "wait", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", interaction)
        deferred = await fake.wait_for(callback_for(interaction))
        assert deferred.json["type"] == 5
        probe.release.set()
        follow_up = await fake.wait_for(lambda r: r.path.endswith(interaction["token"]))
        assert follow_up.json["embeds"][0]["description"] == "waited work done"


async def test_button_click_runs_the_action_named_by_its_custom_id(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        post = fake.slash("probe", [{"type": 1, "name": "card", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", post)
        posted = await fake.wait_for(callback_for(post))
        buttons = posted.json["data"]["components"][0]["components"]
        assert buttons[0]["custom_id"] == "probe.press:7:yes"
        assert buttons[1]["url"] == "https://example.org/docs"
        click = fake.button("probe.press:7:yes", message_id="1300000000000000000")
        await fake.dispatch("INTERACTION_CREATE", click)
        answer = await fake.wait_for(callback_for(click))
        assert answer.json["type"] == 4
        assert embed(answer)["description"] == "pressed 7 yes"
        assert answer.json["data"]["flags"] & EPHEMERAL


async def test_unknown_button_after_a_restart_answers_expired(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        click = fake.button("mentor:helpful", message_id="1300000000000000000")
        await fake.dispatch("INTERACTION_CREATE", click)
        answer = await fake.wait_for(callback_for(click))
        assert "no longer does anything" in embed(answer)["description"]


def inputs_of(modal: Recorded) -> dict[str, dict[str, Any]]:
    return {
        c["custom_id"]: c for row in modal.json["data"]["components"] for c in row["components"]
    }


async def test_missing_long_option_opens_a_modal_and_its_submission_runs_the_command(
    app: App,
) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        ask = fake.slash(
            "probe",
            [{"type": 1, "name": "note", "options": [{"type": 3, "name": "title", "value": "Hi"}]}],
        )
        await fake.dispatch("INTERACTION_CREATE", ask)
        modal = await fake.wait_for(callback_for(ask))
        assert modal.json["type"] == 9
        custom_id = modal.json["data"]["custom_id"]
        inputs = inputs_of(modal)
        assert inputs["title"]["value"] == "Hi" and inputs["title"]["style"] == 1
        assert inputs["body"]["style"] == 2 and inputs["body"]["required"] is True  # paragraph
        submit = fake.modal_submit(custom_id, {"title": "Hi there", "body": "A long\nbody"})
        await fake.dispatch("INTERACTION_CREATE", submit)
        answer = await fake.wait_for(callback_for(submit))
        assert answer.json["type"] == 4
        assert embed(answer)["title"] == "Hi there"
        assert embed(answer)["description"] == "A long\nbody"


async def test_form_opened_before_a_restart_still_works_after_it(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        ask = fake.slash("probe", [{"type": 1, "name": "note", "options": []}])
        ask["data"]["options"][0]["options"] = [{"type": 3, "name": "title", "value": "T"}]
        await fake.dispatch("INTERACTION_CREATE", ask)
        custom_id = (await fake.wait_for(callback_for(ask))).json["data"]["custom_id"]
    async with running_bot(app) as (fake, _client):  # a new process: nothing in memory
        submit = fake.modal_submit(custom_id, {"title": "T", "body": "still here"})
        await fake.dispatch("INTERACTION_CREATE", submit)
        answer = await fake.wait_for(callback_for(submit))
        assert embed(answer)["description"] == "still here"


async def test_form_too_big_for_its_id_is_kept_in_memory_and_expires_on_restart(
    app: App,
) -> None:
    add_probe_cog(app)
    options = [
        {"type": 3, "name": "mood", "value": LONG_CHOICE},
        {"type": 6, "name": "to", "value": "53908232506183680"},
    ]
    async with running_bot(app) as (fake, _client):
        mason = fake.guild["members"][0]
        ask = fake.slash(
            "probe",
            [{"type": 1, "name": "essay", "options": options}],
            resolved={"users": {mason["user"]["id"]: mason["user"]}},
        )
        await fake.dispatch("INTERACTION_CREATE", ask)
        modal = await fake.wait_for(callback_for(ask))
        custom_id = modal.json["data"]["custom_id"]
        assert custom_id.startswith("gh.modal:") and list(inputs_of(modal)) == ["body"]
        submit = fake.modal_submit(custom_id, {"body": "Dear"})
        await fake.dispatch("INTERACTION_CREATE", submit)
        answer = await fake.wait_for(callback_for(submit))
        assert embed(answer)["description"].startswith("Dear for Mason")
        again = ask | {"id": fake.next_id()}  # the same form, asked for again
        await fake.dispatch("INTERACTION_CREATE", again)
        ask_again = await fake.wait_for(callback_for(again))
        kept = ask_again.json["data"]["custom_id"]
    async with running_bot(app) as (fake, _client):
        submit = fake.modal_submit(kept, {"body": "Dear"})
        await fake.dispatch("INTERACTION_CREATE", submit)
        answer = await fake.wait_for(callback_for(submit))
        assert "no longer does anything" in embed(answer)["description"]


async def test_reaction_vote_is_counted_when_added_and_when_removed(app: App) -> None:
    probe = add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        post = fake.slash("probe", [{"type": 1, "name": "card", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", post)
        await fake.wait_for(callback_for(post))
        message_id = fake.response_message_ids[post["id"]]
        channel_id = fake.guild["channels"][0]["id"]
        await wait_until_anchored(app, channel_id, message_id)
        await fake.dispatch("MESSAGE_REACTION_ADD", fake.reaction(message_id, "✅"))
        assert await probe.reactions.get() == ("7", "agree", True)
        await fake.dispatch("MESSAGE_REACTION_REMOVE", fake.reaction_removed(message_id, "✅"))
        assert await probe.reactions.get() == ("7", "agree", False)


async def test_reactions_by_bots_and_on_other_messages_count_for_nothing(app: App) -> None:
    probe = add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        bot_user = {
            "id": "999",
            "username": "otherbot",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
        }
        await fake.dispatch(
            "MESSAGE_REACTION_ADD", fake.reaction("1300000000000000999", "✅", user=bot_user)
        )
        await fake.dispatch("MESSAGE_REACTION_ADD", fake.reaction("1300000000000000999", "✅"))
        # A command after the reactions: once it is answered, they were processed.
        ping = fake.slash("help")
        await fake.dispatch("INTERACTION_CREATE", ping)
        await fake.wait_for(callback_for(ping))
        assert probe.reactions.empty()


async def test_moderator_command_is_refused_to_a_member_even_if_discord_lets_it_through(
    app: App,
) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        attempt = fake.slash("moderate", permissions="0")
        await fake.dispatch("INTERACTION_CREATE", attempt)
        answer = await fake.wait_for(callback_for(attempt))
        assert "Only moderators" in embed(answer)["description"]
        assert answer.json["data"]["flags"] & EPHEMERAL
        allowed = fake.slash("moderate")  # Manage Server: a moderator
        await fake.dispatch("INTERACTION_CREATE", allowed)
        answer = await fake.wait_for(callback_for(allowed))
        assert embed(answer)["description"] == "moderator secret"


async def test_configured_moderator_role_counts_as_moderator(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app, moderator_roles=frozenset({"777"})) as (fake, _client):
        attempt = fake.slash("moderate", permissions="0")
        attempt["member"]["roles"] = ["777"]
        await fake.dispatch("INTERACTION_CREATE", attempt)
        answer = await fake.wait_for(callback_for(attempt))
        assert embed(answer)["description"] == "moderator secret"


async def test_everyone_in_a_title_pings_nobody(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        post = fake.slash("probe", [{"type": 1, "name": "everyone", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", post)
        answer = await fake.wait_for(callback_for(post))
        data = answer.json["data"]
        assert data["embeds"][0]["title"] == "@everyone hi"
        assert data["allowed_mentions"] == {"parse": []}
        assert not data.get("content")


async def test_autocomplete_suggests_ids_from_the_cogs_provider_even_to_a_newcomer(
    app: App,
) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        typing = fake.slash(
            "probe",
            [
                {
                    "type": 1,
                    "name": "pick",
                    "options": [
                        {"type": 3, "name": "size", "value": "small"},
                        {"type": 4, "name": "id", "value": "1", "focused": True},
                    ],
                }
            ],
        )
        typing["type"] = 4
        await fake.dispatch("INTERACTION_CREATE", typing)
        answer = await fake.wait_for(callback_for(typing))
        assert answer.json == {"type": 8, "data": {"choices": [{"name": "#12 Card", "value": 12}]}}


async def test_choice_integer_and_duration_options_reach_the_handler_typed(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        pick = fake.slash(
            "probe",
            [
                {
                    "type": 1,
                    "name": "pick",
                    "options": [
                        {"type": 3, "name": "size", "value": "large"},
                        {"type": 4, "name": "id", "value": 12},
                        {"type": 3, "name": "for", "value": "2h"},
                    ],
                }
            ],
        )
        await fake.dispatch("INTERACTION_CREATE", pick)
        answer = await fake.wait_for(callback_for(pick))
        assert embed(answer)["description"] == "picked large #12"


async def test_three_word_moderator_command_runs_through_its_subcommand_group(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        reset = fake.slash(
            "admin",
            [
                {
                    "type": 2,
                    "name": "probe",
                    "options": [{"type": 1, "name": "reset", "options": []}],
                }
            ],
        )
        await fake.dispatch("INTERACTION_CREATE", reset)
        answer = await fake.wait_for(callback_for(reset))
        assert embed(answer)["description"] == "moderator secret"


async def test_refusal_after_a_public_defer_is_shown_only_to_the_caller(app: App) -> None:
    add_probe_cog(app)
    async with running_bot(app) as (fake, _client):
        interaction = fake.slash("probe", [{"type": 1, "name": "refuse", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", interaction)
        deferred = await fake.wait_for(callback_for(interaction))
        assert deferred.json["type"] == 5 and not (deferred.json.get("data") or {}).get("flags")
        token = interaction["token"]
        follow_up = await fake.wait_for(
            lambda r: r.method == "POST" and r.path == f"/webhooks/1100000000000000001/{token}"
        )
        assert follow_up.json["flags"] & EPHEMERAL
        assert "that card is closed" in follow_up.json["embeds"][0]["description"]
        deleted = fake.calls("DELETE", rf"/webhooks/\d+/{token}/messages/@original")
        assert deleted and fake.requests.index(deleted[0]) < fake.requests.index(follow_up)


async def test_shards_from_settings_identify_on_the_configured_gateway(app: App) -> None:
    async with running_bot(app, shard_count=2, shard_ids=[1]) as (fake, client):
        assert [i["shard"] for i in fake.identified] == [[1, 2]]
        assert not fake.calls("GET", "/gateway/bot")  # the configured gateway, not Discord's
        assert client.shard_ids == [1]
