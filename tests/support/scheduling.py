"""Helpers for scheduler tests: members in zones, streaks, a stepping clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.app import App
from bot.delivery import Delivery
from bot.scheduler import Background
from domain.core.clock import FixedClock
from domain.identity import IdentityRepository, Member, Platform
from tests.conftest import invoke


@dataclass
class Recorder:
    """A Deliverer that keeps what it was given and when (by the test clock)."""

    clock: FixedClock
    platform: Platform = Platform.CONSOLE
    got: list[tuple[datetime, Delivery]] = field(default_factory=list)

    async def deliver(self, delivery: Delivery) -> str | None:
        self.got.append((self.clock.now(), delivery))
        return f"{delivery.channel_id or delivery.channel_name}:{len(self.got)}"

    def of_kind(self, kind: str) -> list[tuple[datetime, Delivery]]:
        return [(t, d) for t, d in self.got if d.kind == kind]


async def member(app: App, name: str, timezone: str | None = None) -> Member:
    """Enrol `name` (through a read command) and set their time zone."""
    await invoke(app, name, "points balance")
    async with app.uow() as uow:
        repo = uow.get(IdentityRepository)
        found = await repo.member_for_account(Platform.CONSOLE, "demo", name.lower())
        assert found is not None
        await repo.set_timezone(found.id, timezone)
        await uow.commit()
        found = await repo.get_member(found.id)
    assert found is not None
    return found


async def build_streak(
    app: App, clock: FixedClock, who: list[tuple[str, str]], last_day: date, days: int
) -> None:
    """Each (name, zone) checks in at local noon for `days` days ending `last_day`."""
    for offset in range(days - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        for name, zone in who:
            clock.set(datetime.combine(day, time(12), ZoneInfo(zone)))
            await invoke(app, name, "checkin")


async def step(background: Background, clock: FixedClock, to: datetime) -> None:
    """What a running process does at `to`: renew the lease, run due jobs, deliver."""
    clock.set(to)
    await background.scheduler.heartbeat()
    await background.scheduler.run_due()
    await background.delivery.drain()


def times(
    start: datetime, end: datetime, every: timedelta = timedelta(minutes=5)
) -> list[datetime]:
    out = []
    t = start
    while t <= end:
        out.append(t)
        t += every
    return out
