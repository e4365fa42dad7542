"""Linking a Discord guild and a Slack workspace into one community, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from storage.achievements import AchievementHoldersRow
from storage.board_tables import BoardSizeRow
from storage.identity import CommunityRow, MemberRow
from storage.proposals import ProposalRow
from tests.cogs.community_support import (
    assert_db_clean,
    code_in,
    communities_of_workspaces,
    discord,
    discord_id,
    link_workspaces,
    member_code,
    press,
    run,
    slack,
    total_points,
)


async def _seed_both_sides(app: App) -> None:
    for who in (discord("ana"), discord("bob"), slack("alice"), slack("carl")):
        assert (await run(app, who, "checkin")).tone is Tone.SUCCESS
    await run(app, discord("ana"), "proposal create", 'feature "Dark mode" A dark theme')
    await run(app, slack("alice"), "proposal create", 'feature "Emoji votes" Vote with emoji')
    await run(app, discord("ana"), "points give", f"<@{discord_id('bob')}> 3 thanks")


async def test_code_card_and_confirm_make_one_community_keeping_both_sides_data(
    app: App,
) -> None:
    await _seed_both_sides(app)
    before = await communities_of_workspaces(app)
    assert before["G1"] != before["T1"]
    points_before = await total_points(app)

    code = code_in(await run(app, discord("dmod", mod=True), "admin link start"))
    card = await run(app, slack("smod", mod=True), "admin link finish", code)
    assert "discord side" in card.text and "slack side" in card.text
    assert "Members are not merged" in card.text
    assert [b.label for b in card.buttons] == [
        "Confirm — keep discord side's settings",
        "Confirm — keep slack side's settings",
        "Cancel",
    ]
    done = await press(app, slack("smod", mod=True), card.buttons[0].action_id)
    assert done.tone is Tone.SUCCESS, done.text

    after = await communities_of_workspaces(app)
    assert after["G1"] == after["T1"] == before["G1"]
    async with app.database.reader.connect() as conn:
        names = (await conn.execute(select(CommunityRow.name))).scalars().all()
        proposals = (await conn.execute(select(ProposalRow.community_id))).scalars().all()
        members = (await conn.execute(select(func.count()).select_from(MemberRow))).scalar()
        sizes = (
            (
                await conn.execute(
                    select(BoardSizeRow.members).where(
                        BoardSizeRow.board == "points", BoardSizeRow.season == "all"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert names == ["discord side"]  # the chosen side's settings; the other row is gone
    assert proposals == [before["G1"], before["G1"]]  # both sides' proposals are kept
    assert members == 6  # nobody merged: alice and ana stay two members
    assert sizes == [4]  # one board; its size counts both sides' members once
    async with app.database.reader.connect() as conn:
        holders = dict(
            (
                await conn.execute(
                    select(AchievementHoldersRow.achievement_id, AchievementHoldersRow.holders)
                )
            ).all()
        )
    assert holders["first-checkin"] == 4  # rarity counts add up, not renamed apart
    assert await total_points(app) == points_before
    await assert_db_clean(app)

    # From now on both platforms read and write one ledger and one leaderboard.
    board = await run(app, slack("carl"), "leaderboard", "points all")
    assert {m.display_name for m in board.mentions} == {"ana", "bob", "alice", "carl"}
    status = await run(app, slack("smod", mod=True), "admin link status")
    assert "Discord `G1`" in status.text and "Slack `T1`" in status.text
    log = await run(app, discord("dmod", mod=True), "admin audit", "--kind workspace.link")
    assert "workspace.link" in log.text and "smod" in {m.display_name for m in log.mentions}


async def test_the_typed_confirm_can_keep_this_sides_settings(app: App) -> None:
    await _seed_both_sides(app)
    code = code_in(await run(app, discord("dmod", mod=True), "admin link start"))
    done = await run(app, slack("smod", mod=True), "admin link confirm", f"{code} here")
    assert done.tone is Tone.SUCCESS, done.text
    async with app.database.reader.connect() as conn:
        assert (await conn.execute(select(CommunityRow.name))).scalars().all() == ["slack side"]
    after = await communities_of_workspaces(app)
    assert after["G1"] == after["T1"]
    await assert_db_clean(app)


async def test_a_code_works_once_and_only_for_fifteen_minutes(app: App, clock: FixedClock) -> None:
    await run(app, slack("smod", mod=True), "checkin")
    code = code_in(await run(app, discord("dmod", mod=True), "admin link start"))
    clock.set(clock.now() + timedelta(minutes=16))
    late = await run(app, slack("smod", mod=True), "admin link finish", code)
    assert late.tone is Tone.ERROR and "expired" in late.text

    code = code_in(await run(app, discord("dmod", mod=True), "admin link start"))
    assert (await link_once(app, code)).tone is Tone.SUCCESS
    again = await run(app, slack("smod", mod=True), "admin link confirm", f"{code} here")
    assert again.tone is Tone.ERROR
    same = await run(app, discord("dmod", mod=True), "admin link start")
    again = await run(app, slack("smod", mod=True), "admin link finish", code_in(same))
    assert again.tone is Tone.ERROR and "already are one community" in again.text


async def link_once(app: App, code: str) -> object:
    return await run(app, slack("smod", mod=True), "admin link confirm", f"{code} there")


async def test_members_and_member_codes_cannot_link_workspaces(app: App) -> None:
    await run(app, slack("smod", mod=True), "checkin")
    refused = await run(app, discord("ana"), "admin link start")
    assert refused.tone is Tone.ERROR
    code = await member_code(app, discord("ana"))
    wrong = await run(app, slack("smod", mod=True), "admin link finish", code)
    assert wrong.tone is Tone.ERROR and "unknown, used or expired" in wrong.text
    assert len(set((await communities_of_workspaces(app)).values())) == 2


async def test_removing_a_workspace_keeps_the_data_and_says_who_is_left_behind(app: App) -> None:
    await _seed_both_sides(app)
    await link_workspaces(app)
    points = await total_points(app)
    removed = await run(app, discord("dmod", mod=True), "admin link remove", "T1")
    assert removed.tone is Tone.SUCCESS, removed.text
    assert (
        "**3** accounts detached" in removed.text and "**3** members had no other" in removed.text
    )
    assert await total_points(app) == points
    # alice starts again in a new community on Slack; her history stays where it was.
    again = await run(app, slack("alice"), "points balance")
    assert "**0**" in again.text
    assert len(set((await communities_of_workspaces(app)).values())) == 2
    only = await run(app, discord("dmod", mod=True), "admin link remove", "G1")
    assert only.tone is Tone.ERROR and "only workspace" in only.text
    await assert_db_clean(app)
