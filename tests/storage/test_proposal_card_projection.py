"""A proposal's live card follows its votes through the card projection, never inside a vote."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from tests.conftest import invoke
from tests.support.proposals import outbox, propose


def _tally(row: Any) -> str:
    return str({f["name"]: f["value"] for f in row.payload["fields"]}["Tally"])


async def _edits(app: App) -> list[Any]:
    return [r for r in await outbox(app) if r.target == "edit"]


def _pause(app: App) -> None:
    app.uow.settle_after_commit = False
    app.uow.projector.workers = 0  # commits log their activities; nothing applies them


async def _apply(app: App) -> None:
    app.uow.projector.workers = 1
    while await app.uow.projector.run_once():
        pass


async def test_votes_queue_no_edit_and_one_batch_renders_the_latest_tally_once(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    _pause(app)
    for who in ("bob", "cy", "dee"):
        assert (await invoke(app, who, "vote", f"{pid} for")).tone is Tone.SUCCESS
    await invoke(app, "cy", "vote", f"{pid} against")  # a change
    await invoke(app, "dee", "vote", f"{pid} retract")  # a withdrawal
    assert await _edits(app) == []  # the votes' own transactions queued no card edit
    await _apply(app)
    edits = await _edits(app)
    assert len(edits) == 1
    assert "For **1**" in _tally(edits[0]) and "Against **1**" in _tally(edits[0])
    assert "(2 voters)" in _tally(edits[0])


async def test_changes_at_one_instant_all_reach_the_card(app: App) -> None:
    """for, against, for again with a fixed clock: three changes, the card shows the last."""
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    for choice in ("for", "against", "for"):
        assert (await invoke(app, "bob", "vote", f"{pid} {choice}")).tone is Tone.SUCCESS
    (edit,) = await _edits(app)
    assert "For **1**" in _tally(edit) and "Against **0**" in _tally(edit)


async def test_votes_applied_after_the_close_never_edit_the_final_card(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    _pause(app)
    await invoke(app, "bob", "vote", f"{pid} for")
    closed = await invoke(app, "mia", "admin proposal close", f"{pid} enough", mod=True)
    assert closed.tone is not Tone.ERROR, closed.text
    finals = await _edits(app)
    await _apply(app)  # the vote's activity is applied after the close
    assert await _edits(app) == finals
    assert all(not r.payload["buttons"] for r in finals)  # the final card: no vote buttons


async def test_concurrent_votes_and_projector_runs_leave_the_card_at_the_final_tally(
    app: App, clock: FixedClock
) -> None:
    """Projector batches racing the votes: the last edit still shows every vote."""
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
    edits = await _edits(app)
    last = max(edits, key=lambda r: (r.not_before, r.id))
    assert "For **40**" in _tally(last) and "(40 voters)" in _tally(last)
    assert app.runner.unhandled_errors == 0
