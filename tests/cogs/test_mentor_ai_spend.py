"""AI spend under pressure: parallel questions never overshoot a cap; a repeat is billed once.

Run on SQLite and PostgreSQL (where the pool really runs the reservations in
parallel), with the real LangChain + openai clients over HTTP to the fake.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.app import App
from domain.core.ai_spend import AiSection
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.mentor_ai import MentorAiSection
from storage.ai import AiCallRow
from storage.mentor_ai import MentorTurnRow
from tests.conftest import invoke
from tests.fakes.openai_server import FakeOpenAI
from tests.support.ai import app_with_ai
from tests.support.boards import member


@pytest.fixture
async def ai_app(
    database_url: str, config: CommunityConfig, clock: FixedClock, openai_fake: FakeOpenAI
) -> AsyncIterator[App]:
    async with app_with_ai(database_url, config, clock, openai_fake, max_retries=1) as app:
        yield app


async def _spent(app: App) -> tuple[int, int, int]:
    """Calls, tokens, and reservations still unsettled."""
    t = AiCallRow.__table__
    async with app.database.reader.connect() as conn:
        calls, tokens = (
            await conn.execute(select(func.count(), func.coalesce(func.sum(t.c.total_tokens), 0)))
        ).one()
        open_ = (
            await conn.execute(select(func.count()).where(t.c.state == "reserved"))
        ).scalar_one()
    return int(calls), int(tokens), int(open_)


@pytest.mark.parametrize(
    "config",
    [CommunityConfig(mentor_ai=MentorAiSection(member_daily_tokens=1000, reserve_tokens=300))],
)
async def test_twelve_parallel_questions_stay_within_the_members_daily_cap(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    await member(ai_app, "alice")
    for _ in range(12):
        openai_fake.answer("An answer.", usage=(200, 50))
    replies = await asyncio.gather(
        *(invoke(ai_app, "alice", "ask", f"question {i}") for i in range(12))
    )
    answered = [r for r in replies if r.text == "An answer."]
    capped = [r for r in replies if "used today's AI mentor allowance" in r.text]
    # 300 held per question: three fit in 1,000, the fourth would not.
    assert len(answered) == 3 and len(capped) == 9, [r.text for r in replies]
    assert len(openai_fake.requests) == 3
    calls, tokens, unsettled = await _spent(ai_app)
    assert (calls, tokens, unsettled) == (3, 750, 0)


@pytest.mark.parametrize(
    "config",
    [
        CommunityConfig(
            ai=AiSection(community_monthly_tokens=1000),
            mentor_ai=MentorAiSection(reserve_tokens=400),
        )
    ],
)
async def test_parallel_questions_of_many_members_stay_within_the_community_budget(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    names = [f"m{i}" for i in range(8)]
    for name in names:
        await member(ai_app, name)
        openai_fake.answer("Sure.", usage=(300, 80))
    replies = await asyncio.gather(*(invoke(ai_app, n, "ask", "help?") for n in names))
    answered = [r for r in replies if r.text == "Sure."]
    capped = [r for r in replies if "community's AI mentor budget" in r.text]
    assert len(answered) == 2 and len(capped) == 6, [r.text for r in replies]
    calls, tokens, unsettled = await _spent(ai_app)
    assert calls == 2 and tokens == 760 <= 1000 and unsettled == 0


async def test_a_double_submitted_question_is_answered_once_and_billed_once(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    await member(ai_app, "alice")
    openai_fake.slow(0.5, "Streaks grow daily.")
    first, second = await asyncio.gather(
        invoke(ai_app, "alice", "ask", "how do streaks work?", key="interaction-1"),
        invoke(ai_app, "alice", "ask", "how do streaks work?", key="interaction-1"),
    )
    assert first.text == second.text == "Streaks grow daily."
    later = await invoke(ai_app, "alice", "ask", "how do streaks work?", key="interaction-1")
    assert later.text == "Streaks grow daily."  # a platform retry, minutes later
    assert len(openai_fake.requests) == 1
    calls, _, unsettled = await _spent(ai_app)
    assert (calls, unsettled) == (1, 0)
    async with ai_app.database.reader.connect() as conn:
        turns = (await conn.execute(select(func.count()).select_from(MentorTurnRow))).scalar()
    assert turns == 2  # the question and its answer, remembered once


async def test_a_failed_question_releases_its_tokens_and_may_be_retried(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    await member(ai_app, "alice")
    openai_fake.fail(500, times=2)
    failed = await invoke(ai_app, "alice", "ask", "hello?", key="interaction-2")
    assert "try again in a minute" in failed.text
    assert await _spent(ai_app) == (0, 0, 0)
    openai_fake.answer("Hello!", usage=(10, 2))
    retried = await invoke(ai_app, "alice", "ask", "hello?", key="interaction-2")
    assert retried.text == "Hello!"
    assert await _spent(ai_app) == (1, 12, 0)
