"""Admission: a few units of work at once on PostgreSQL, the rest queue; none waits on itself.

The limit itself is plain asyncio (tested directly); then the unit-of-work
factory on the test's engine (PostgreSQL admits, SQLite has its writer gate),
and the AI mentor's real client over HTTP giving its turn back while the model
thinks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from bot.app import App, build_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.outside import current_turn, waiting_outside
from storage.admission import Admission
from tests.conftest import invoke
from tests.fakes.openai_server import FakeOpenAI
from tests.support.ai import app_with_ai
from tests.support.boards import member

STUCK = 30.0  # seconds: only a deadlock takes this long (a failure, not a hang)


async def _until(what: str, holds: Callable[[], bool]) -> None:
    """Let the loop run until `holds()` (a few hops of the tasks involved at most)."""
    for _ in range(100):
        if holds():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"never: {what}")


async def test_units_beyond_the_limit_wait_and_enter_in_arrival_order() -> None:
    admission = Admission(2)
    release = [asyncio.Event() for _ in range(4)]
    entered: list[int] = []

    async def unit(n: int) -> None:
        async with admission():
            entered.append(n)
            await release[n].wait()

    tasks = [asyncio.create_task(unit(n)) for n in range(4)]
    await _until("two admitted", lambda: admission.running == 2)
    for _ in range(10):
        await asyncio.sleep(0)
    assert entered == [0, 1]  # the others wait
    release[1].set()
    await _until("the third in", lambda: len(entered) == 3)
    assert entered == [0, 1, 2] and admission.running == 2
    release[0].set()
    release[2].set()
    release[3].set()
    await asyncio.gather(*tasks)
    assert entered == [0, 1, 2, 3] and admission.running == 0


async def test_a_members_short_read_goes_before_the_writes_already_waiting() -> None:
    admission = Admission(1)
    order: list[str] = []
    release = asyncio.Event()

    async def unit(name: str, *, urgent: bool = False) -> None:
        async with admission(urgent=urgent):
            order.append(name)
            if name == "first":
                await release.wait()

    first = asyncio.create_task(unit("first"))
    await _until("first in", lambda: order == ["first"])
    writes = [asyncio.create_task(unit(f"write {n}")) for n in range(2)]
    for _ in range(5):
        await asyncio.sleep(0)
    read = asyncio.create_task(unit("read", urgent=True))
    for _ in range(5):
        await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, read, *writes)
    assert order == ["first", "read", "write 0", "write 1"] and admission.running == 0


async def test_a_unit_opened_inside_an_admitted_one_never_waits_for_a_turn() -> None:
    admission = Admission(1)
    done: list[str] = []

    async def child() -> None:
        async with admission():
            done.append("child task")

    async with admission():
        async with admission():  # the same task: a job reading, then writing per item
            done.append("nested")
        await asyncio.gather(child(), child())  # tasks it started share its turn
        assert admission.running == 1
    assert done == ["nested", "child task", "child task"] and admission.running == 0


async def test_a_task_that_outlives_its_unit_queues_like_a_newcomer() -> None:
    admission = Admission(1)
    go_on = asyncio.Event()

    async def later() -> bool:
        await go_on.wait()
        assert current_turn() is None  # the unit that started it has ended
        async with admission():
            return admission.running == 1

    async with admission():
        straggler = asyncio.create_task(later())
    go_on.set()
    assert await straggler


async def test_waiting_outside_gives_the_turn_to_the_next_unit_and_takes_it_back() -> None:
    admission = Admission(1)
    answer, asked = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def asker() -> None:
        async with admission():
            async with waiting_outside():
                order.append("asking")
                asked.set()
                await answer.wait()
            order.append("answered")
            assert admission.running == 1  # its turn taken again
            async with admission():  # and still its own: no wait for units inside it
                order.append("recorded")

    async def other() -> None:
        async with admission():
            order.append("other ran")

    asking = asyncio.create_task(asker())
    await asked.wait()
    # Held through the wait, the turn would keep `other` out until the answer came.
    await asyncio.wait_for(other(), STUCK)
    answer.set()
    await asking
    assert order == ["asking", "other ran", "answered", "recorded"]
    assert admission.running == 0


async def test_a_cancelled_wait_for_the_turn_gives_nothing_back_twice() -> None:
    admission = Admission(1)
    answer = asyncio.Event()

    async def asker() -> None:
        async with admission(), waiting_outside():
            await answer.wait()

    async with admission():
        first = asyncio.create_task(asker())
        for _ in range(5):
            await asyncio.sleep(0)
    # The asker got in, gave its turn back to wait outside, and is cancelled while
    # queued to take it again: the count stays exact.
    await _until("asker waiting outside", lambda: admission.running == 0)
    async with admission():
        answer.set()
        await asyncio.sleep(0)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        assert admission.running == 1
    assert admission.running == 0


async def test_postgresql_units_queue_at_the_pool_size_and_nested_ones_run(
    database_url: str, engine_name: str
) -> None:
    app = await build_app(database_url, CommunityConfig(), upgrade=False, pool_size=2)
    try:
        factory = app.uow
        if engine_name == "sqlite":  # one writer, taken in turns: no admission
            assert factory.admission is None
            return
        admission = factory.admission
        assert admission is not None and admission.size == 2
        pool = app.database.writer.pool
        most = 0
        gate = asyncio.Event()

        async def unit() -> None:
            nonlocal most
            async with factory(read_only=True) as outer:
                await gate.wait()
                async with factory() as inner:  # a second connection, from the overflow
                    assert inner.connection is not outer.connection
                most = max(most, pool.checkedout())  # type: ignore[attr-defined]

        tasks = [asyncio.create_task(unit()) for _ in range(6)]
        await _until("two admitted", lambda: admission.running == 2)
        assert pool.checkedout() == 2  # type: ignore[attr-defined]
        gate.set()
        await asyncio.wait_for(asyncio.gather(*tasks), STUCK)  # no unit waits on itself
        assert most <= 4 and admission.running == 0
    finally:
        await app.close()


@pytest.fixture
async def one_turn_app(
    database_url: str, clock: FixedClock, openai_fake: FakeOpenAI
) -> AsyncIterator[App]:
    """The app with a single admission place and the AI mentor over HTTP to the fake."""
    async with app_with_ai(
        database_url,
        CommunityConfig(),
        clock,
        openai_fake,
        max_retries=0,
        pool_size=1,
        request_seconds=10,
    ) as app:
        yield app


async def test_a_member_checks_in_while_another_members_question_is_with_the_model(
    one_turn_app: App, openai_fake: FakeOpenAI
) -> None:
    app = one_turn_app
    await member(app, "alice")
    await member(app, "bob")
    openai_fake.slow(3.0, "Keep showing up.")
    asking = asyncio.create_task(invoke(app, "alice", "ask", "how do I keep my streak?"))
    for _ in range(1000):  # until the question is with the model (10 s at most)
        if openai_fake.requests:
            break
        await asyncio.sleep(0.01)
    reply = await invoke(app, "bob", "checkin")
    assert "checked in" in reply.text
    assert not asking.done()  # bob did not wait for alice's answer
    assert (await asking).text == "Keep showing up."
