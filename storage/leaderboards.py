"""Leaderboard scores: one indexed running total per (community, board, season, member).

The boards projection moves a whole batch of scores with two multi-row
statements per kind of move (`move_many`: create the new rows, then add to or
raise the existing ones); a member's first score of a season bumps
`board_sizes`, written last before COMMIT. Battles still move one row at a
time (`add`). A page is the first rows of the index
`ix_board_scores_page`; a rank is a sum over `board_score_counts`. Both stay in
the milliseconds at 100,000 members, where a GROUP BY over a million ledger
rows takes about half a second (`python -m benchmarks.leaderboards`).
`storage.board_loading` bulk-loads scores for benchmarks and seeding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    bindparam,
    case,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.contracts import BoardRow
from domain.core.ids import CommunityId, MemberId
from domain.leaderboards.model import Neighbour
from domain.leaderboards.repository import BoardMove, BoardRepository
from storage import at_driver
from storage.board_counts import count_scores, grow_sizes
from storage.board_raise import raise_rows
from storage.board_reads import (
    NEXT_ABOVE,
    RANK,
    SCORE,
    SCORES_OF,
    TOP,
    in_season,
)
from storage.board_tables import BoardScoreRow
from storage.identity import MemberRow
from storage.registry import implements
from storage.sql import raw_upsert, upsert, upsert_parts
from storage.types import UTCDateTime

_S = BoardScoreRow.__table__
_M = MemberRow.__table__
_PK = ["community_id", "board", "season", "member_id"]


_AT = bindparam("b_at", type_=UTCDateTime())
_LATEST = (
    "updated_at = CASE WHEN excluded.updated_at > board_scores.updated_at"
    " THEN excluded.updated_at ELSE board_scores.updated_at END"
)
_SET_ADD = "score = board_scores.score + excluded.score, " + _LATEST
_SET_RAISE = (
    "score = CASE WHEN excluded.score > board_scores.score"
    " THEN excluded.score ELSE board_scores.score END, " + _LATEST
)


def _update_rows(new_score: Any) -> Any:
    """A member's rows of some seasons set to `new_score`; returns the seasons it found.

    Built once per kind of move (add, raise) with bound parameters: building
    it per call cost about as much Python as executing it.
    """
    return (
        update(_S)
        .where(
            _S.c.community_id == bindparam("b_community_id"),
            _S.c.board == bindparam("b_board"),
            _S.c.member_id == bindparam("b_member_id"),
            _S.c.season.in_(bindparam("b_seasons", expanding=True)),
        )
        # The latest move's time, whatever order moves are applied in (a rebuild
        # applies derived XP after the whole log), so the result is order-free.
        .values(
            score=new_score,
            updated_at=case((_S.c.updated_at < _AT, _AT), else_=_S.c.updated_at),
        )
        .returning(_S.c.season, _S.c.score)
    )


_VALUE = bindparam("b_value", type_=BigInteger())
_ADD_TO_ROWS = _update_rows(_S.c.score + _VALUE)


@implements(BoardRepository)
class SqlBoardRepository:
    """Scores with single-statement UPSERTs: concurrent updates add up, never overwrite."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        # Members moved from one score to another (+1 to the new score, -1 to
        # the old; a new row only +1), written by `before_commit`: these rows,
        # like the season sizes derived from them, are shared by every member,
        # and on PostgreSQL bumping one mid-transaction queued every other
        # member's move behind this transaction.
        self._counted: dict[tuple[CommunityId, str, str, int], int] = {}

    async def before_commit(self) -> None:
        """Write the held-back sizes (riding with the counts), then score counts; key order.

        A season grows by its moves' sum: a move nets zero, a new row one.
        """
        counted, self._counted = self._counted, {}
        grown: dict[tuple[CommunityId, str, str], int] = {}
        for (community_id, board, season, _), n in counted.items():
            grown[(community_id, board, season)] = grown.get((community_id, board, season), 0) + n
        await grow_sizes(self._conn, grown)
        await count_scores(self._conn, counted)

    async def add(
        self,
        community_id: CommunityId,
        board: str,
        seasons: list[str],
        member_id: MemberId,
        amount: int,
        at: datetime,
    ) -> None:
        await self._move(community_id, board, seasons, member_id, amount, at, _ADD_TO_ROWS)

    async def _move(
        self,
        community_id: CommunityId,
        board: str,
        seasons: list[str],
        member_id: MemberId,
        first: int,
        at: datetime,
        statement: Any,
    ) -> None:
        """Update the member's rows in one statement; create the missing ones.

        Usually every row exists and this is a single UPDATE. A new row (the
        first score of a week) also bumps the season's size. If a concurrent
        transaction creates the row first, the insert does nothing and the
        UPDATE is repeated — it waits for that row and adds to what it holds.
        """

        def update_rows(which: list[str]) -> Any:
            params = {
                "b_community_id": community_id,
                "b_board": board,
                "b_member_id": member_id,
                "b_seasons": which,
                "b_value": first,
                "b_at": at,
            }
            return self._conn.execute(statement, params)

        updated = set()
        for season, score in await update_rows(seasons):
            updated.add(season)
            self._recount((community_id, board, season), score - first, score)
        missing = [season for season in seasons if season not in updated]
        if not missing:
            return
        # The missing rows in one INSERT … ON CONFLICT DO NOTHING RETURNING:
        # the rows it returns are new (their seasons grow by one member); a row
        # another transaction created meanwhile is not returned and is updated.
        rows = [
            {
                "community_id": community_id,
                "board": board,
                "season": season,
                "member_id": member_id,
                "score": first,
                "updated_at": at,
            }
            for season in missing
        ]
        result = await upsert(self._conn, _S, rows, conflict=(), set_=None, returning=("season",))
        created = set(result.scalars())
        for season in created:
            self._recount((community_id, board, season), None, first)
        raced = [season for season in missing if season not in created]
        if raced:
            for season, score in await update_rows(raced):
                self._recount((community_id, board, season), score - first, score)

    async def move_many(self, moves: list[BoardMove]) -> None:
        """Sum (or max) the moves per row; per kind, create the new rows, then move the rest.

        The first statement inserts every row with ON CONFLICT DO NOTHING and
        returns the rows it created (their seasons grow by one); the second
        updates the rows that already existed with one multi-row UPSERT. Rows
        go in key order, so concurrent projectors lock them in one order.
        """
        merged: dict[tuple[bool, CommunityId, str, str, MemberId], tuple[int, datetime]] = {}
        for m in moves:
            key = (m.best_of, m.community_id, m.board, m.season, m.member_id)
            held = merged.get(key)
            if held is None:
                merged[key] = (m.amount, m.at)
            else:
                amount = max(held[0], m.amount) if m.best_of else held[0] + m.amount
                merged[key] = (amount, max(held[1], m.at))
        ordered = sorted(merged.items())
        for best_of in (False, True):
            rows = [
                {
                    "community_id": c,
                    "board": b,
                    "season": s,
                    "member_id": member,
                    "score": amount,
                    "updated_at": at,
                }
                for (kind, c, b, s, member), (amount, at) in ordered
                if kind is best_of
            ]
            for part in upsert_parts(self._conn, rows):
                await self._upsert_rows(part, best_of)

    async def _upsert_rows(self, rows: Sequence[dict[str, Any]], best_of: bool) -> None:
        """Create the new rows, then add to (or raise) the rest; count every score moved."""
        if not best_of and self._conn.dialect.name == "postgresql":
            await self._add_rows(rows)
            return
        created = await upsert(
            self._conn,
            _S,
            rows,
            conflict=(),
            set_=None,
            returning=("community_id", "board", "season", "member_id"),
        )
        new = {(r.community_id, r.board, r.season, r.member_id) for r in created}
        rest = []
        for r in rows:
            key = (r["community_id"], r["board"], r["season"], r["member_id"])
            if key not in new:
                rest.append(r)
                continue
            self._recount((CommunityId(key[0]), key[1], key[2]), None, r["score"])
        if not rest:
            return
        if best_of and self._conn.dialect.name == "postgresql":
            for key, old_score, new_score in await raise_rows(self._conn, rest):
                self._recount((CommunityId(key[0]), key[1], key[2]), old_score, new_score)
            return
        if best_of:
            # Raised to the larger score: the old one is read (and locked) first.
            held = await self._scores_of(rest)
            await upsert(self._conn, _S, rest, conflict=tuple(_PK), set_=_SET_RAISE)
            for r in rest:
                season = (CommunityId(r["community_id"]), r["board"], r["season"])
                old = held[(*season, r["member_id"])]
                self._recount(season, old, max(old, r["score"]))
            return
        moved = await upsert(
            self._conn, _S, rest, conflict=tuple(_PK), set_=_SET_ADD, returning=(*_PK, "score")
        )
        added = {(r["community_id"], r["board"], r["season"], r["member_id"]): r for r in rest}
        for m in moved:
            key = (m.community_id, m.board, m.season, m.member_id)
            season = (CommunityId(m.community_id), m.board, m.season)
            self._recount(season, m.score - added[key]["score"], m.score)

    async def _add_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """PostgreSQL: create or add to every row in one statement, and count each move.

        An upsert's returned row says whether it was inserted: a row version an
        ON CONFLICT update wrote carries the updater in `xmax`, a new one none.
        So the statement that only created rows (and its second look-up of each
        key) is spared; an existing row's old score is its new one less the sum.
        """
        columns = tuple(rows[0])
        raw = raw_upsert(
            self._conn.dialect,
            _S,
            columns,
            0 if len(rows) > 1 else 1,
            tuple(_PK),
            _SET_ADD,
            (*_PK, "score"),
        )
        assert raw is not None  # integers and text come back unprocessed
        moved = await at_driver.execute(
            self._conn, raw.sql + ", (xmax = 0) AS created", raw.parameters(rows, columns)
        )
        added = {(r["community_id"], r["board"], r["season"], r["member_id"]): r for r in rows}
        for m in moved:
            key = (m.community_id, m.board, m.season, m.member_id)
            season = (CommunityId(m.community_id), m.board, m.season)
            old = None if m.created else m.score - added[key]["score"]
            self._recount(season, old, m.score)

    async def _scores_of(self, rows: Sequence[dict[str, Any]]) -> dict[tuple[Any, ...], int]:
        """The stored scores of existing rows, locked on PostgreSQL until COMMIT."""
        members: dict[tuple[Any, ...], list[int]] = {}
        for r in rows:
            members.setdefault((r["community_id"], r["board"], r["season"]), []).append(
                r["member_id"]
            )
        out: dict[tuple[Any, ...], int] = {}
        for (community_id, board, season), ids in members.items():
            params = in_season(community_id, board, season)
            params["b_members"] = ids
            for f in await SCORES_OF.rows(self._conn, params):
                out[(community_id, board, season, f.member_id)] = int(f.score)
        return out

    def _recount(self, season: tuple[CommunityId, str, str], old: int | None, new: int) -> None:
        """Hold back a move of one member from score `old` (None: no row) to `new`."""
        if old == new:
            return
        if old is not None:
            key = (*season, old)
            self._counted[key] = self._counted.get(key, 0) - 1
        key = (*season, new)
        self._counted[key] = self._counted.get(key, 0) + 1

    async def score(
        self, community_id: CommunityId, board: str, season: str, member_id: MemberId
    ) -> int | None:
        params = in_season(community_id, board, season)
        params["b_member"] = member_id
        row = await SCORE.first(self._conn, params)
        return None if row is None else int(row.score)

    async def top(
        self, community_id: CommunityId, board: str, season: str, limit: int
    ) -> list[BoardRow]:
        params = in_season(community_id, board, season)
        params["b_limit"] = limit
        rows = await TOP.rows(self._conn, params)
        out: list[BoardRow] = []
        for index, row in enumerate(rows):
            # Competition ranking: a tie shares the better position (1, 2, 2, 4).
            position = out[-1].position if out and out[-1].score == row.score else index + 1
            out.append(
                BoardRow(position, MemberId(row.member_id), row.display_name, int(row.score))
            )
        return out

    async def rank(
        self, community_id: CommunityId, board: str, season: str, member_id: MemberId
    ) -> tuple[int, int, int] | None:
        params = in_season(community_id, board, season)
        params["b_member"] = member_id
        row = await RANK.first(self._conn, params)
        if row is None:
            return None
        score = int(row.score)
        above = int(row.above) + self._held_back(community_id, board, season, lambda s: s > score)
        grown = self._held_back(community_id, board, season, lambda _: True)
        return score, above + 1, int(row.size or 0) + grown

    async def next_above(
        self, community_id: CommunityId, board: str, season: str, score: int, position: int
    ) -> Neighbour | None:
        params = in_season(community_id, board, season)
        params["b_score"] = score
        row = await NEXT_ABOVE.first(self._conn, params)
        if row is None:
            return None
        # Everyone above `score` scores at least the neighbour's score, so the
        # neighbour's place is ours minus those tied with them (counted in the
        # same statement): no second count over the board.
        theirs = int(row.score)
        tied = int(row.tied or 0)
        tied += self._held_back(community_id, board, season, lambda s: s == theirs)
        return Neighbour(MemberId(row.member_id), row.display_name, theirs, position - tied)

    def _held_back(
        self, community_id: CommunityId, board: str, season: str, which: Callable[[int], bool]
    ) -> int:
        """Members this transaction moved to scores `which` picks, not yet counted in the table."""
        return sum(
            n
            for (c, b, s, score), n in self._counted.items()
            if (c, b, s) == (community_id, board, season) and which(score)
        )
