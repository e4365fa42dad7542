"""Battles on Discord (the real discord.py client against the fake) and on the console."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.app import App
from bot.console import ConsoleAdapter
from domain.battles import Status
from domain.core.clock import FixedClock
from tests.bot.discord.test_interactions import callback_for, embed, inputs_of
from tests.cogs.battle_helpers import battle, outbox, run_timers
from tests.support.discord import running_bot


async def test_discord_open_challenge_accept_button_and_entry_modal(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        post = fake.slash(
            "battle",
            [
                {
                    "type": 1,
                    "name": "open",
                    "options": [{"type": 3, "name": "prompt", "value": "Explain DNS in a line"}],
                }
            ],
        )
        await fake.dispatch("INTERACTION_CREATE", post)
        posted = await fake.wait_for(callback_for(post))
        assert embed(posted)["title"].startswith("⚔️ Battle #1")
        buttons = posted.json["data"]["components"][0]["components"]
        assert [b["custom_id"] for b in buttons] == ["battle.accept:1"]
        click = fake.button("battle.accept:1", message_id="1300000000000000000")
        click["member"]["user"] = {**click["member"]["user"], "id": "4242", "username": "zed"}
        await fake.dispatch("INTERACTION_CREATE", click)
        accepted = await fake.wait_for(callback_for(click))
        assert "is on" in embed(accepted)["description"]
        ask = fake.slash(
            "battle",
            [{"type": 1, "name": "submit", "options": [{"type": 3, "name": "id", "value": "1"}]}],
        )
        await fake.dispatch("INTERACTION_CREATE", ask)
        modal = await fake.wait_for(callback_for(ask))
        assert modal.json["type"] == 9  # the entry is asked for in a paragraph form
        assert inputs_of(modal)["entry"]["style"] == 2
        assert inputs_of(modal)["id"]["value"] == "1"  # what was typed is filled in
        values = {"id": "1", "entry": "Names to numbers"}
        sent = fake.modal_submit(modal.json["data"]["custom_id"], values)
        await fake.dispatch("INTERACTION_CREATE", sent)
        answer = await fake.wait_for(callback_for(sent))
        assert "hidden until both sides" in embed(answer)["description"]
    b = await battle(app, 1)
    assert b.status is Status.ACTIVE and b.opponent_id is not None


async def test_console_battle_from_challenge_to_result(app: App, clock: FixedClock) -> None:
    console = ConsoleAdapter(app.runner, actor="ana")
    await console.handle_line("/as bob")
    await console.handle_line("/battles")
    await console.handle_line("/as ana")
    card = await console.handle_line("/battle challenge @bob Explain DNS in one line")
    assert card is not None and "Battle #1" in card and "[1] Accept" in card
    await console.handle_line("/as bob")
    started = await console.handle_line("/press 1")
    assert started is not None and "is on" in started
    sent = await console.handle_line("/battle submit 1 names to numbers")
    assert sent is not None and "hidden until both" in sent
    await console.handle_line("/as ana")
    done = await console.handle_line("/battle submit 1 the internet's phone book")
    assert done is not None and "now revealed" in done
    for voter in ("carol", "dave", "erin"):
        await console.handle_line(f"/as {voter}")
        out = await console.handle_line("/battle vote 1 b")
        assert out is not None and "counted" in out
    clock.advance(timedelta(days=1, minutes=1))
    await run_timers(app, clock.now())
    shown = await console.handle_line("/battle show 1")
    assert shown is not None and "wins battle #1" in shown
    stats = await console.handle_line("/battle stats @bob")
    assert stats is not None and "Rating" in stats
    assert ("1 / 0 / 0" in stats) != ("0 / 1 / 0" in stats)  # B was ana or bob, at random
    assert app.runner.unhandled_errors == 0


def _as(interaction: dict[str, Any], user_id: str, name: str) -> dict[str, Any]:
    interaction["member"]["user"] = {
        **interaction["member"]["user"],
        "id": user_id,
        "username": name,
    }
    return interaction


async def test_discord_vote_buttons_fighters_refused_and_a_moderator_cancel(app: App) -> None:
    """The reveal's Vote buttons count a member's vote, refuse a fighter's, and /admin battle
    cancel (typed) calls the battle off on Discord."""
    async with running_bot(app) as (fake, _client):

        async def run(interaction: dict[str, Any]) -> dict[str, Any]:
            await fake.dispatch("INTERACTION_CREATE", interaction)
            return embed(await fake.wait_for(callback_for(interaction)))

        def sub(name: str, **values: str) -> list[dict[str, Any]]:
            options = [{"type": 3, "name": k, "value": v} for k, v in values.items()]
            return [{"type": 1, "name": name, "options": options}]

        await run(fake.slash("battle", sub("open", prompt="Explain DNS in a line")))
        await run(
            _as(fake.button("battle.accept:1", message_id="1300000000000000000"), "4242", "zed")
        )
        await run(fake.slash("battle", sub("submit", id="1", entry="The phone book")))
        revealed = await run(
            _as(
                fake.slash("battle", sub("submit", id="1", entry="Names to numbers")), "4242", "zed"
            )
        )
        assert "now revealed" in revealed["description"]
        reveal = next(r for r in await outbox(app) if r.kind == "battle.reveal")
        ids = [b["action_id"] for b in reveal.payload["buttons"]]
        assert ids == ["battle.vote:1:a", "battle.vote:1:b"]
        voter = _as(fake.button("battle.vote:1:a", message_id="1300000000000000001"), "5151", "vic")
        assert "counted" in (await run(voter))["description"]
        fighter = _as(
            fake.button("battle.vote:1:b", message_id="1300000000000000001"), "4242", "zed"
        )
        assert "can't vote" in (await run(fighter))["description"]
        cancelled = await run(
            fake.slash(
                "admin",
                [
                    {
                        "type": 2,
                        "name": "battle",
                        "options": sub("cancel", id="1", reason="test run"),
                    }
                ],
            )
        )
        assert "is cancelled" in cancelled["description"]
    b = await battle(app, 1)
    assert b.status is Status.CANCELLED and "test run" in (b.reason or "")
