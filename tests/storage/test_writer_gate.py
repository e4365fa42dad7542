"""The SQLite writer's turns: the projector goes before queued commands, none is lost."""

from __future__ import annotations

import asyncio

from storage.writer_gate import WriterGate


async def _take(gate: WriterGate, name: str, order: list[str], *, urgent: bool = False) -> None:
    async with gate.turn(urgent=urgent):
        order.append(name)
        await asyncio.sleep(0)


async def test_an_urgent_turn_goes_before_every_queued_command() -> None:
    gate = WriterGate()
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
    gate = WriterGate()
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
    gate = WriterGate()
    try:
        async with gate.turn():
            raise RuntimeError("the unit of work failed")
    except RuntimeError:
        pass
    await asyncio.wait_for(_take(gate, "next", []), timeout=5)
