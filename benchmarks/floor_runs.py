"""The floors: each operation's minimal SQL through the raw driver, on a day of its own.

A ratio means something only against a floor measured in the same run, so the
day (`benchmarks.suite`) and the scale-out run (`benchmarks.scaleout`) take their
floors from here, and each operation's round beside its floor (`beside_its_floor`).
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from benchmarks import floor
from benchmarks.driver import BASE, drive
from benchmarks.events import EVENT_OPERATIONS
from benchmarks.ops import OPERATIONS, Day, Operation
from benchmarks.seed import Seeded, user_id
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig

FLOOR_CAP = 20_000  # the floor's rate is steady well before this many ops


async def floor_sample(
    op: Operation,
    raw: Any,
    app: Any,
    seeded: Seeded,
    config: CommunityConfig,
    clock: FixedClock,
    rng: random.Random,
    repeat: int,
    count: int,
    concurrency: int,
) -> dict[str, Any] | None:
    """The raw-driver floor of `op` for one repeat, on a day of its own; None without one."""
    floor_day = BASE + timedelta(days=2 * repeat - 1)
    floor_fn = floor_of(op, raw, seeded, config)
    proposals: list[int] = []
    if floor_fn is not None and op.name == "vote" and op.prepare is not None:
        # The floor votes on proposals of its own (opened through the app).
        clock.set(floor_day)
        own = Day(app, seeded, floor_day, repeat + 1000, rng)
        if await op.prepare(own) is None:
            proposals = own.proposals
        else:
            floor_fn = None
    if floor_fn is None:
        return None
    clock.set(floor_day)
    items = floor_items(op, seeded, min(count, FLOOR_CAP), rng, repeat, proposals)
    sample = await drive(items, lambda i, f=floor_fn, d=floor_day: f(i, d), concurrency)
    return sample.summary()


def floor_items(
    op: Operation,
    seeded: Seeded,
    count: int,
    rng: random.Random,
    repeat: int,
    proposals: list[int],
) -> list[Any]:
    n = seeded.members
    if op.name == "vote":
        votes: list[tuple[str, int, str]] = []
        while len(votes) < count:  # as the day's votes: about one in ten clicked twice
            vote = (user_id(rng.randint(1, n)), rng.choice(proposals), "for")
            votes.append(vote)
            if rng.random() < 0.1 and len(votes) < count:
                votes.append(vote)
        return votes
    if op.name == "checkin":
        members = list(range(1, n + 1))
        rng.shuffle(members)
        return [user_id(m) for m in members[:count]]
    if op.name == "points give":
        out = []
        for i in range(count):
            giver = rng.randint(1, n)
            receiver = rng.randint(1, n - 1)
            receiver += receiver >= giver
            out.append(
                (user_id(giver), user_id(receiver), rng.randint(1, 5), f"floor:{repeat}:{i}")
            )
        return out
    return []


def floor_of(
    op: Operation, raw: Any, seeded: Seeded, config: CommunityConfig
) -> Callable[[Any, datetime], Awaitable[str]] | None:
    """The raw-driver version of `op`, where its tables are known."""
    if op.name == "checkin":
        points = config.points.checkin
        return lambda user, now: floor.checkin(raw, user, now, points)
    if op.name == "points give":
        return lambda item, now: floor.give(raw, item[0], item[1], item[2], item[3], now)
    if op.name == "vote":
        return lambda item, now: floor.vote(raw, item[0], item[1], item[2], now)
    return None


def selected_ops(
    app: Any, only: list[str] | None, say: Callable[[str], None]
) -> tuple[list[Operation], dict[str, Any]]:
    """The operations asked for, and a report entry for each whose feature is not installed."""
    ops = [op for op in (*OPERATIONS, *EVENT_OPERATIONS) if not only or op.name in only]
    report: dict[str, Any] = {}
    for op in ops:
        if app.registry.command(op.command) is None:
            report[op.name] = {"status": "skipped", "reason": "feature not installed"}
            say(f"{op.name}: feature not installed (no /{op.command}) — skipped")
    return ops, report


async def beside_its_floor(
    op: Operation,
    raw: Any,
    app: Any,
    seeded: Seeded,
    config: CommunityConfig,
    clock: FixedClock,
    rng: random.Random,
    repeat: int,
    *,
    max_ops: int | None,
    concurrency: int,
    floors: list[dict[str, Any]],
) -> tuple[Day, int] | str:
    """One operation's round: its floor (appended to `floors`), then its day, prepared.

    Returns the day (the clock set to it) and how many requests to plan, or the
    reason the operation is skipped. The day and the scale-out run share this, so
    both measure each operation beside a floor taken the same way.
    """
    count = op.count(seeded.members)
    if max_ops is not None:
        count = min(count, max_ops)
    base = await floor_sample(op, raw, app, seeded, config, clock, rng, repeat, count, concurrency)
    if base is not None:
        floors.append(base)
    our_day = BASE + timedelta(days=2 * repeat)
    clock.set(our_day)
    day = Day(app, seeded, our_day, repeat, rng)
    if op.prepare is not None and (reason := await op.prepare(day)) is not None:
        return reason
    return day, count
