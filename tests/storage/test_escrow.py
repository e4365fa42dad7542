"""Escrow on the ledger: hold, release, refund, split; once per key, never more than held.

Run on SQLite and on PostgreSQL (where the pool really races the settlements).
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from bot.app import App
from domain.core.errors import AlreadyAppliedError, MemberLockedError
from domain.identity import Member
from domain.points import InsufficientPointsError
from domain.points.escrow import (
    EscrowService,
    EscrowSettledError,
    Hold,
    HoldId,
    InvalidFeeError,
    InvalidSplitError,
    Settlement,
)
from storage.check import escrow_problems, ledger_totals
from storage.escrow import EscrowHoldRow, EscrowMoveRow
from storage.points import LedgerRow
from tests.helpers_ledger import assert_ledger_sound, fund, open_escrow
from tests.helpers_progress import member


@pytest.fixture
def escrow(app: App) -> EscrowService:
    return EscrowService(app.clock)


async def balance(app: App, who: Member) -> int:
    async with app.uow(read_only=True) as uow:
        return await app.ctx.points.balance(uow, who.id)


async def hold(app: App, escrow: EscrowService, who: Member, amount: int, key: str) -> Hold:
    async with app.uow() as uow:
        held = await escrow.hold(uow, who, amount, purpose="market", key=key)
        await uow.commit()
    return held


async def release(
    app: App, escrow: EscrowService, hold_id: HoldId, to: Member, key: str, **kw: object
) -> Settlement:
    async with app.uow() as uow:
        done = await escrow.release(uow, hold_id, to.id, key=key, **kw)  # type: ignore[arg-type]
        await uow.commit()
    return done


async def buyer_and_seller(app: App, funds: int = 100) -> tuple[Member, Member]:
    buyer, seller = await member(app, "alice"), await member(app, "bob")
    await fund(app, buyer, funds, "fund-alice")
    return buyer, seller


async def test_a_hold_moves_the_balance_into_escrow_once_per_key(
    app: App, escrow: EscrowService
) -> None:
    buyer, _ = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 30, "order-1")
    assert (held.amount, held.remaining) == (30, 30)
    assert await balance(app, buyer) == 70
    assert await open_escrow(app) == 30
    with pytest.raises(AlreadyAppliedError):
        await hold(app, escrow, buyer, 30, "order-1")
    assert await balance(app, buyer) == 70
    async with app.database.reader.connect() as conn:
        kinds = (await conn.execute(select(LedgerRow.kind, LedgerRow.amount))).all()
    assert sorted(kinds) == [("adjusted", 100), ("held", -30)]
    await assert_ledger_sound(app)


async def test_a_hold_above_the_balance_or_by_a_locked_member_changes_nothing(
    app: App, escrow: EscrowService
) -> None:
    buyer, _ = await buyer_and_seller(app, funds=20)
    with pytest.raises(InsufficientPointsError):
        await hold(app, escrow, buyer, 21, "too-much")
    moderator = await member(app, "mod")  # enrolled before the writer is taken below
    async with app.uow() as uow:
        await app.ctx.points.lock_member(uow, moderator, buyer, "fraud check")
        await uow.commit()
    with pytest.raises(MemberLockedError):
        await hold(app, escrow, await member(app, "alice"), 5, "locked")
    assert await balance(app, buyer) == 20
    assert await open_escrow(app) == 0
    async with app.database.reader.connect() as conn:
        assert (await conn.execute(select(EscrowHoldRow.id))).all() == []
    await assert_ledger_sound(app)


async def test_release_pays_the_payee_minus_the_fee_and_closes_the_hold(
    app: App, escrow: EscrowService
) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 55, "order-1")
    done = await release(app, escrow, held.id, seller, "confirm", fee_percent=10)
    assert done.paid == {seller.id: 50} and done.fee == 5 and done.remaining == 0
    assert await balance(app, seller) == 50
    totals = await ledger_totals(app.database.reader)
    assert (totals.balances, totals.escrow, totals.fees, totals.issued) == (95, 0, 5, 100)
    with pytest.raises(AlreadyAppliedError):  # a double click on Confirm
        await release(app, escrow, held.id, seller, "confirm", fee_percent=10)
    with pytest.raises(EscrowSettledError):  # a second, different release
        await release(app, escrow, held.id, seller, "auto-release")
    assert await balance(app, seller) == 50
    async with app.uow(read_only=True) as uow:
        closed = await escrow.get(uow, held.id)
    assert closed is not None and not closed.is_open and closed.settled_at == app.clock.now()
    await assert_ledger_sound(app)


async def test_part_release_then_refund_of_the_rest(app: App, escrow: EscrowService) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 40, "stake")
    first = await release(app, escrow, held.id, seller, "part", amount=15)
    assert first.remaining == 25
    with pytest.raises(EscrowSettledError):
        await release(app, escrow, held.id, seller, "too-much", amount=26)
    async with app.uow() as uow:
        back = await escrow.refund(uow, held.id, key="decline")
        await uow.commit()
    assert back.paid == {buyer.id: 25} and back.fee == 0 and back.remaining == 0
    assert (await balance(app, buyer), await balance(app, seller)) == (85, 15)
    async with app.database.reader.connect() as conn:
        kinds = (await conn.execute(select(LedgerRow.kind).order_by(LedgerRow.id))).scalars()
        assert list(kinds) == ["adjusted", "held", "released", "returned"]
    await assert_ledger_sound(app)


async def test_split_by_percentage_rounds_down_and_charges_no_fee_on_the_refund(
    app: App, escrow: EscrowService
) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 33, "dispute")
    async with app.uow() as uow:
        done = await escrow.split(
            uow, held.id, [(seller.id, 60), (buyer.id, 40)], key="ruling", fee_percent=10
        )
        await uow.commit()
    # 60% of 33 = 19 (+1 left over by rounding, to the first share) = 20, fee 2; 40% = 13
    assert done.paid == {seller.id: 18, buyer.id: 13} and done.fee == 2
    assert (await balance(app, buyer), await balance(app, seller)) == (80, 18)
    await assert_ledger_sound(app)


async def test_bad_split_or_fee_is_refused_and_changes_nothing(
    app: App, escrow: EscrowService
) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 10, "x")
    async with app.uow() as uow:
        with pytest.raises(InvalidSplitError):
            await escrow.split(uow, held.id, [(seller.id, 60), (buyer.id, 30)], key="k")
        with pytest.raises(InvalidFeeError):
            await escrow.release(uow, held.id, seller.id, key="k", fee_percent=101)
    assert await open_escrow(app) == 10
    await assert_ledger_sound(app)


async def test_twenty_racing_payouts_never_take_more_than_was_held(
    app: App, escrow: EscrowService
) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 50, "pot")

    async def attempt(n: int, key: str) -> str:
        try:
            await release(app, escrow, held.id, seller, key, amount=10)
        except EscrowSettledError:
            return "settled"
        except AlreadyAppliedError:
            return "duplicate"
        return "paid"

    outcomes = await asyncio.gather(*(attempt(n, f"payout-{n}") for n in range(20)))
    assert outcomes.count("paid") == 5 and outcomes.count("settled") == 15
    assert await balance(app, seller) == 50
    await assert_ledger_sound(app)


async def test_twenty_replays_of_one_settlement_apply_once(app: App, escrow: EscrowService) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 50, "order")

    async def attempt() -> str:
        try:
            await release(app, escrow, held.id, seller, "confirm", amount=7)
        except AlreadyAppliedError:
            return "duplicate"
        return "paid"

    outcomes = await asyncio.gather(*(attempt() for _ in range(20)))
    assert outcomes.count("paid") == 1 and outcomes.count("duplicate") == 19
    assert await balance(app, seller) == 7
    await assert_ledger_sound(app)


async def test_db_check_finds_tampered_escrow(app: App, escrow: EscrowService) -> None:
    buyer, seller = await buyer_and_seller(app)
    held = await hold(app, escrow, buyer, 20, "order")
    await release(app, escrow, held.id, seller, "part", amount=5)
    assert await escrow_problems(app.database.reader) == []
    async with app.database.writer.begin() as conn:
        await conn.execute(update(EscrowHoldRow).values(remaining=12))
    problems = await escrow_problems(app.database.reader)
    assert problems[0] == (
        f"hold {held.id}: held 20, paid out 5, remaining 12, ledger hold entry -20"
    )
    assert problems[-1] == "balances 85 + escrow 12 + fees 0 != issued 100"
    async with app.database.writer.begin() as conn:
        await conn.execute(update(EscrowHoldRow).values(remaining=15))
        await conn.execute(update(EscrowMoveRow).values(amount=6))
    problems = await escrow_problems(app.database.reader)
    assert any("payout part#0: 6 but the ledger says 5" in p for p in problems)
