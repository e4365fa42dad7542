"""Durable one-off timers: survive restarts, fire once across processes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import App, build_app
from domain.core.clock import FixedClock
from domain.core.ids import CommunityId
from domain.core.timers import Timer, TimerRepository, sweep
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Platform
from tests.conftest import invoke


async def community_id(app: App) -> CommunityId:
    await invoke(app, "ana", "points balance")
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).community_for_workspace(Platform.CONSOLE, "demo")
    assert found is not None
    return found.id


async def test_a_timer_set_before_a_restart_fires_once_after_it(
    app: App, clock: FixedClock, database_url: str
) -> None:
    cid = await community_id(app)
    due = clock.now() + timedelta(hours=1)
    async with app.uow() as uow:
        repo = uow.get(TimerRepository)
        assert await repo.schedule(
            Timer(cid, "event.remind", "event:1", due, {"n": 1}), clock.now()
        )
        assert not await repo.schedule(Timer(cid, "event.remind", "event:1", due), clock.now())
        await uow.commit()
    fired: list[str] = []

    async def handler(uow: UnitOfWork, timer: Timer) -> None:
        fired.append(f"{timer.key}:{timer.payload['n']}")

    clock.advance(timedelta(minutes=59))
    assert await sweep(app.uow, "event.remind", clock.now(), handler) == 0
    clock.advance(timedelta(minutes=1))
    restarted = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        results = await asyncio.gather(
            sweep(app.uow, "event.remind", clock.now(), handler),
            sweep(restarted.uow, "event.remind", clock.now(), handler),
        )
    finally:
        await restarted.close()
    assert sorted(results) == [0, 1] and fired == ["event:1:1"]
    assert await sweep(app.uow, "event.remind", clock.now() + timedelta(days=1), handler) == 0


async def test_a_failing_timer_is_retried_and_a_cancelled_one_never_fires(
    app: App, clock: FixedClock
) -> None:
    cid = await community_id(app)
    async with app.uow() as uow:
        repo = uow.get(TimerRepository)
        await repo.schedule(Timer(cid, "t", "flaky", clock.now()), clock.now())
        await repo.schedule(Timer(cid, "t", "cancelled", clock.now()), clock.now())
        assert await repo.cancel("t", "cancelled")
        await uow.commit()
    attempts: list[str] = []

    async def flaky(uow: UnitOfWork, timer: Timer) -> None:
        attempts.append(timer.key)
        if len(attempts) == 1:
            raise RuntimeError("platform down")

    assert await sweep(app.uow, "t", clock.now(), flaky) == 0
    assert await sweep(app.uow, "t", clock.now(), flaky) == 1
    assert attempts == ["flaky", "flaky"]
