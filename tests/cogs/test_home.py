"""The home view: one Reply that Slack's App Home and the dashboard both render."""

from __future__ import annotations

from typing import Any

from bot.app import App
from cogs.kit import Invocation
from domain.core.contracts import RankReader
from domain.identity import IdentityRepository, Platform
from tests.conftest import actor, invoke


def _home_of(name: str) -> Invocation:
    return Invocation(actor=actor(name), key="")


async def test_a_newcomer_sees_the_welcome_and_is_not_enrolled(app: App) -> None:
    reply = await app.runner.view("home", _home_of("zoe"))
    assert reply is not None and "/checkin" in reply.text
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(
            Platform.CONSOLE, "demo", "zoe"
        )
    assert found is None


async def test_a_member_sees_points_streak_and_the_installed_features(app: App) -> None:
    await invoke(app, "alice", "checkin")
    reply = await app.runner.view("home", _home_of("alice"))
    assert reply is not None
    fields = {f.name: f.value for f in reply.fields}
    assert fields["Points"] == "10" and fields["Streak"] == "1 (longest 1)"
    assert any(name.startswith("Level 1") for name in fields)
    assert "Rank" in fields and "Active quests" in fields
    assert "Open proposals awaiting your vote" in fields


class _Broken:
    async def rank_of(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the leaderboard is down")


async def test_a_failing_feature_leaves_only_its_part_out(app: App) -> None:
    await invoke(app, "alice", "checkin")
    app.ctx._services[RankReader] = _Broken()
    reply = await app.runner.view("home", _home_of("alice"))
    assert reply is not None
    fields = {f.name: f.value for f in reply.fields}
    assert fields["Rank"] == "not ranked yet" and fields["Points"] == "10"


async def test_a_view_nobody_declares_is_none(app: App) -> None:
    assert await app.runner.view("nowhere", _home_of("alice")) is None
