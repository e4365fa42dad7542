"""Tier nudges, leaderboard posts, invocation pruning and the console's announcements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.scheduler import ConsoleDeliverer, OutboxDeliverer
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.contracts import LeaderboardReader
from tests.conftest import invoke
from tests.support.scheduling import Recorder, member


@pytest.fixture
def config() -> CommunityConfig:
    """The real progress engine with small tiers: Sprout at 30 XP, Blossom at 150 XP.

    Level L needs 30·(L−1) XP, a check-in earns 10 XP, so a member is 20 XP
    from Sprout after their first check-in and 120 from Blossom on day three.
    """
    return CommunityConfig.model_validate(
        {
            "achievements": [],  # their XP would move members between tiers too
            "progress": {
                "level_base": 30,
                "level_exponent": 1.0,
                "xp": {"checked_in": {"amount": 10}},
                "tiers": [
                    {"name": "Seedling", "level": 1},
                    {"name": "Sprout", "level": 2},
                    {"name": "Blossom", "level": 6},
                ],
            },
        }
    )


def job(app: App, name: str):  # type: ignore[no-untyped-def]
    return next(j for j in app.registry.jobs if j.name == name).handler


async def test_tier_nudge_is_sent_at_most_once_per_tier(app: App, clock: FixedClock) -> None:
    ana = await member(app, "ana")
    recorder = Recorder(clock)
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [recorder])
    for _ in range(
        4
    ):  # 10 points a day: Sprout is 20 away on day one; Blossom 120 away on day three
        await invoke(app, "ana", "checkin")
        clock.advance(timedelta(days=1))
        await deliverer.drain()
    nudges = [d for _, d in recorder.of_kind("tier_nudge")]
    texts = [d.reply.text for d in nudges]
    assert len(texts) == 2, texts
    assert "**20 XP** from **Sprout**" in texts[0] and "from **Blossom**" in texts[1]
    assert nudges[0].reply.mentions[0].member_id == ana.id


async def test_nudges_off_means_no_nudge_and_dms_on_means_a_dm(app: App, clock: FixedClock) -> None:
    await member(app, "ana")
    await member(app, "ben")
    await invoke(app, "ana", "settings notifications", "--nudges off")
    await invoke(app, "ben", "settings notifications", "--dms yes")
    await invoke(app, "ana", "checkin")
    await invoke(app, "ben", "checkin")
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    assert [(d.target, d.user_id) for _, d in recorder.of_kind("tier_nudge")] == [("dm", "ben")]


async def test_weekly_leaderboard_posts_last_weeks_winners_once(
    app: App, clock: FixedClock
) -> None:
    # Week 2026-W47 starts on the fixture's Monday: ana checks in twice, ben once.
    await invoke(app, "ana", "checkin")
    await invoke(app, "ben", "checkin")
    clock.advance(timedelta(days=1))
    await invoke(app, "ana", "checkin")
    ana, ben = await member(app, "ana"), await member(app, "ben")
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    clock.set(monday)
    run = job(app, "notifications.weekly_leaderboard")
    await run(monday)
    await run(monday)  # a re-run for the same week posts nothing new
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    posts = [d for _, d in recorder.of_kind("leaderboard_week")]
    assert len(posts) == 1
    assert posts[0].reply.title is not None and "2026-W47" in posts[0].reply.title
    text = posts[0].reply.text
    assert "2026-W48" in text and "🥇" in text
    assert text.index(f"<@m:{ana.id}>") < text.index(f"<@m:{ben.id}>")  # 20 points before 10
    assert posts[0].channel_name == app.config.channels.leaderboard
    assert {m.member_id for m in posts[0].reply.mentions} == {ana.id, ben.id}


async def test_monthly_leaderboard_names_last_month(app: App, clock: FixedClock) -> None:
    await invoke(app, "ana", "checkin")
    ana = await member(app, "ana")
    december = datetime(2026, 12, 1, 9, tzinfo=UTC)
    clock.set(december)
    await job(app, "notifications.monthly_leaderboard")(december)
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    posts = [d for _, d in recorder.of_kind("leaderboard_month")]
    assert len(posts) == 1
    assert "2026-11" in (posts[0].reply.title or "") + posts[0].reply.text
    assert [m.member_id for m in posts[0].reply.mentions] == [ana.id]


async def test_leaderboard_posts_are_skipped_without_a_leaderboard_feature(
    app: App, clock: FixedClock
) -> None:
    app.ctx._services.pop(LeaderboardReader, None)  # as if leaderboards were not installed
    await member(app, "ana")
    await job(app, "notifications.weekly_leaderboard")(datetime(2026, 11, 23, 9, tzinfo=UTC))
    recorder = Recorder(clock)
    assert await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain() == []


async def test_daily_prune_forgets_old_invocations_only(app: App, clock: FixedClock) -> None:
    await invoke(app, "ana", "checkin", key="old-key")
    clock.advance(timedelta(days=8))
    await invoke(app, "ana", "checkin", key="new-key")
    await job(app, "maintenance.prune_invocations")(clock.now())
    async with app.uow(read_only=True) as uow:
        rows = await uow.connection.exec_driver_sql("SELECT key FROM invocations")  # type: ignore[attr-defined]
        assert [r[0] for r in rows] == ["new-key"]


async def test_console_prints_delivered_announcements(app: App, clock: FixedClock) -> None:
    out: list[str] = []
    await invoke(app, "ana", "checkin")
    await OutboxDeliverer(app.uow, app.config, clock, [ConsoleDeliverer(out.append)]).drain()
    nudges = [line for line in out if "@ana is 20 XP from Sprout" in line]
    assert len(nudges) == 1, out
    assert nudges[0].startswith("📣 #general")
