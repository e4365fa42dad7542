"""Votes under load, live card edits, restarts and reactions — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.app import App, build_app
from cogs.kit import Reply, Tone
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.proposals import ProposalRepository, Status
from storage.check import balance_mismatches
from tests.conftest import invoke
from tests.support.proposals import (
    click,
    counted_votes,
    outbox,
    post_card,
    propose,
    react,
    sweep,
)


async def _enrol(app: App, names: list[str]) -> None:
    for name in names:
        await invoke(app, name, "help")


async def test_200_concurrent_clicks_from_100_members_count_100_votes(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    members = [f"m{i:03}" for i in range(100)]
    await _enrol(app, members)
    clicks = [
        click(app, who, f"proposal.vote:{pid}:{choice}")
        for who in members
        for choice in ("for", "against")
    ]
    replies: list[Reply] = await asyncio.gather(*clicks)
    assert all(r.tone is Tone.SUCCESS for r in replies), {r.text for r in replies}
    assert app.runner.unhandled_errors == 0
    assert await counted_votes(app, pid) == 100
    async with app.uow(read_only=True) as uow:
        proposal = await uow.get(ProposalRepository).get(1, pid)  # type: ignore[arg-type]
        tally = await uow.get(ProposalRepository).tally(pid)  # type: ignore[arg-type]
    assert proposal is not None
    assert tally.voters == 100 and tally.for_weight + tally.against_weight == 100
    # Each member was rewarded for one vote, never two.
    assert "**2**" in (await invoke(app, "m000", "points balance")).text
    assert await balance_mismatches(app.database.reader) == []


async def test_a_burst_of_500_votes_yields_few_card_edits_with_the_final_tally(
    app: App, clock: FixedClock
) -> None:
    from bot.scheduler import OutboxDeliverer
    from tests.support.scheduling import Recorder

    recorder = Recorder(clock)
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [recorder])
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    members = [f"v{i:03}" for i in range(100)]
    await _enrol(app, members)
    await deliverer.drain()  # the card itself
    choices = ("for", "against", "abstain", "for", "for")
    for round_, choice in enumerate(choices):  # 5 rounds x 100 members = 500 votes
        await asyncio.gather(*(invoke(app, who, "vote", f"{pid} {choice}") for who in members))
        clock.advance(timedelta(seconds=7))  # the burst spans 35 seconds
        await deliverer.drain()  # the edits of the periods that ended
        assert app.runner.unhandled_errors == 0, round_
    edits = [r for r in await outbox(app) if r.target == "edit"]
    # card_update_seconds = 10: a 35-second burst fits in at most 5 periods.
    assert 1 <= len(edits) <= 5, len(edits)
    assert all(r.anchor == f"proposal:{pid}" for r in edits)
    assert all(r.not_before > r.created_at for r in edits)
    clock.advance(timedelta(seconds=10))
    await deliverer.drain()
    sent = [d for _, d in recorder.of_kind("proposal.card") if d.target == "edit"]
    assert len(sent) == len(edits)  # one edit per period, each rendered as it was sent
    tally = {f.name: f.value for f in sent[-1].reply.fields}["Tally"]
    assert "For **100**" in tally and "(100 voters)" in tally


async def test_a_restart_loses_nothing_and_the_deadline_still_closes(
    database_url: str, config: CommunityConfig, clock: FixedClock
) -> None:
    first = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        pid = await propose(first, "ana", 'feature "Dark mode" please --deadline 3d')
        for who in ("bob", "carol", "dave"):
            await invoke(first, who, "vote", f"{pid} for")
        await invoke(first, "erin", "vote", f"{pid} against")
    finally:
        await first.close()
    clock.advance(timedelta(days=3, minutes=5))  # the bot was down when the deadline passed
    second = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        job = next(j for j in second.registry.jobs if j.name == "proposals.close_due")
        assert job.grace is None  # a missed close still runs after a restart
        await job.handler(clock.now())
        await job.handler(clock.now())  # a second run (or a second process) changes nothing
        show = await invoke(second, "bob", "proposal show", str(pid))
        fields = {f.name: f.value for f in show.fields}
        assert "Approved" in fields["Status"]
        assert "For **3** · 👎 Against **1**" in fields["Tally"]
        assert fields["Your vote"] == "for"
        async with second.uow(read_only=True) as uow:
            history = await uow.get(ProposalRepository).history(pid)  # type: ignore[arg-type]
        assert [h.to_status for h in history] == [Status.ACTIVE, Status.APPROVED]
        assert history[1].actor_id is None  # closed by the deadline
        results = [r for r in await outbox(second) if r.kind == "proposal.result"]
        assert len(results) == 1
        assert "**50**" in (await invoke(second, "ana", "points balance")).text
    finally:
        await second.close()


async def test_concurrent_sweeps_and_a_moderator_close_a_proposal_once(
    app: App, clock: FixedClock
) -> None:
    ids = [await propose(app, f"a{i}", f'feature "Idea {i}" text --deadline 1h') for i in range(5)]
    clock.advance(timedelta(hours=1))
    job = sweep(app)
    outcomes = await asyncio.gather(
        job(clock.now()),
        job(clock.now()),
        invoke(app, "mia", "admin proposal close", f"{ids[0]} now", mod=True),
    )
    assert outcomes[2].tone in (Tone.SUCCESS, Tone.WARNING, Tone.ERROR)
    async with app.uow(read_only=True) as uow:
        repo = uow.get(ProposalRepository)
        for pid in ids:
            history = await repo.history(pid)  # type: ignore[arg-type]
            assert [h.to_status for h in history] == [Status.ACTIVE, Status.REJECTED], pid
    results = [r for r in await outbox(app) if r.kind == "proposal.result"]
    assert len(results) == 5


async def test_reactions_on_the_card_vote_and_removing_them_retracts(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    await post_card(app, pid, "msg-1")
    added = await react(app, "bob", "👍", "msg-1")
    assert added is not None and "is now **for**" in added.text
    assert await counted_votes(app, pid) == 1
    changed = await react(app, "bob", "👎", "msg-1")
    assert changed is not None and "to **against**" in changed.text
    # Removing the older 👍 must not cancel the newer 👎 vote.
    stale = await react(app, "bob", "👍", "msg-1", added=False)
    assert stale is not None and "changed nothing" in stale.text
    assert await counted_votes(app, pid) == 1
    removed = await react(app, "bob", "👎", "msg-1", added=False)
    assert removed is not None and "took back" in removed.text
    assert await counted_votes(app, pid) == 0
    # Other messages, other emojis and bots are not counted.
    assert await react(app, "carol", "👍", "some-other-message") is None
    assert await react(app, "carol", "🎉", "msg-1") is None
    assert await react(app, "botty", "👍", "msg-1", is_bot=True) is None
    assert await counted_votes(app, pid) == 0
    # Toggling a reaction earns the vote reward once.
    await react(app, "bob", "👍", "msg-1")
    assert "**2**" in (await invoke(app, "bob", "points balance")).text
