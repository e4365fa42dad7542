"""Members per score (`board_score_counts`): ranks are sums over it, so it must never drift.

The boards projection and battles move scores; each move shifts one member
from one score's count to another's, written just before COMMIT. These tests
read ranks through the repository and prove the counts against a recount of
the scores (`db check`: `storage.projections`) after concurrent writers, a rollback, and
on a migration that starts from scores already stored.
"""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import delete, insert, select

from bot.app import App
from domain.identity.model import Member
from domain.leaderboards.repository import BoardMove, BoardRepository
from storage import migrate
from storage.board_tables import BoardScoreCountRow, BoardScoreRow, BoardSizeRow
from storage.projections import projection_mismatches
from tests.conftest import START
from tests.storage.test_projector import member
from tests.support.migrations import alembic

_C = BoardScoreCountRow.__table__


def _add(who: Member, amount: int, season: str = "all", best_of: bool = False) -> BoardMove:
    # Raised scores are the streak board's, as in the projection (one board, one kind of move).
    board = "streak" if best_of else "points"
    return BoardMove(who.community_id, board, season, who.id, amount, START, best_of)


async def _move(app: App, moves: list[BoardMove]) -> None:
    async with app.uow() as uow:
        await uow.get(BoardRepository).move_many(moves)
        await uow.commit()


async def _counts(app: App, board: str = "points") -> dict[int, int]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(_C.c.score, _C.c.members).where(_C.c.board == board, _C.c.season == "all")
        )
        return {int(score): int(n) for score, n in rows}


async def _members(app: App, n: int) -> list[Member]:
    return [await member(app, f"m{i}") for i in range(n)]


async def test_ranks_share_a_place_on_a_tie_and_count_moves_not_yet_committed(app: App) -> None:
    ana, bob, cy, dee = await _members(app, 4)
    await _move(app, [_add(ana, 50), _add(bob, 30), _add(cy, 30), _add(dee, 10)])
    assert await _counts(app) == {50: 1, 30: 2, 10: 1}
    async with app.uow(read_only=True) as uow:
        boards = uow.get(BoardRepository)
        places = [
            await boards.rank(ana.community_id, "points", "all", m.id) for m in (ana, bob, cy, dee)
        ]
        assert places == [(50, 1, 4), (30, 2, 4), (30, 2, 4), (10, 4, 4)]
        above = await boards.next_above(dee.community_id, "points", "all", 10, 4)
        assert above is not None and (above.member_id, above.score, above.position) == (
            bob.id,
            30,
            2,
        )
    # Inside a transaction that moved dee to 50: the counts are held back until
    # COMMIT, yet the ranks read there already see the move.
    async with app.uow() as uow:
        boards = uow.get(BoardRepository)
        await boards.move_many([_add(dee, 40)])
        assert await boards.rank(ana.community_id, "points", "all", bob.id) == (30, 3, 4)
        assert await boards.rank(ana.community_id, "points", "all", dee.id) == (50, 1, 4)
        above = await boards.next_above(bob.community_id, "points", "all", 30, 3)
        assert above is not None and (above.score, above.position) == (50, 1)
        await uow.rollback()
    assert await _counts(app) == {50: 1, 30: 2, 10: 1}
    assert await projection_mismatches(app.database.reader) == []


async def test_a_score_left_by_its_last_member_loses_its_row(app: App) -> None:
    ana, bob = await _members(app, 2)
    await _move(app, [_add(ana, 10), _add(bob, 10)])
    await _move(app, [_add(ana, 5), _add(bob, -3)])
    assert await _counts(app) == {15: 1, 7: 1}
    async with app.uow() as uow:  # a battle's single-member path
        await uow.get(BoardRepository).add(ana.community_id, "points", ["all"], ana.id, -8, START)
        await uow.commit()
    assert await _counts(app) == {7: 2}
    # The streak board raises to the best: a lower value moves nobody.
    await _move(app, [_add(ana, 3, best_of=True), _add(bob, 5, best_of=True)])
    await _move(app, [_add(ana, 2, best_of=True), _add(bob, 9, best_of=True)])
    assert await _counts(app, "streak") == {3: 1, 9: 1}
    assert await projection_mismatches(app.database.reader) == []


async def test_a_row_at_zero_is_moved_not_created_again(app: App) -> None:
    """A member whose score fell to 0 still has a row: the next move shifts them, no new member.

    On PostgreSQL one statement creates or adds and says which it did; a new
    row and an old one at 0 return the same score for the same move.
    """
    ana, bob = await _members(app, 2)
    await _move(app, [_add(ana, 10), _add(bob, 4)])
    await _move(app, [_add(ana, -10)])
    assert await _counts(app) == {0: 1, 4: 1}
    await _move(app, [_add(ana, 4), _add(bob, 0)])
    assert await _counts(app) == {4: 2}
    async with app.uow(read_only=True) as uow:
        rank = await uow.get(BoardRepository).rank(ana.community_id, "points", "all", ana.id)
    assert rank == (4, 1, 2)  # two members on the board, tied
    assert await projection_mismatches(app.database.reader) == []


async def test_concurrent_writers_keep_every_count(app: App) -> None:
    """Projector-sized batches and battle moves on the same members, at once."""
    people = await _members(app, 12)
    rng = random.Random(13)

    def batch() -> list[BoardMove]:
        chosen = rng.sample(people, 6)
        return [
            _add(who, rng.randint(-5, 20), season=rng.choice(("all", "2026-W47")))
            for who in chosen[:4]
        ] + [_add(who, rng.randint(1, 60), best_of=True) for who in chosen[4:]]

    async def battle(who: Member) -> None:
        async with app.uow() as uow:
            await uow.get(BoardRepository).add(
                who.community_id, "points", ["all", "2026-W47"], who.id, 7, START
            )
            await uow.commit()

    async def writer(n: int) -> None:
        for _ in range(n):
            if rng.random() < 0.25:
                await battle(rng.choice(people))
            else:
                await _move(app, batch())

    await asyncio.gather(*(writer(15) for _ in range(4)))
    assert await projection_mismatches(app.database.reader) == []
    async with app.database.reader.connect() as conn:
        empty = (await conn.execute(select(_C).where(_C.c.members == 0))).all()
        sizes = (await conn.execute(select(BoardSizeRow.__table__))).all()
    assert empty == [] and len(sizes) == 3  # points all and week, streak all


async def test_the_migration_counts_the_scores_already_stored(app: App) -> None:
    ana, bob, cy = await _members(app, 3)
    rows = [(ana, 40), (bob, 40), (cy, 5)]
    try:
        # Down from the boards head by two: the page index (0028), then these counts (0027).
        await alembic(app, "downgrade", "0028_board_page_index@-2")
        async with app.database.writer.begin() as conn:
            await conn.execute(
                insert(BoardScoreRow.__table__),
                [
                    {
                        "community_id": ana.community_id,
                        "board": "points",
                        "season": "all",
                        "member_id": who.id,
                        "score": score,
                        "updated_at": START,
                    }
                    for who, score in rows
                ],
            )
    finally:
        await migrate.upgrade(app.database.writer)
    assert await _counts(app) == {40: 2, 5: 1}
    async with app.database.writer.begin() as conn:
        await conn.execute(delete(BoardScoreRow.__table__))
        await conn.execute(delete(_C))
