"""A premium plan's perks where other features meter: battles a day, AI tokens, mentees.

Each feature reads `PerksReader` (domain.core.contracts); payments offers it.
The plan is made active the way Stripe does it, by a signed subscription event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App, build_app
from domain.battles.config import BattlesSection
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.mentor_ai.service import MentorAiService
from domain.mentoring.service import MentoringService
from tests.bot.payments_helpers import post, serve_webhook, subscription_event
from tests.conftest import invoke
from tests.support.progress import member


@pytest.fixture
async def strict(database_url: str, clock: FixedClock) -> AsyncIterator[App]:
    """One battle a day for members without a plan."""
    cfg = CommunityConfig(battles=BattlesSection(daily_limit=1, pair_weekly_limit=100))
    app = await build_app(database_url, cfg, clock=clock, upgrade=False)
    try:
        yield app
    finally:
        await app.close()


async def subscribe(app: App, clock: FixedClock, who: Member) -> None:
    hook = await serve_webhook(app, clock)
    try:
        event = subscription_event(who, "created", 1, clock)  # Pro: +2 battles, ×2 tokens, +1
        assert (await post(hook, clock, event))[1]["outcome"] == "applied"
    finally:
        await hook.close()


async def test_premium_members_get_more_battles_tokens_and_mentees(
    strict: App, clock: FixedClock
) -> None:
    app = strict
    alice, bob = await member(app, "alice"), await member(app, "bob")
    await subscribe(app, clock, alice)

    assert "#" in ((await invoke(app, "bob", "battle open", "Explain DNS")).title or "")
    again = await invoke(app, "bob", "battle open", "Explain TCP")
    assert "today's limit of 1 battles" in again.text
    for n in range(3):  # 1 + Pro's 2
        opened = await invoke(app, "alice", "battle open", f"Prompt {n}")
        assert "#" in (opened.title or ""), opened.text
    fourth = await invoke(app, "alice", "battle open", "Prompt 4")
    assert "today's limit of 3 battles" in fourth.text

    mentoring = app.ctx.need(MentoringService)
    mentor_ai = app.ctx.need(MentorAiService)
    cap = mentor_ai.section.member_daily_tokens
    async with app.uow(read_only=True) as uow:
        assert await mentoring.max_capacity(uow, alice) == mentoring.section.max_capacity + 1
        assert await mentoring.max_capacity(uow, bob) == mentoring.section.max_capacity
        assert await tokens(mentor_ai, uow, alice) == cap * 2
        assert await tokens(mentor_ai, uow, bob) == cap


async def tokens(service: MentorAiService, uow: UnitOfWork, who: Member) -> int:
    return await service.daily_tokens(uow, who)
