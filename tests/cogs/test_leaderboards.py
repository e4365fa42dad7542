"""/leaderboard through the real runner and database, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.contracts import LeaderboardReader, RankReader
from domain.points import EntryKind
from storage.board_tables import BoardScoreRow
from storage.points import LedgerRow
from tests.conftest import invoke
from tests.support.boards import award, count, member

SCORES = {"ana": 50, "bob": 40, "cat": 40, "dan": 30, "eve": 10}


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(community={"timezone": "Europe/Berlin"})


async def seed(app: App, scores: dict[str, int]) -> None:
    for name in scores:  # enrol in this order, so member ids follow it
        await member(app, name)
    for name, points in scores.items():
        await award(app, name, points, key=f"seed:{name}")


async def test_ranks_and_ties_match_the_ledger(app: App) -> None:
    await seed(app, SCORES)
    reply = await invoke(app, "dan", "leaderboard", "points all")
    lines = reply.text.splitlines()
    assert lines[:5] == [
        "🥇 <@m:1> — **50** points",
        "🥈 <@m:2> — **40** points",
        "🥈 <@m:3> — **40** points",  # a tie shares the place: 1, 2, 2, 4
        "**#4** <@m:4> — **30** points",
        "**#5** <@m:5> — **10** points",
    ]
    assert "You're #4 of 5 with 30 points — 10 points behind <@m:2> for #2." in reply.text
    assert {m.display_name for m in reply.mentions} == set(SCORES)
    assert not reply.ping

    # The ranks equal what a GROUP BY over the ledger says (the oracle, not the method).
    async with app.database.reader.connect() as conn:
        totals = dict(
            (
                await conn.execute(
                    select(LedgerRow.member_id, func.sum(LedgerRow.amount)).group_by(
                        LedgerRow.member_id
                    )
                )
            ).all()
        )
    ranks = app.ctx.need(RankReader)  # type: ignore[type-abstract]
    async with app.uow(read_only=True) as uow:
        for member_id, total in totals.items():
            rank = await ranks.rank_of(uow, member_id, "points", "all")
            assert rank is not None
            assert rank.score == total
            assert rank.position == 1 + sum(t > total for t in totals.values())
            assert rank.out_of == len(totals)


async def test_the_caller_below_the_page_sees_the_gap_to_the_next_rank(app: App) -> None:
    scores = {f"m{i:02d}": 200 - i * 7 for i in range(12)}  # m11 is last, 14 behind m10
    await seed(app, scores)
    reply = await invoke(app, "m11", "leaderboard", "points week")
    body = reply.text.split("\n\n")[0].splitlines()
    assert len(body) == 10  # the page is the top 10
    ten = await member(app, "m10")
    assert f"You're #12 of 12 with 123 points — 7 points behind <@m:{ten.id}> for #11." in (
        reply.text
    )
    assert reply.title is not None and "this week" in reply.title


async def test_top_member_is_told_they_lead(app: App) -> None:
    await seed(app, SCORES)
    reply = await invoke(app, "ana", "leaderboard", "points month")
    assert "You're #1 of 5 with 50 points — top of the board!" in reply.text


async def test_unranked_member_sees_the_board_and_an_invitation(app: App) -> None:
    await seed(app, {"ana": 5})
    reply = await invoke(app, "zed", "leaderboard", "xp")
    assert "Nobody is on this board yet." in reply.text
    assert "You're not on this board yet." in reply.text


async def test_week_resets_at_monday_midnight_in_the_community_zone(
    app: App, clock: FixedClock
) -> None:
    # Berlin is UTC+1 in November: both instants are Sunday in UTC.
    clock.set(datetime(2026, 11, 22, 22, 59, tzinfo=UTC))  # Sunday 23:59 in Berlin
    await invoke(app, "ana", "checkin")
    clock.set(datetime(2026, 11, 22, 23, 1, tzinfo=UTC))  # Monday 00:01 in Berlin
    await invoke(app, "bob", "checkin")

    this_week = await invoke(app, "bob", "leaderboard", "points week")
    assert this_week.title == "🏆 Points — this week (Nov 23 – Nov 29)"
    assert [m.display_name for m in this_week.mentions] == ["bob"]

    last_week = await invoke(app, "bob", "leaderboard", "points week --season 2026-W47")
    assert last_week.title == "🏆 Points — week 2026-W47 (Nov 16 – Nov 22)"
    assert [m.display_name for m in last_week.mentions] == ["ana"]
    assert "You're not on this board yet." in last_week.text

    # The month has not turned: both count in November.
    month = await invoke(app, "bob", "leaderboard", "points month")
    assert {m.display_name for m in month.mentions} == {"ana", "bob"}


async def test_past_seasons_stay_archived_after_new_weeks_and_months(
    app: App, clock: FixedClock
) -> None:
    await seed(app, {"ana": 30})
    clock.advance(timedelta(days=30))  # into December
    await award(app, "bob", 20, key="december")
    async with app.database.reader.connect() as conn:
        seasons = {
            r.season
            for r in await conn.execute(
                select(BoardScoreRow.season).where(BoardScoreRow.board == "points")
            )
        }
    assert seasons == {"all", "2026-W47", "2026-11", "2026-W51", "2026-12"}
    november = await invoke(app, "bob", "leaderboard", "points month --season 2026-11")
    assert "🥇 <@m:1> — **30** points" in november.text
    reader = app.ctx.need(LeaderboardReader)  # type: ignore[type-abstract]
    async with app.uow(read_only=True) as uow:
        rows = await reader.top(uow, (await member(app, "ana")).community_id, "points", "week")
        old = await reader.top(
            uow, (await member(app, "ana")).community_id, "points", "week", season="2026-W47"
        )
    assert [(r.display_name, r.score) for r in rows] == [("bob", 20)]
    assert [(r.display_name, r.score, r.position) for r in old] == [("ana", 30, 1)]


async def test_received_gifts_do_not_climb_the_points_board(app: App) -> None:
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    for _ in range(3):  # passing points back and forth earns nobody a place
        await invoke(app, "ana", "points give", "@bob 5")
        await invoke(app, "bob", "points give", "@ana 5")
    reply = await invoke(app, "ana", "leaderboard", "points all")
    assert "**10** points" in reply.text and "**15**" not in reply.text
    assert await count(app, LedgerRow, LedgerRow.kind == str(EntryKind.RECEIVED)) == 6


async def test_streak_board_ranks_the_best_streak(app: App, clock: FixedClock) -> None:
    for day in range(3):
        await invoke(app, "ana", "checkin")
        if day == 0:
            await invoke(app, "bob", "checkin")
        clock.advance(timedelta(days=1))
    reply = await invoke(app, "bob", "leaderboard", "streak all")
    assert "🥇 <@m:1> — **3** days" in reply.text
    assert "You're #2 of 2 with 1 day — 2 days behind <@m:1> for #1." in reply.text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("points week --season 2026-W99", "is not a week season"),
        # Quoted as typed: it was echoed upper-cased ("GARBAGE").
        ("points week --season garbage", "garbage is not a week season"),
        ("points month --season 2026-W46", "is not a month season"),
        ("points month --season 2026-13", "is not a month season"),
        ("points all --season 2026-W46", "all-time board has no seasons"),
        ("points week --season 2027-W02", "hasn't started yet"),
        ("karma week", "board must be one of points, xp, streak"),
        ("points fortnight", "period must be one of all, week, month"),
    ],
)
async def test_bad_board_input_gets_a_friendly_refusal(app: App, text: str, words: str) -> None:
    await seed(app, {"ana": 5})
    before = await count(app, BoardScoreRow)
    reply = await invoke(app, "ana", "leaderboard", text)
    assert reply.tone is Tone.ERROR
    assert words in reply.text.replace("**", ""), reply.text
    assert await count(app, BoardScoreRow) == before


async def test_concurrent_scores_add_up_and_count_each_member_once(app: App) -> None:
    names = [f"p{i}" for i in range(8)]
    for name in names:
        await member(app, name)
    # Every member's first score of the season races with their second.
    await asyncio.gather(
        *(award(app, name, 5, key=f"{name}:{n}") for name in names for n in range(2))
    )
    reply = await invoke(app, "p0", "leaderboard", "points week")
    assert "You're #1 of 8 with 10 points" in reply.text
    async with app.database.reader.connect() as conn:
        scores = (
            await conn.execute(
                select(BoardScoreRow.score).where(BoardScoreRow.season == "2026-W47")
            )
        ).scalars()
        assert sorted(scores) == [10] * 8
