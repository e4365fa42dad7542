"""Waiting on an outside service (an AI model, Stripe) gives back a unit of work's turn.

On PostgreSQL only so many units of work run at once (`storage.admission`): a few
busy connections do more on a small machine than many that queue inside the
server. A handler that waits seconds for a model's answer or a payment page
while its unit is open would hold one of those turns for nothing, so the
clients in `bot/` wrap each outside call in `waiting_outside()`: the turn is
given back for the wait and taken again (queueing like any newcomer) after.

This module knows no database; the storage layer sets the current turn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from typing import Protocol


class Turn(Protocol):
    """A unit of work's place among those allowed to run at once."""

    @property
    def open(self) -> bool:
        """True until the unit that took the turn has ended."""
        ...

    def give_back(self) -> bool:
        """Let another unit run; False when this turn is not held (already given back)."""
        ...

    async def take_again(self) -> None:
        """Wait for a place again, after `give_back`."""
        ...


_CURRENT: ContextVar[Turn | None] = ContextVar("guildhall_unit_turn", default=None)


def current_turn() -> Turn | None:
    """The turn of the unit of work this task (or the task that started it) runs inside."""
    turn = _CURRENT.get()
    return turn if turn is not None and turn.open else None


def enter_turn(turn: Turn) -> Token[Turn | None]:
    """Record `turn` as this task's (units it opens inside run on it)."""
    return _CURRENT.set(turn)


def leave_turn(token: Token[Turn | None]) -> None:
    """Forget the turn `enter_turn` recorded (the unit has ended)."""
    _CURRENT.reset(token)


@asynccontextmanager
async def waiting_outside() -> AsyncIterator[None]:
    """Give back the current unit's turn while the block waits on an outside service."""
    turn = current_turn()
    gave = turn is not None and turn.give_back()
    try:
        yield
    finally:
        if gave and turn is not None:
            await turn.take_again()
