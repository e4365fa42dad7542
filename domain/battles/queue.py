"""The AI judge's queue: each attempt is claimed in the database before the model is asked.

The minute job may overlap itself or run in two processes; a claim is one
conditional UPDATE (attempts made so far, and due by now), so exactly one
runner asks the model for an attempt, and its lease keeps the others off
while it waits. A failed attempt is retried by a later run after a backoff
(1, 2, 4… minutes), so a short outage does not send the battle to a vote;
after `judge_attempts` attempts it goes to the community's vote instead.
A runner that crashes mid-attempt leaves the lease to run out, and that
attempt counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.battles.model import Battle
from domain.battles.repository import battles
from domain.core.uow import UnitOfWork

LEASE = timedelta(minutes=10)
"""Longer than two judge readings with the client's timeouts and retries."""

BATCH = 20


async def due(uow: UnitOfWork, now: datetime) -> list[Battle]:
    """Battles waiting for the judge whose next attempt may start by `now`."""
    return await battles(uow).judge_queue(now, BATCH)


def exhausted(battle: Battle, attempts: int) -> bool:
    """Every allowed attempt was made (and none decided): the community votes."""
    return battle.judge_attempts >= attempts


async def claim(uow: UnitOfWork, battle: Battle, now: datetime) -> bool:
    """Take the battle's next attempt; False if another runner took it first."""
    return await battles(uow).claim_judging(battle.id, battle.judge_attempts, now, now + LEASE)


def backoff(attempt: int) -> timedelta:
    """How long after failed attempt `attempt` (1-based) the next may start."""
    return timedelta(minutes=2 ** max(attempt - 1, 0))


async def retry_later(uow: UnitOfWork, battle: Battle, attempt: int, now: datetime) -> None:
    """Attempt `attempt` failed: release the lease and wait out the backoff."""
    await battles(uow).judge_later(battle.id, now + backoff(attempt))
