"""The AI judge end to end: the real openai/langchain clients against the loopback fake."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from cogs.battles import jobs
from cogs.kit import Tone
from domain.battles import Side, Status
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from storage.ai import AiCallRow
from tests.cogs.battle_helpers import battle, challenge, outbox
from tests.conftest import invoke
from tests.fakes.openai_server import FakeOpenAI, chat_model_for


@pytest.fixture
async def ai_app(
    openai_fake: FakeOpenAI, database_url: str, config: CommunityConfig, clock: FixedClock
) -> AsyncIterator[App]:
    app = await build_app(
        database_url,
        config,
        clock=clock,
        upgrade=False,
        chat_model=chat_model_for(openai_fake, max_retries=0),
    )
    try:
        yield app
    finally:
        await app.close()


def reading(
    first: tuple[float, float, float], second: tuple[float, float, float]
) -> dict[str, Any]:
    names = ("relevance", "clarity", "creativity")
    return {
        "first": {"scores": dict(zip(names, first, strict=True)), "reason": "first: on point"},
        "second": {"scores": dict(zip(names, second, strict=True)), "reason": "second: vague"},
    }


async def _ai_battle(app: App) -> int:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS --judge ai")
    await invoke(app, "bob", "battle accept", str(bid))
    await invoke(app, "ana", "battle submit", f"{bid} ANA-ENTRY phone book of the internet")
    done = await invoke(app, "bob", "battle submit", f"{bid} BOB-ENTRY names into numbers")
    assert done.tone is Tone.SUCCESS
    assert (await battle(app, bid)).status is Status.JUDGING
    return bid


async def test_the_judge_reads_both_orders_at_temperature_zero_and_averages(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    bid = await _ai_battle(ai_app)
    # Reading 1 shows A first, reading 2 shows B first.
    openai_fake.answer_json(reading((9, 8, 7), (5, 6, 5)), usage=(500, 40))
    openai_fake.answer_json(reading((6, 5, 6), (8, 9, 8)), usage=(500, 40))
    assert await jobs.judge_queue(ai_app.ctx, ai_app.clock.now()) == 1
    first, second = openai_fake.requests[-2:]
    for req in (first, second):
        assert req.body["temperature"] == 0
        assert req.body["response_format"]["type"] == "json_schema"
        assert (
            "Explain DNS" in req.system_prompt and "**relevance** (weight 0.4)" in req.system_prompt
        )
        assert "ANA-ENTRY" not in req.system_prompt  # entries only in the user message
    b = await battle(ai_app, bid)
    a_text = "ANA-ENTRY" if b.member_of(Side.A) == b.challenger_id else "BOB-ENTRY"
    b_text = "BOB-ENTRY" if a_text == "ANA-ENTRY" else "ANA-ENTRY"
    user1, user2 = (json.dumps(r.messages[-1]) for r in (first, second))
    assert user1.index(a_text) < user1.index(b_text)  # A first
    assert user2.index(b_text) < user2.index(a_text)  # then B first
    assert b.status is Status.FINISHED and b.method == "ai"
    verdict = b.verdict or {}
    by_name = {c["name"]: c for c in verdict["criteria"]}
    assert by_name["relevance"]["a"] == 8.5 and by_name["relevance"]["b"] == 5.5  # (9+8)/2, (5+6)/2
    assert verdict["total_a"] > verdict["total_b"]
    assert b.winner_id == b.member_of(Side.A)
    result = next(r for r in await outbox(ai_app) if r.kind == "battle.result")
    assert "by the AI judge" in result.payload["text"]
    scores = next(f for f in result.payload["fields"] if f["name"] == "Scores")["value"]
    assert "relevance (0.4×): A 8.5 · B 5.5" in scores and "first: on point" in scores
    async with ai_app.database.reader.connect() as conn:
        calls = (await conn.execute(select(AiCallRow.__table__))).all()
    assert [(c.purpose, c.prompt_version) for c in calls] == [("battle_judge", "battle_judge.v1")]
    assert calls[0].prompt_tokens == 1000


async def test_swapping_the_order_cancels_a_judge_that_favours_the_first_entry(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    bid = await _ai_battle(ai_app)
    biased = reading((8, 8, 8), (6, 6, 6))  # whoever is read first wins by 2
    openai_fake.answer_json(biased)
    openai_fake.answer_json(biased)
    await jobs.judge_queue(ai_app.ctx, ai_app.clock.now())
    b = await battle(ai_app, bid)
    assert b.status is Status.FINISHED and b.winner_id is None  # a draw, not a win for A
    assert (b.verdict or {})["total_a"] == (b.verdict or {})["total_b"] == 7.0


async def test_a_failing_judge_is_retried_then_the_battle_goes_to_a_vote(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    bid = await _ai_battle(ai_app)
    openai_fake.answer("this is not JSON")  # attempt 1: a bad answer
    openai_fake.fail(500, times=1)  # attempt 2: the server is down
    await jobs.judge_queue(ai_app.ctx, ai_app.clock.now())
    assert openai_fake.pending == 0  # both attempts were made
    b = await battle(ai_app, bid)
    assert b.status is Status.VOTING and b.voting_ends_at is not None
    kinds = [r.kind for r in await outbox(ai_app)]
    assert "battle.fallback" in kinds and "battle.reveal:voting" in kinds
    fallback = next(r for r in await outbox(ai_app) if r.kind == "battle.fallback")
    assert "goes to a community vote" in fallback.payload["text"]
    vote = await invoke(ai_app, "carol", "battle vote", f"{bid} a")
    assert vote.tone is Tone.SUCCESS


async def test_a_judge_that_recovers_on_the_second_attempt_decides(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    bid = await _ai_battle(ai_app)
    openai_fake.fail(500, times=1)
    openai_fake.answer_json(reading((3, 3, 3), (9, 9, 9)))
    openai_fake.answer_json(reading((9, 9, 9), (3, 3, 3)))
    await jobs.judge_queue(ai_app.ctx, ai_app.clock.now())
    b = await battle(ai_app, bid)
    assert b.status is Status.FINISHED and b.winner_id == b.member_of(Side.B)
