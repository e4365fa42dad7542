"""A proposal's live card follows its votes: queued by a projection, rendered when sent."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.app import App
from bot.scheduler import OutboxDeliverer
from cogs.kit import Tone
from domain.core.clock import FixedClock
from tests.conftest import invoke
from tests.support.proposals import outbox, propose
from tests.support.scheduling import Recorder


async def _edits(app: App) -> list[Any]:
    return [r for r in await outbox(app) if r.target == "edit"]


def _pause(app: App) -> None:
    app.uow.settle_after_commit = False
    app.uow.projector.workers = 0  # commits log their activities; nothing applies them


async def _apply(app: App) -> None:
    app.uow.projector.workers = 1
    while await app.uow.projector.run_once():
        pass


class _Sent:
    """The card edits a deliverer sends, as members would see them."""

    def __init__(self, app: App, clock: FixedClock) -> None:
        self._clock = clock
        self._recorder = Recorder(clock)
        self._deliverer = OutboxDeliverer(app.uow, app.config, clock, [self._recorder])

    async def after_the_period(self) -> list[str]:
        """Let the throttle period end, deliver, and return every edit's tally so far."""
        self._clock.advance(timedelta(seconds=11))
        await self._deliverer.drain()
        return [
            {f.name: f.value for f in d.reply.fields}["Tally"]
            for _, d in self._recorder.of_kind("proposal.card")
            if d.target == "edit"
        ]

    async def now(self) -> None:
        await self._deliverer.drain()


async def test_votes_queue_no_edit_and_one_batch_queues_one_rendered_as_sent(
    app: App, clock: FixedClock
) -> None:
    sent = _Sent(app, clock)
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    await sent.now()
    _pause(app)
    for who in ("bob", "cy", "dee"):
        assert (await invoke(app, who, "vote", f"{pid} for")).tone is Tone.SUCCESS
    await invoke(app, "cy", "vote", f"{pid} against")  # a change
    await invoke(app, "dee", "vote", f"{pid} retract")  # a withdrawal
    assert await _edits(app) == []  # the votes' own transactions queued no card edit
    await _apply(app)
    assert len(await _edits(app)) == 1  # five votes, one edit
    await invoke(app, "eve", "vote", f"{pid} for")  # after the batch, before the send
    await _apply(app)
    assert len(await _edits(app)) == 1  # same period: the same edit
    (tally,) = await sent.after_the_period()
    assert "For **2**" in tally and "Against **1**" in tally and "(3 voters)" in tally


async def test_changes_at_one_instant_all_reach_the_card(app: App, clock: FixedClock) -> None:
    """for, against, for again with a fixed clock: three changes, the card shows the last."""
    sent = _Sent(app, clock)
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    for choice in ("for", "against", "for"):
        assert (await invoke(app, "bob", "vote", f"{pid} {choice}")).tone is Tone.SUCCESS
    (tally,) = await sent.after_the_period()
    assert "For **1**" in tally and "Against **0**" in tally


async def test_votes_applied_after_the_close_never_edit_the_final_card(
    app: App, clock: FixedClock
) -> None:
    sent = _Sent(app, clock)
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    await sent.now()
    _pause(app)
    await invoke(app, "bob", "vote", f"{pid} for")
    closed = await invoke(app, "mia", "admin proposal close", f"{pid} enough", mod=True)
    assert closed.tone is not Tone.ERROR, closed.text
    await _apply(app)  # the vote's activity is applied after the close: a live edit queued
    tallies = await sent.after_the_period()
    assert len(tallies) == 1  # only the final card: the late live edit rendered nothing
    assert all(r.status == "sent" for r in await _edits(app))  # and is not retried


async def test_concurrent_votes_and_projector_runs_leave_the_card_at_the_final_tally(
    app: App, clock: FixedClock
) -> None:
    """Projector batches racing the votes: the edit sent shows every vote."""
    sent = _Sent(app, clock)
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    app.uow.settle_after_commit = False
    voters = [f"v{i:02}" for i in range(40)]

    async def drain() -> None:
        for _ in range(20):
            await app.uow.projector.run_once()
            await asyncio.sleep(0)

    await asyncio.gather(
        *(invoke(app, who, "vote", f"{pid} for") for who in voters), drain(), drain()
    )
    await app.uow.projector.settle()
    tallies = await sent.after_the_period()
    assert "For **40**" in tallies[-1] and "(40 voters)" in tallies[-1]
    assert app.runner.unhandled_errors == 0
