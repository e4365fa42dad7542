"""AI spend records and caps, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from domain.core.ai import TokenUsage
from domain.core.ai_spend import (
    AiCallRepository,
    AiSection,
    SpendCapReached,
    check_spend,
    record_call,
)
from domain.core.ids import CommunityId, MemberId
from domain.identity import Platform
from domain.identity.service import Resolved

BERLIN = ZoneInfo("Europe/Berlin")


async def _member(app: App, name: str) -> Resolved:
    async with app.uow() as uow:
        resolved = await app.ctx.identity.resolve(uow, Platform.CONSOLE, "demo", name, name)
        await uow.commit()
    return resolved


async def _record(
    app: App, section: AiSection, who: Resolved | None, tokens: int, at: datetime, purpose: str
) -> None:
    community = who.community.id if who else CommunityId(1)
    async with app.uow() as uow:
        await record_call(
            uow.get(AiCallRepository),  # type: ignore[type-abstract]
            section,
            community_id=community,
            member_id=who.member.id if who else None,
            purpose=purpose,
            model="gpt-4o-mini-2024-07-18",
            prompt_version="mentor.v1",
            usage=TokenUsage(tokens - tokens // 4, tokens // 4),
            at=at,
        )
        await uow.commit()


async def _check(app: App, section: AiSection, who: Resolved, now: datetime, cap: int) -> None:
    async with app.uow(read_only=True) as uow:
        await check_spend(
            uow.get(AiCallRepository),  # type: ignore[type-abstract]
            section,
            community_id=who.community.id,
            member_id=who.member.id,
            purpose="mentor",
            member_daily_tokens=cap,
            now=now,
            tz=BERLIN,
        )


async def test_a_members_daily_cap_counts_their_own_calls_of_that_purpose(app: App) -> None:
    section = AiSection(community_monthly_tokens=0)
    ana, bo = await _member(app, "ana"), await _member(app, "bo")
    now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
    await _record(app, section, ana, 600, now - timedelta(hours=1), "mentor")
    await _record(app, section, bo, 5_000, now - timedelta(hours=1), "mentor")  # not ana's
    await _record(app, section, ana, 5_000, now - timedelta(hours=1), "battle_judge")
    await _record(app, section, ana, 5_000, now - timedelta(days=1), "mentor")  # yesterday
    await _check(app, section, ana, now, cap=1_000)  # 600 of 1000: allowed

    await _record(app, section, ana, 400, now, "mentor")
    with pytest.raises(SpendCapReached) as caught:
        await _check(app, section, ana, now, cap=1_000)
    assert caught.value.scope == "member"
    # Midnight in the community's zone, not UTC.
    assert caught.value.resets_at == datetime(2026, 11, 16, 23, 0, tzinfo=UTC)


async def test_the_community_budget_counts_every_purpose_this_month(app: App) -> None:
    section = AiSection(community_monthly_tokens=10_000)
    ana, bo = await _member(app, "ana"), await _member(app, "bo")
    now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
    await _record(app, section, ana, 30_000, datetime(2026, 10, 31, 12, tzinfo=UTC), "mentor")
    await _record(app, section, bo, 6_000, now, "mentor")
    await _check(app, section, ana, now, cap=0)
    await _record(app, section, None, 4_000, now, "battle_judge")
    with pytest.raises(SpendCapReached) as caught:
        await _check(app, section, ana, now, cap=0)
    assert caught.value.scope == "community"
    assert caught.value.resets_at == datetime(2026, 12, 1, tzinfo=BERLIN)


async def test_a_currency_budget_uses_the_price_table(app: App) -> None:
    section = AiSection(community_monthly_tokens=0, community_monthly_budget=0.01)
    ana = await _member(app, "ana")
    now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
    # 40,000 tokens: 30,000 prompt x 0.15 + 10,000 completion x 0.60 per million = $0.0105
    await _record(app, section, ana, 40_000, now, "mentor")
    with pytest.raises(SpendCapReached):
        await _check(app, section, ana, now, cap=0)


async def test_usage_by_local_day_and_top_members(app: App) -> None:
    section = AiSection()
    ana, bo = await _member(app, "ana"), await _member(app, "bo")
    await _record(app, section, ana, 100, datetime(2026, 11, 15, 23, 30, tzinfo=UTC), "mentor")
    await _record(app, section, bo, 300, datetime(2026, 11, 16, 9, 0, tzinfo=UTC), "mentor")
    await _record(app, section, ana, 50, datetime(2026, 11, 14, 9, 0, tzinfo=UTC), "mentor")
    since = datetime(2026, 11, 15, tzinfo=UTC)
    async with app.uow(read_only=True) as uow:
        repo = uow.get(AiCallRepository)  # type: ignore[type-abstract]
        days = await repo.daily(ana.community.id, since, BERLIN)
        top = await repo.top_members(ana.community.id, since, 5)
        totals = await repo.totals(ana.community.id, since)
    # 23:30 UTC on the 15th is already the 16th in Berlin.
    assert [(d.day.isoformat(), d.totals.calls, d.totals.tokens) for d in days] == [
        ("2026-11-16", 2, 400)
    ]
    assert [(t.member_id, t.totals.tokens) for t in top] == [
        (MemberId(bo.member.id), 300),
        (MemberId(ana.member.id), 100),
    ]
    assert (totals.calls, totals.tokens) == (2, 400)
    assert totals.cost_micros == section.cost_micros(
        "gpt-4o-mini", TokenUsage(75, 25)
    ) + section.cost_micros("gpt-4o-mini", TokenUsage(225, 75))


def test_dated_model_names_are_priced_by_their_longest_prefix() -> None:
    section = AiSection()
    usage = TokenUsage(1_000_000, 0)
    assert section.cost_micros("gpt-4o-mini-2024-07-18", usage) == 150_000
    assert section.cost_micros("gpt-4o-2024-08-06", usage) == 2_500_000
    assert section.cost_micros("llama3.1", usage) == 0
