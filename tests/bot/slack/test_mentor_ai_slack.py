"""The AI mentor on Slack: message.im, app_mention and /ask, through the real Bolt app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App, build_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.bot.slack.conftest import SlackHarness, payload
from tests.fakes.openai_server import FakeOpenAI, chat_model_for
from tests.fakes.slack_api import BOT_USER_ID


@pytest.fixture
async def app(
    database_url: str, config: CommunityConfig, clock: FixedClock, openai_fake: FakeOpenAI
) -> AsyncIterator[App]:
    application = await build_app(
        database_url, config, clock=clock, upgrade=False, chat_model=chat_model_for(openai_fake)
    )
    try:
        yield application
    finally:
        await application.close()


def _dm(text: str, **changes: Any) -> dict[str, Any]:
    event = payload("message_im.json")["event"]
    event.update({"user": "U1", "channel": "D1", "text": text, **changes})
    return event


async def test_a_direct_message_is_answered_in_the_dm(
    slack: SlackHarness, openai_fake: FakeOpenAI
) -> None:
    openai_fake.answer("Check in daily to keep it.")
    answer = await slack.event(_dm("what's my streak worth?"))
    assert answer.status == 200
    [posted] = slack.api.called("chat.postMessage")
    assert posted["channel"] == "D1" and "Check in daily to keep it." in posted["text"]
    assert openai_fake.last.messages[-1]["content"] == "what's my streak worth?"


async def test_a_mention_is_answered_only_to_the_asker(
    slack: SlackHarness, openai_fake: FakeOpenAI
) -> None:
    openai_fake.answer("Quests reset on Mondays.")
    event = payload("app_mention.json")["event"]
    event.update(user="U1", channel="C1", text=f"<@{BOT_USER_ID}> when do quests reset?")
    await slack.event(event)
    [ephemeral] = slack.api.called("chat.postEphemeral")
    assert ephemeral["user"] == "U1" and "Quests reset on Mondays." in ephemeral["text"]
    assert openai_fake.last.messages[-1]["content"] == "when do quests reset?"


async def test_bots_edits_and_channel_chatter_are_not_questions(
    slack: SlackHarness, openai_fake: FakeOpenAI
) -> None:
    await slack.event(_dm("I am a bot", bot_id="B1"))
    await slack.event(_dm("edited", subtype="message_changed"))
    await slack.event(_dm("from myself", user=BOT_USER_ID))
    await slack.event(_dm("hello channel", channel="C1", channel_type="channel"))
    assert openai_fake.requests == []
    assert slack.api.called("chat.postMessage") == []


async def test_slash_ask_answers_ephemerally(slack: SlackHarness, openai_fake: FakeOpenAI) -> None:
    openai_fake.answer("Vote with /vote.")
    await slack.command("/ask", "how do I vote?")
    [response] = slack.api.called("respond")
    assert response["response_type"] == "ephemeral" and "Vote with /vote." in response["text"]
