"""Mentoring on Discord: `/session comment` without its text opens a comment modal."""

from __future__ import annotations

from bot.app import App
from tests.bot.discord.test_interactions import callback_for, embed, inputs_of
from tests.support.discord import running_bot


async def test_session_comment_opens_a_modal_whose_submission_runs_the_command(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        ask = fake.slash(
            "session",
            [{"type": 1, "name": "comment", "options": [{"type": 3, "name": "id", "value": "7"}]}],
        )
        await fake.dispatch("INTERACTION_CREATE", ask)
        modal = await fake.wait_for(callback_for(ask))
        assert modal.json["type"] == 9
        comment = inputs_of(modal)["comment"]
        assert comment["style"] == 2 and comment["required"] is True  # a paragraph box
        submit = fake.modal_submit(
            modal.json["data"]["custom_id"], {"id": "7", "comment": "Very helpful"}
        )
        await fake.dispatch("INTERACTION_CREATE", submit)
        answer = await fake.wait_for(callback_for(submit))
        # The typed command ran with the modal's text: session 7 does not exist here.
        assert "couldn't find session **#7**" in embed(answer)["description"]


async def test_the_add_a_comment_button_opens_the_comment_modal(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        click = fake.button("mentoring.comment:12", "1400000000000000001")
        await fake.dispatch("INTERACTION_CREATE", click)
        modal = await fake.wait_for(callback_for(click))
        assert modal.json["type"] == 9
        inputs = inputs_of(modal)
        assert inputs["id"]["value"] == "12"  # the button's session, filled in
        assert inputs["comment"]["style"] == 2 and inputs["comment"]["required"] is True
        submit = fake.modal_submit(
            modal.json["data"]["custom_id"], {"id": "12", "comment": "Thank you!"}
        )
        await fake.dispatch("INTERACTION_CREATE", submit)
        answer = await fake.wait_for(callback_for(submit))
        assert "couldn't find session **#12**" in embed(answer)["description"]
