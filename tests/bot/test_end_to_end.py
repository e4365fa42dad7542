"""End to end: a proposal lives through a restart and still closes on time, once.

Issue 4 asks that "a restart in the middle of a proposal's life loses nothing and
the auto-close still fires". This drives it the way production does: commands
through the runner, the real scheduler and outbox deliverer (`Background`) in
process A, then A goes away, a new App on the same database starts process B,
and B's scheduler closes the proposal at its deadline. Nothing here calls the
close job directly.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App, build_app
from bot.scheduler import Background
from cogs.kit import Tone
from domain.core.announcements import Target
from domain.core.clock import FixedClock
from storage.outbox import OutboxRow
from storage.points import LedgerRow
from storage.proposals import ProposalHistoryRow, ProposalRow
from tests.conftest import invoke
from tests.support.proposals import click, propose
from tests.support.scheduling import Recorder, step, times


async def _history(app: App, pid: int) -> list[tuple[str | None, str]]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(ProposalHistoryRow.from_status, ProposalHistoryRow.to_status)
            .where(ProposalHistoryRow.proposal_id == pid)
            .order_by(ProposalHistoryRow.id)
        )
        return [(r[0], r[1]) for r in rows]


async def _result_rows(app: App, pid: int) -> int:
    async with app.database.reader.connect() as conn:
        found = await conn.execute(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.dedupe_key == f"proposal:{pid}:result")
        )
        return int(found.scalar_one())


async def test_a_restart_mid_vote_loses_nothing_and_the_deadline_closes_it_once(
    app: App, clock: FixedClock, database_url: str
) -> None:
    start = clock.now()
    for name in ("ana", "bob", "carol", "dave"):
        await invoke(app, name, "checkin")
    pid = await propose(app, "ana", 'feature "Dark mode" A dark theme --deadline 2d')
    deadline = start + timedelta(days=2)

    # Process A runs: votes arrive by command and by button, A posts cards and edits.
    first = Recorder(clock)
    process_a = Background(app, [first], holder="process-a")
    await step(process_a, clock, start + timedelta(minutes=1))
    assert (await invoke(app, "bob", "vote", f"{pid} for")).tone is Tone.SUCCESS
    assert (await click(app, "carol", f"proposal.vote:{pid}:for")).tone is Tone.SUCCESS
    assert (await invoke(app, "dave", "vote", f"{pid} against")).tone is Tone.SUCCESS
    for at in times(start + timedelta(minutes=2), start + timedelta(hours=1)):
        await step(process_a, clock, at)
    cards = first.of_kind("proposal.card")
    assert [d.target for _, d in cards].count(Target.CHANNEL) == 1
    assert "For **2** · 👎 Against **1**" in str(cards[-1][1].reply.fields)
    assert first.of_kind("proposal.result") == []

    # A dies an hour in, without a goodbye; nothing runs until three hours past the deadline.
    await app.close()
    clock.set(deadline + timedelta(hours=3))
    restarted = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        # Nothing was lost: the tally and each member's own vote survived.
        shown = await invoke(restarted, "bob", "proposal show", str(pid))
        fields = {f.name: f.value for f in shown.fields}
        assert "For **2** · 👎 Against **1** · 🤷 Abstain **0**" in fields["Tally"]
        assert fields["Your vote"] == "for"

        second = Recorder(clock)
        process_b = Background(restarted, [second], holder="process-b")
        # B takes the lease once A's has expired and catches up the missed close.
        for at in times(clock.now(), clock.now() + timedelta(minutes=30), timedelta(minutes=1)):
            await step(process_b, clock, at)

        async with restarted.database.reader.connect() as conn:
            status = (
                await conn.execute(select(ProposalRow.status).where(ProposalRow.id == pid))
            ).scalar_one()
        assert status == "approved"
        assert await _history(restarted, pid) == [(None, "active"), ("active", "approved")]
        results = second.of_kind("proposal.result")
        assert len(results) == 1 and first.of_kind("proposal.result") == []
        assert results[0][0] == deadline + timedelta(hours=3)  # at B's first sweep
        assert "#1" in (results[0][1].reply.title or "")
        assert await _result_rows(restarted, pid) == 1

        # Late votes are refused and a later sweep changes nothing.
        late = await invoke(restarted, "bob", "vote", f"{pid} against")
        assert late.tone is Tone.ERROR
        for at in times(clock.now(), clock.now() + timedelta(hours=2), timedelta(minutes=15)):
            await step(process_b, clock, at)
        assert len(second.of_kind("proposal.result")) == 1
        assert await _history(restarted, pid) == [(None, "active"), ("active", "approved")]
        async with restarted.database.reader.connect() as conn:
            paid = await conn.execute(
                select(func.count())
                .select_from(LedgerRow)
                .where(LedgerRow.key == f"proposal.approved:{pid}")
            )
            assert paid.scalar_one() == 1  # the author's approval reward, once
    finally:
        await restarted.close()
