"""Property: linking two accounts with random histories loses and doubles nothing.

Random check-ins on random days, gifts, moderator awards and votes on both
platforms, before and after the workspaces are linked; then alice links her
accounts. Whatever happened: every cached balance still equals its ledger
(`guildhall db check`), the community's points, XP, counters and board scores
per season add up to what they were, alice has one vote per proposal, one
check-in per day and one board row per season.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import App, build_app
from cogs.kit import Actor
from domain.core.activity import known_counters
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from storage.achievements import AchievementHoldersRow, MemberAchievementRow, MemberCounterRow
from storage.board_tables import BoardScoreRow, BoardSizeRow
from storage.checkin import CheckinRow
from storage.progress import MemberXpRow
from storage.proposals import ProposalVoteRow
from tests.cogs.community_support import (
    assert_db_clean,
    discord,
    discord_id,
    link_accounts,
    link_workspaces,
    member_of,
    run,
    slack,
    slack_id,
    total_points,
)
from tests.conftest import START

PEOPLE = {
    "da": discord("alice"),
    "sa": slack("alice"),
    "db": discord("bob"),
    "sc": slack("carl"),
}
MENTION = {
    "da": f"<@{discord_id('alice')}>",
    "db": f"<@{discord_id('bob')}>",
    "sa": f"<@{slack_id('alice')}>",
    "sc": f"<@{slack_id('carl')}>",
}
SIDE = {"da": "d", "db": "d", "sa": "s", "sc": "s"}

who = st.sampled_from(sorted(PEOPLE))
step = st.one_of(
    st.tuples(st.just("checkin"), who),
    st.tuples(st.just("day"), st.integers(1, 3)),
    st.tuples(st.just("give"), who, who, st.integers(1, 15)),
    st.tuples(st.just("award"), who, st.integers(1, 40)),
    st.tuples(st.just("vote"), who, st.sampled_from(["for", "against", "abstain"])),
)
history = st.lists(step, max_size=12)


def _best_of(name: str) -> bool:
    spec = known_counters().get(name)
    return spec is not None and spec.best_of


async def _snapshot(app: App) -> dict[str, Any]:
    async with app.database.reader.connect() as conn:
        boards = await conn.execute(
            select(
                BoardScoreRow.board, BoardScoreRow.season, func.sum(BoardScoreRow.score)
            ).group_by(BoardScoreRow.board, BoardScoreRow.season)
        )
        xp = await conn.execute(select(func.coalesce(func.sum(MemberXpRow.xp), 0)))
        counters = await conn.execute(
            select(MemberCounterRow.counter, func.sum(MemberCounterRow.value)).group_by(
                MemberCounterRow.counter
            )
        )
        return {
            "points": await total_points(app),
            "boards": {(b, s): int(v) for b, s, v in boards},
            "xp": int(xp.scalar_one()),
            # running totals add up; a best-of counter (the longest streak) takes the larger
            "counters": {c: int(v) for c, v in counters if not _best_of(c)},
        }


async def _play(
    app: App, clock: FixedClock, steps: list[tuple[Any, ...]], pids: dict[str, int], linked: bool
) -> None:
    for s in steps:
        kind = s[0]
        if kind == "day":
            clock.set(clock.now() + timedelta(days=s[1]))
        elif kind == "checkin":
            await run(app, PEOPLE[s[1]], "checkin")
        elif kind == "give" and (linked or SIDE[s[1]] == SIDE[s[2]]):
            await run(app, PEOPLE[s[1]], "points give", f"{MENTION[s[2]]} {s[3]}")
        elif kind == "award":
            mod = discord("dmod", mod=True) if SIDE[s[1]] == "d" else slack("smod", mod=True)
            await run(app, mod, "admin award", f"{MENTION[s[1]]} {s[2]} prize")
        elif kind == "vote":
            pid = pids.get(SIDE[s[1]]) if not linked else pids["d"]
            if pid is not None:
                await run(app, PEOPLE[s[1]], "vote", f"{pid} {s[2]}")
        clock.set(clock.now() + timedelta(minutes=1))


async def _scenario(db_path: Path, before: list[Any], after: list[Any]) -> None:
    clock = FixedClock(START)
    app = await build_app(
        f"sqlite+aiosqlite:///{db_path}", CommunityConfig(), clock=clock, upgrade=False
    )
    try:
        pids: dict[str, int] = {}
        for side, author in (("d", discord("dora")), ("s", slack("sam"))):
            reply = await run(app, author, "proposal create", f'feature "Idea {side}" text')
            pids[side] = int((reply.title or "").split(" ")[0].lstrip("#"))
        for actor in PEOPLE.values():
            await run(app, actor, "checkin")
        await _play(app, clock, before, pids, linked=False)
        await link_workspaces(app)
        await _play(app, clock, after, pids, linked=True)
        await assert_db_clean(app)
        alice: tuple[Actor, Actor] = (PEOPLE["da"], PEOPLE["sa"])
        ids = [await member_of(app, a) for a in alice]
        days_before = await _days(app, ids)
        voted_on = await _voted_on(app, ids)
        seen = await _snapshot(app)

        reply = await link_accounts(app, *alice)
        assert "Linked" in reply.text, reply.text

        survivor = await member_of(app, alice[0])
        assert await member_of(app, alice[1]) == survivor
        await assert_db_clean(app)
        assert await _snapshot(app) == seen
        assert await _days(app, [survivor]) == days_before
        assert await _voted_on(app, [survivor]) == voted_on
        await _one_row_each(app, survivor)
        absorbed = next(i for i in ids if i != survivor)
        assert await _days(app, [absorbed]) == set() and await _voted_on(app, [absorbed]) == set()
        await _no_board_rows(app, absorbed)
        await _holders_match(app)
    finally:
        await app.close()


async def _days(app: App, ids: list[int]) -> set[Any]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(CheckinRow.local_date).where(CheckinRow.member_id.in_(ids))
        )
        dates = [r[0] for r in rows]
    if len(ids) == 1:
        assert len(dates) == len(set(dates)), "a day counted twice"
    return set(dates)


async def _voted_on(app: App, ids: list[int]) -> set[int]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(ProposalVoteRow.proposal_id).where(ProposalVoteRow.member_id.in_(ids))
        )
        found = [int(r[0]) for r in rows]
    if len(ids) == 1:
        assert len(found) == len(set(found)), "two votes on one proposal"
    return set(found)


async def _one_row_each(app: App, survivor: int) -> None:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(BoardScoreRow.board, BoardScoreRow.season).where(
                BoardScoreRow.member_id == survivor
            )
        )
        mine = Counter((b, s) for b, s in rows)
        sizes = await conn.execute(
            select(BoardSizeRow.board, BoardSizeRow.season, BoardSizeRow.members)
        )
        counts = await conn.execute(
            select(BoardScoreRow.board, BoardScoreRow.season, func.count()).group_by(
                BoardScoreRow.board, BoardScoreRow.season
            )
        )
        expected = {(b, s): int(n) for b, s, n in counts}
        stored = {(b, s): int(n) for b, s, n in sizes}
    assert all(n == 1 for n in mine.values())
    assert {k: v for k, v in stored.items() if k in expected} == expected


async def _no_board_rows(app: App, member_id: int) -> None:
    async with app.database.reader.connect() as conn:
        left = await conn.execute(
            select(func.count())
            .select_from(BoardScoreRow)
            .where(BoardScoreRow.member_id == member_id)
        )
        assert left.scalar_one() == 0, "the absorbed account still shows on a board"


async def _holders_match(app: App) -> None:
    """Rarity counts stay true: holders per achievement = members holding it."""
    async with app.database.reader.connect() as conn:
        held = await conn.execute(
            select(MemberAchievementRow.achievement_id, func.count()).group_by(
                MemberAchievementRow.achievement_id
            )
        )
        counted = await conn.execute(
            select(AchievementHoldersRow.achievement_id, AchievementHoldersRow.holders)
        )
        expected = {a: int(n) for a, n in held}
        stored = {a: int(n) for a, n in counted if n}
    assert stored == expected


@pytest.fixture(scope="module")
def template_copy(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("merge-property")

    def fresh() -> Path:
        path = base / f"{uuid.uuid4().hex}.db"
        shutil.copy(sqlite_template, path)
        return path

    return fresh


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=history, after=history)
def test_linking_random_histories_keeps_every_total(
    template_copy: Any, before: list[Any], after: list[Any]
) -> None:
    asyncio.run(_scenario(template_copy(), before, after))
