"""The AI mentor in Discord DMs: a real gateway MESSAGE_CREATE to the real discord.py client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App, build_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.fakes.discord_server import BOT_USER, Recorded
from tests.fakes.openai_server import FakeOpenAI, chat_model_for
from tests.support.discord import running_bot

DM_CHANNEL = "1200000000000000042"


@pytest.fixture
async def ai_app(
    database_url: str, config: CommunityConfig, clock: FixedClock, openai_fake: FakeOpenAI
) -> AsyncIterator[App]:
    app = await build_app(
        database_url, config, clock=clock, upgrade=False, chat_model=chat_model_for(openai_fake)
    )
    try:
        yield app
    finally:
        await app.close()


def dm(
    content: str, *, author: dict[str, Any] | None = None, message_id: str = "1300"
) -> dict[str, Any]:
    """A MESSAGE_CREATE for a DM: no guild_id, a DM channel id."""
    return {
        "id": f"{message_id}000000000000001",
        "channel_id": DM_CHANNEL,
        "author": author
        or {
            "id": "80351110224678912",
            "username": "ana",
            "discriminator": "0",
            "global_name": "Ana",
            "avatar": None,
        },
        "content": content,
        "timestamp": "2026-11-16T12:00:00.000000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }


def posted_in_dm(r: Recorded) -> bool:
    return r.method == "POST" and r.path == f"/channels/{DM_CHANNEL}/messages"


async def test_a_dm_is_answered_by_the_ai_mentor_with_typing(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    openai_fake.answer("Your streak grows with each daily check-in.")
    async with running_bot(ai_app) as (fake, _client):
        await fake.dispatch("MESSAGE_CREATE", dm("what's a streak?"))
        answer = await fake.wait_for(posted_in_dm)
        assert "Your streak grows" in answer.json["embeds"][0]["description"]
        assert fake.calls("POST", f"/channels/{DM_CHANNEL}/typing")
    assert openai_fake.last.messages[-1]["content"] == "what's a streak?"
    assert "talking with Ana" in openai_fake.last.system_prompt


async def test_the_bots_own_and_other_bots_messages_are_ignored(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    other_bot = {
        "id": "999",
        "username": "otherbot",
        "discriminator": "0",
        "avatar": None,
        "bot": True,
    }
    async with running_bot(ai_app) as (fake, _client):
        await fake.dispatch("MESSAGE_CREATE", dm("echo", author=BOT_USER, message_id="1301"))
        await fake.dispatch("MESSAGE_CREATE", dm("beep", author=other_bot, message_id="1302"))
        openai_fake.answer("ok")
        await fake.dispatch("MESSAGE_CREATE", dm("a real question", message_id="1303"))
        await fake.wait_for(posted_in_dm)
    assert [r.messages[-1]["content"] for r in openai_fake.requests] == ["a real question"]


async def test_an_ask_interaction_delivered_twice_is_answered_once_and_billed_once(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    from sqlalchemy import func, select

    from storage.ai import AiCallRow

    openai_fake.slow(0.3, "Check in every day.")
    async with running_bot(ai_app) as (fake, _client):
        ask = fake.slash("ask", [{"type": 3, "name": "question", "value": "streak tips?"}])
        await fake.dispatch("INTERACTION_CREATE", ask)
        await fake.dispatch("INTERACTION_CREATE", ask)  # a gateway replay of the same interaction
        await fake.wait_for(lambda r: len(fake.calls("POST", r"/webhooks/.*")) == 2)
        edits = fake.calls("POST", r"/webhooks/.*")  # each delivery's deferred follow-up
    assert all("Check in every day." in str(e.json) for e in edits)
    assert len(openai_fake.requests) == 1
    async with ai_app.database.reader.connect() as conn:
        calls = (await conn.execute(select(func.count()).select_from(AiCallRow))).scalar()
    assert calls == 1
