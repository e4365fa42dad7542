"""The AI judge end to end: the real openai/langchain clients against the loopback fake."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from cogs.battles import jobs
from cogs.kit import Tone
from domain.battles import BattleId, BattleRepository, Side, Status, queue
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from storage.ai import AiCallRow
from tests.cogs.battle_helpers import battle, challenge, outbox
from tests.conftest import invoke
from tests.fakes.openai_server import FakeOpenAI
from tests.support.ai import app_with_ai


@pytest.fixture
async def ai_app(
    openai_fake: FakeOpenAI, database_url: str, config: CommunityConfig, clock: FixedClock
) -> AsyncIterator[App]:
    async with app_with_ai(database_url, config, clock, openai_fake, max_retries=0) as app:
        yield app


def reading(
    first: tuple[float, float, float], second: tuple[float, float, float]
) -> dict[str, Any]:
    names = ("relevance", "clarity", "creativity")
    return {
        "first": {"scores": dict(zip(names, first, strict=True)), "reason": "first: on point"},
        "second": {"scores": dict(zip(names, second, strict=True)), "reason": "second: vague"},
    }


async def _ai_battle(app: App) -> int:
    """An AI-judged battle, both entries in: the commands leave it to the judge's job."""
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS --judge ai")
    await invoke(app, "bob", "battle accept", str(bid))
    await invoke(app, "ana", "battle submit", f"{bid} ANA-ENTRY phone book of the internet")
    done = await invoke(app, "bob", "battle submit", f"{bid} BOB-ENTRY names into numbers")
    assert done.tone is Tone.SUCCESS
    assert (await battle(app, bid)).status is Status.JUDGING
    assert "battle.result" not in [r.kind for r in await outbox(app)]  # nothing judged inline
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


async def test_a_failing_judge_is_retried_by_a_later_run_then_the_battle_goes_to_a_vote(
    ai_app: App, openai_fake: FakeOpenAI, clock: FixedClock
) -> None:
    bid = await _ai_battle(ai_app)
    openai_fake.answer("this is not JSON")  # attempt 1: a bad answer
    openai_fake.fail(500, times=1)  # attempt 2: the server is down
    await jobs.judge_queue(ai_app.ctx, clock.now())
    assert openai_fake.pending == 1  # one attempt per run
    b = await battle(ai_app, bid)
    assert b.status is Status.JUDGING and b.judge_attempts == 1
    assert await jobs.judge_queue(ai_app.ctx, clock.now()) == 0  # backing off: not due yet
    assert openai_fake.pending == 1
    assert "battle.fallback" not in [r.kind for r in await outbox(ai_app)]
    clock.advance(timedelta(minutes=1))
    await jobs.judge_queue(ai_app.ctx, clock.now())
    assert openai_fake.pending == 0  # both attempts were made
    b = await battle(ai_app, bid)
    assert b.status is Status.VOTING and b.voting_ends_at is not None
    kinds = [r.kind for r in await outbox(ai_app)]
    assert "battle.fallback" in kinds and "battle.reveal:voting" in kinds
    fallback = next(r for r in await outbox(ai_app) if r.kind == "battle.fallback")
    assert "goes to a community vote" in fallback.payload["text"]
    vote = await invoke(ai_app, "carol", "battle vote", f"{bid} a")
    assert vote.tone is Tone.SUCCESS


async def test_a_judge_that_recovers_on_the_next_run_decides(
    ai_app: App, openai_fake: FakeOpenAI, clock: FixedClock
) -> None:
    bid = await _ai_battle(ai_app)
    openai_fake.fail(500, times=1)
    await jobs.judge_queue(ai_app.ctx, clock.now())
    assert (await battle(ai_app, bid)).status is Status.JUDGING
    openai_fake.answer_json(reading((3, 3, 3), (9, 9, 9)))
    openai_fake.answer_json(reading((9, 9, 9), (3, 3, 3)))
    clock.advance(timedelta(minutes=1))
    await jobs.judge_queue(ai_app.ctx, clock.now())
    b = await battle(ai_app, bid)
    assert b.status is Status.FINISHED and b.winner_id == b.member_of(Side.B)
    assert "battle.fallback" not in [r.kind for r in await outbox(ai_app)]


async def test_overlapping_judge_runs_ask_the_model_once_and_decide_once(
    ai_app: App, openai_fake: FakeOpenAI, clock: FixedClock
) -> None:
    bid = await _ai_battle(ai_app)
    openai_fake.answer_json(reading((9, 9, 9), (3, 3, 3)))
    openai_fake.answer_json(reading((3, 3, 3), (9, 9, 9)))
    openai_fake.answer_json(reading((1, 1, 1), (9, 9, 9)))  # a second judging would flip it
    openai_fake.answer_json(reading((9, 9, 9), (1, 1, 1)))
    await asyncio.gather(*(jobs.judge_queue(ai_app.ctx, clock.now()) for _ in range(3)))
    assert len(openai_fake.requests) == 2 and openai_fake.pending == 2  # one judging, two readings
    b = await battle(ai_app, bid)
    assert b.status is Status.FINISHED and b.winner_id == b.member_of(Side.A)
    assert [r.kind for r in await outbox(ai_app)].count("battle.result") == 1
    async with ai_app.database.reader.connect() as conn:
        calls = (await conn.execute(select(AiCallRow.__table__))).all()
    assert len(calls) == 1
    clock.advance(timedelta(minutes=30))
    assert await jobs.judge_queue(ai_app.ctx, clock.now()) == 0  # nothing left to judge
    assert len(openai_fake.requests) == 2


async def test_an_attempt_lost_in_a_crash_is_retried_after_its_lease(
    ai_app: App, openai_fake: FakeOpenAI, clock: FixedClock
) -> None:
    bid = await _ai_battle(ai_app)
    async with ai_app.uow() as uow:  # a runner claimed attempt 1, then its process died
        assert await queue.claim(uow, await battle(ai_app, bid), clock.now())
        await uow.commit()
    openai_fake.answer_json(reading((9, 9, 9), (3, 3, 3)))
    openai_fake.answer_json(reading((3, 3, 3), (9, 9, 9)))
    clock.advance(timedelta(minutes=5))
    assert await jobs.judge_queue(ai_app.ctx, clock.now()) == 0  # the lease still holds
    clock.advance(queue.LEASE)
    await jobs.judge_queue(ai_app.ctx, clock.now())
    b = await battle(ai_app, bid)
    assert b.status is Status.FINISHED and b.judge_attempts == 2


async def test_without_a_configured_model_a_revealed_ai_battle_goes_to_a_vote(
    app: App, openai_fake: FakeOpenAI, clock: FixedClock
) -> None:
    """The key was removed after the challenge: the job puts the battle to a vote, announced."""
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    await invoke(app, "bob", "battle accept", str(bid))
    for who in ("ana", "bob"):
        await invoke(app, who, "battle submit", f"{bid} my answer, by {who}")
    ana = (await battle(app, bid)).challenger_id
    async with app.uow() as uow:  # as if revealed to a judge that has since lost its key
        moved = await uow.get(BattleRepository).move(
            BattleId(bid), [Status.VOTING], Status.JUDGING, a_member_id=ana
        )
        assert moved
        await uow.commit()
    await jobs.judge_queue(app.ctx, clock.now())
    assert (await battle(app, bid)).status is Status.VOTING
    assert "battle.fallback" in [r.kind for r in await outbox(app)]
    assert openai_fake.requests == []
