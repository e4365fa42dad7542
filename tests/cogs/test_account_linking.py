"""Linking a member's Discord and Slack accounts: the merge of two histories, and /unlink."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.core.ids import MemberId
from domain.identity import IdentityRepository
from domain.points.escrow import EscrowService
from storage.board_tables import BoardScoreRow
from storage.checkin import CheckinRow, StreakRow
from storage.points import BalanceRow, LedgerRow
from storage.proposals import ProposalVoteRow
from tests.cogs.community_support import (
    assert_db_clean,
    discord,
    discord_id,
    link_accounts,
    link_workspaces,
    member_code,
    member_of,
    run,
    slack,
    slack_id,
    total_points,
)


async def _balance(app: App, member_id: int) -> int:
    async with app.database.reader.connect() as conn:
        found = await conn.execute(
            select(BalanceRow.points).where(BalanceRow.member_id == member_id)
        )
        return int(found.scalar_one())


async def test_two_histories_become_one_member(app: App, clock: FixedClock) -> None:
    start = clock.now()
    await run(app, discord("alice"), "checkin")  # day 1 on Discord: she joined here first
    await run(app, slack("alice"), "checkin")  # day 1 on Slack too
    await link_workspaces(app)
    reply = await run(app, discord("ana"), "proposal create", 'feature "Dark mode" A dark theme')
    pid = int((reply.title or "").split(" ")[0].lstrip("#"))
    await run(app, discord("alice"), "vote", f"{pid} for")  # the earlier vote
    clock.set(start + timedelta(minutes=5))
    await run(app, slack("alice"), "vote", f"{pid} against")
    clock.set(start + timedelta(days=1))
    await run(app, discord("alice"), "checkin")  # day 2: Discord's streak is the better one
    await run(app, slack("carl"), "checkin")
    await run(app, slack("carl"), "points give", f"<@{slack_id('alice')}> 4 welcome")
    d_alice, s_alice = await member_of(app, discord("alice")), await member_of(app, slack("alice"))
    theirs = await _balance(app, s_alice)
    both = await _balance(app, d_alice) + theirs
    total = await total_points(app)

    linked = await link_accounts(app, slack("alice"), discord("alice"))
    assert linked.tone is Tone.SUCCESS, linked.text
    assert f"**{theirs}** points" in linked.text and "1 double votes" in linked.text
    assert "1 double check-ins" in linked.text

    assert await member_of(app, slack("alice")) == d_alice  # the earlier member survives
    assert await _balance(app, d_alice) == both and await _balance(app, s_alice) == 0
    assert await total_points(app) == total
    async with app.database.reader.connect() as conn:
        moved = (
            await conn.execute(
                select(LedgerRow.member_id, LedgerRow.amount).where(LedgerRow.source == "link")
            )
        ).all()
        votes = (
            await conn.execute(
                select(ProposalVoteRow.member_id, ProposalVoteRow.choice).where(
                    ProposalVoteRow.proposal_id == pid
                )
            )
        ).all()
        days = (
            (
                await conn.execute(
                    select(CheckinRow.local_date).where(CheckinRow.member_id == d_alice)
                )
            )
            .scalars()
            .all()
        )
        streak = (await conn.execute(select(StreakRow).where(StreakRow.member_id == d_alice))).one()
        boards = (
            await conn.execute(
                select(BoardScoreRow.member_id, BoardScoreRow.score).where(
                    BoardScoreRow.board == "points", BoardScoreRow.season == "all"
                )
            )
        ).all()
    assert sorted(moved) == sorted([(s_alice, -theirs), (d_alice, theirs)])  # two transfer entries
    assert sorted(votes) == [(d_alice, "for")]  # one vote: the earlier one
    assert len(days) == len(set(days)) == 2  # day 1 counted once
    assert (streak.current, streak.total) == (2, 2)
    alice_rows = [score for member, score in boards if member in (d_alice, s_alice)]
    assert len(alice_rows) == 1  # one alice on the board, with both accounts' points
    await assert_db_clean(app)

    board = await run(app, slack("carl"), "leaderboard", "points all")
    alices = [m for m in board.mentions if m.display_name == "alice"]
    assert len(alices) == 1 and dict(alices[0].accounts) == {
        "discord": discord_id("alice"),
        "slack": slack_id("alice"),
    }
    again = await run(app, slack("alice"), "checkin")  # Discord checked in today already
    assert again.tone is Tone.ERROR and "already checked in" in again.text
    log = await run(app, discord("dmod", mod=True), "admin audit", "--kind member.link")
    assert "member.link" in log.text


async def test_accounts_in_unlinked_workspaces_cannot_be_linked(app: App) -> None:
    refused = await link_accounts(app, discord("alice"), slack("alice"))
    assert refused.tone is Tone.ERROR and "different communities" in refused.text


async def test_a_locked_account_cannot_be_linked(app: App) -> None:
    await run(app, slack("alice"), "checkin")
    await link_workspaces(app)
    await run(app, discord("alice"), "checkin")
    await run(app, discord("dmod", mod=True), "admin lock", f"<@{discord_id('alice')}> gift ring")
    refused = await run(app, discord("alice"), "link")
    assert refused.tone is Tone.ERROR and "locked" in refused.text
    code = await member_code(app, slack("alice"))
    refused = await run(app, discord("alice"), "link", code)
    assert refused.tone is Tone.ERROR and "locked" in refused.text


async def test_one_account_per_platform_and_codes_are_single_use(app: App) -> None:
    await run(app, slack("alice"), "checkin")
    await link_workspaces(app)
    code = await member_code(app, discord("alice"))
    assert (await run(app, slack("alice"), "link", code)).tone is Tone.SUCCESS
    reused = await run(app, slack("alt"), "link", code)
    assert reused.tone is Tone.ERROR and "unknown, used or expired" in reused.text
    second = await member_code(app, slack("alt"))
    taken = await run(app, discord("alice"), "link", second)
    assert taken.tone is Tone.ERROR and "one account per platform" in taken.text
    same_side = await member_code(app, discord("alice"))
    refused = await run(app, discord("alice"), "link", same_side)
    assert refused.tone is Tone.ERROR and "other" in refused.text
    await assert_db_clean(app)


async def test_unlink_separates_future_activity_and_history_stays(app: App) -> None:
    await run(app, slack("alice"), "checkin")
    await link_workspaces(app)
    await run(app, discord("alice"), "checkin")
    await link_accounts(app, discord("alice"), slack("alice"))
    kept = await member_of(app, discord("alice"))
    balance = await _balance(app, kept)

    done = await run(app, slack("alice"), "unlink")
    assert done.tone is Tone.SUCCESS, done.text
    fresh = await member_of(app, slack("alice"))
    assert fresh != kept
    assert await _balance(app, kept) == balance and await _balance(app, fresh) == 0
    assert "**0**" in (await run(app, slack("alice"), "points balance")).text
    alone = await run(app, discord("alice"), "unlink")
    assert alone.tone is Tone.ERROR and "only account" in alone.text
    await assert_db_clean(app)


async def test_an_open_escrow_hold_follows_the_member_and_refunds_to_them(app: App) -> None:
    await run(app, slack("alice"), "checkin")
    await link_workspaces(app)
    await run(app, discord("alice"), "checkin")
    escrow = EscrowService(app.ctx.clock)
    async with app.uow() as uow:
        payer = await uow.get(IdentityRepository).get_member(
            MemberId(await member_of(app, discord("alice")))  # she joined on Discord later
        )
        assert payer is not None
        hold = await escrow.hold(uow, payer, 4, purpose="test", key="bet:1")
        await uow.commit()
    await link_accounts(app, discord("alice"), slack("alice"))
    survivor = await member_of(app, slack("alice"))
    before = await _balance(app, survivor)
    async with app.uow() as uow:
        await escrow.refund(uow, hold.id, key="refund")
        await uow.commit()
    assert await _balance(app, survivor) == before + 4  # not stranded on the absorbed record
    await assert_db_clean(app)
