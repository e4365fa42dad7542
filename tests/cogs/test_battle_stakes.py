"""Stakes on the ledger's escrow: held at challenge and accept, paid or refunded once."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.app import App, build_app
from cogs.kit import Tone
from domain.battles import BattlesSection, Side, Status
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from storage.battles import BattleRow
from storage.check import ledger_problems
from tests.cogs.battle_helpers import battle, challenge, click, run_timers
from tests.conftest import invoke
from tests.helpers_ledger import assert_ledger_sound, fund, open_escrow
from tests.support.boards import balance, count, member


async def funded(app: App, *names: str, amount: int = 100) -> None:
    for name in names:
        await fund(app, await member(app, name), amount, f"fund:{name}")


async def test_the_winner_takes_both_stakes(app: App, clock: FixedClock) -> None:
    await funded(app, "ana", "bob")
    bid = await challenge(app, "ana", "@bob Explain DNS --stake 30")
    assert await balance(app, "ana") == 70 and await open_escrow(app) == 30
    await invoke(app, "bob", "battle accept", str(bid))
    assert await balance(app, "bob") == 70 and await open_escrow(app) == 60
    await invoke(app, "ana", "battle submit", f"{bid} phone book")
    await invoke(app, "bob", "battle submit", f"{bid} numbers")
    b = await battle(app, bid)
    assert b.opponent_id is not None
    bob_side = b.side_of(b.opponent_id)
    assert bob_side is not None
    for voter in ("v1", "v2", "v3"):
        await invoke(app, voter, "battle vote", f"{bid} {bob_side.value}")
    clock.advance(timedelta(days=1, minutes=1))
    await run_timers(app, clock.now())
    assert (await battle(app, bid)).winner_id == b.opponent_id
    assert await balance(app, "bob") == 130 and await balance(app, "ana") == 70
    assert await open_escrow(app) == 0
    await assert_ledger_sound(app)


async def test_draws_declines_expiries_and_cancels_refund_every_stake(
    app: App, clock: FixedClock
) -> None:
    await funded(app, "ana", "bob")
    declined = await challenge(app, "ana", "@bob One --stake 10")
    await invoke(app, "bob", "battle decline", str(declined))
    expired = await challenge(app, "ana", "@bob Two --stake 10")
    drawn = await challenge(app, "ana", "@bob Three --stake 10")
    await invoke(app, "bob", "battle accept", str(drawn))
    await invoke(app, "ana", "battle submit", f"{drawn} a")
    await invoke(app, "bob", "battle submit", f"{drawn} b")
    cancelled = await challenge(app, "bob", "@ana Four --stake 20")
    await invoke(app, "ana", "battle accept", str(cancelled))
    assert await open_escrow(app) == 70
    await invoke(app, "mia", "admin battle cancel", f"{cancelled} copied entries", mod=True)
    clock.advance(timedelta(days=2))
    await run_timers(app, clock.now())  # the challenge expires, the vote closes without quorum
    assert (await battle(app, expired)).status is Status.EXPIRED
    assert (await battle(app, drawn)).draw
    assert await open_escrow(app) == 0
    assert await balance(app, "ana") == 100 and await balance(app, "bob") == 100
    await assert_ledger_sound(app)


async def test_a_stake_above_the_balance_is_refused_and_changes_nothing(app: App) -> None:
    await funded(app, "ana", amount=20)
    await funded(app, "bob", amount=5)
    big = await invoke(app, "ana", "battle challenge", "@bob Explain DNS --stake 21")
    assert (
        big.tone is Tone.ERROR and "You have **20** points, not enough to stake **21**" in big.text
    )
    assert await count(app, BattleRow.__table__) == 0
    bid = await challenge(app, "ana", "@bob Explain DNS --stake 10")
    poor = await invoke(app, "bob", "battle accept", str(bid))
    assert poor.tone is Tone.ERROR and "not enough to stake **10**" in poor.text
    assert (await battle(app, bid)).status is Status.PENDING
    assert await balance(app, "bob") == 5 and await balance(app, "ana") == 10
    await assert_ledger_sound(app)


@pytest.fixture
async def arena(database_url: str, clock: FixedClock) -> AsyncIterator[App]:
    """Fair-play limits out of the way: a hundred battles between ten members."""
    cfg = BattlesSection(daily_limit=10_000, pair_weekly_limit=10_000, max_stake=60)
    app = await build_app(database_url, CommunityConfig(battles=cfg), clock=clock, upgrade=False)
    try:
        yield app
    finally:
        await app.close()


async def test_a_hundred_random_battles_conserve_every_point(arena: App, clock: FixedClock) -> None:
    app, rng = arena, random.Random(16)
    fighters = [f"f{i}" for i in range(10)]
    await funded(app, *fighters, amount=300)
    for voter in ("v0", "v1", "v2", "v3"):
        await invoke(app, voter, "help")
    outcomes: dict[str, int] = {}
    for n in range(100):
        one, two = rng.sample(fighters, 2)
        stake = rng.choice((0, 0, 5, 20, 60, 400))  # 400 is above the cap: refused
        path = rng.choice(("vote", "vote", "forfeit", "decline", "expire", "cancel", "race"))
        terms = f"Prompt {n} --stake {stake} --minutes 30"
        if path == "race":
            made = await invoke(app, one, "battle open", terms)
        else:
            made = await invoke(app, one, "battle challenge", f"@{two} {terms}")
        if made.tone is Tone.ERROR:
            outcomes["refused"] = outcomes.get("refused", 0) + 1
            continue
        bid = int((made.title or "#0").split("#")[1].split(" ")[0])
        if path == "decline":
            await invoke(app, two, "battle decline", str(bid))
        elif path == "expire":
            clock.advance(timedelta(days=1, minutes=1))
            await run_timers(app, clock.now())
        else:
            takers = rng.sample([f for f in fighters if f != one], 3) if path == "race" else [two]
            await asyncio.gather(*(click(app, t, f"battle.accept:{bid}") for t in takers))
            b = await battle(app, bid)
            if b.status is Status.PENDING:  # nobody could afford it: let it expire
                clock.advance(timedelta(days=1, minutes=1))
                await run_timers(app, clock.now())
            elif path == "cancel":
                await invoke(app, "mod", "admin battle cancel", f"{bid} test", mod=True)
            else:
                writers = [one, *takers]  # takers who lost the race are refused: no harm
                submitters = writers if path != "forfeit" else writers[:1]
                for who in submitters:
                    await invoke(app, who, "battle submit", f"{bid} entry of {who}")
                for voter in ("v0", "v1", "v2", "v3")[: rng.randint(0, 4)]:
                    await invoke(
                        app, voter, "battle vote", f"{bid} {rng.choice((Side.A, Side.B)).value}"
                    )
                clock.advance(timedelta(days=1, minutes=1))
                await run_timers(app, clock.now())
        final = await battle(app, bid)
        assert final.status.final, (n, path, final.status)
        outcomes[str(final.status)] = outcomes.get(str(final.status), 0) + 1
    assert await open_escrow(app) == 0
    total = sum([await balance(app, f) for f in fighters])
    assert total == 10 * 300, outcomes
    assert outcomes.get("finished", 0) >= 20 and outcomes.get("refused", 0) >= 5, outcomes
    await assert_ledger_sound(app)


async def test_db_check_reports_a_stake_stranded_by_a_battle_that_ended_without_paying(
    app: App,
) -> None:
    await funded(app, "ana", "bob")
    bid = await challenge(app, "ana", "@bob Explain DNS --stake 30")
    await invoke(app, "bob", "battle accept", str(bid))
    await assert_ledger_sound(app)  # both stakes held while the battle lives
    async with app.database.writer.begin() as conn:  # a bug ends it and forgets the pot
        await conn.execute(
            update(BattleRow).where(BattleRow.id == bid).values(status=str(Status.FINISHED))
        )
    problems = await ledger_problems(app.database.reader)
    assert len(problems) == 2 and all("of their stake held" in p for p in problems), problems
