"""The gate's turns: urgent waiters first, a place handed on, none lost or given twice.

One place is SQLite's writer; several, PostgreSQL's admission.
"""

from __future__ import annotations

import asyncio

import pytest

from storage.gate import Gate


async def _take(gate: Gate, name: str, order: list[str], *, urgent: bool = False) -> None:
    async with gate.turn(urgent=urgent):
        order.append(name)
        await asyncio.sleep(0)


async def test_an_urgent_turn_goes_before_every_queued_command() -> None:
    gate = Gate()
    order: list[str] = []
    async with gate.turn():
        waiting = [asyncio.ensure_future(_take(gate, f"command {n}", order)) for n in range(3)]
        await asyncio.sleep(0)
        projector = asyncio.ensure_future(_take(gate, "projector", order, urgent=True))
        await asyncio.sleep(0)
        assert gate.queued == 4
    await asyncio.gather(*waiting, projector)
    assert order == ["projector", "command 0", "command 1", "command 2"]
    assert gate.queued == 0


async def test_a_cancelled_waiter_neither_holds_nor_blocks_the_writer() -> None:
    gate = Gate()
    order: list[str] = []
    async with gate.turn():
        gone = asyncio.ensure_future(_take(gate, "gone", order))
        after = asyncio.ensure_future(_take(gate, "after", order))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.sleep(0)
    await after
    assert gone.cancelled() and order == ["after"]
    async with gate.turn():  # free again: taken at once
        assert gate.queued == 0


async def test_a_free_writer_is_taken_at_once_and_released_on_error() -> None:
    gate = Gate()
    try:
        async with gate.turn():
            raise RuntimeError("the unit of work failed")
    except RuntimeError:
        pass
    await asyncio.wait_for(_take(gate, "next", []), timeout=5)


async def test_a_gate_of_two_places_holds_two_and_hands_a_freed_place_to_the_next() -> None:
    gate = Gate(2)
    order: list[str] = []
    await gate.enter()
    await gate.enter()
    third = asyncio.ensure_future(_take(gate, "third", order))
    await asyncio.sleep(0)
    assert gate.held == 2 and gate.queued == 1 and order == []
    gate.leave()
    await third
    assert order == ["third"] and gate.held == 1
    gate.leave()
    assert gate.held == 0


async def test_a_place_handed_to_a_cancelled_waiter_goes_on_to_the_next() -> None:
    gate = Gate(1)
    await gate.enter()
    second = asyncio.ensure_future(gate.enter())
    third = asyncio.ensure_future(gate.enter())
    await asyncio.sleep(0)
    gate.leave()  # handed to the second, which is cancelled before it runs
    second.cancel()
    with pytest.raises(asyncio.CancelledError):
        await second
    await third  # the place went on to the third, never free in between
    assert gate.held == 1 and gate.queued == 0
    gate.leave()
    assert gate.held == 0
