"""The reads of /leaderboard, each compiled once (`storage.sql.prepare`).

Built per call, their WHERE clauses and SQLAlchemy's cache key over them were
most of a read's Python (sequential /leaderboard CPU 4.3-5.0 -> 1.9 ms with
the runner's one-transaction read). Every statement takes b_community,
b_board and b_season (`in_season`), and the parameters named beside it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, bindparam, func, select

from domain.core.ids import CommunityId
from storage.board_tables import BoardScoreCountRow, BoardScoreRow, BoardSizeRow
from storage.id_lists import AnyOf
from storage.identity import MemberRow
from storage.sql import prepare

_S = BoardScoreRow.__table__
_Z = BoardSizeRow.__table__
_C = BoardScoreCountRow.__table__
_M = MemberRow.__table__


def _in_season(table: Any) -> tuple[Any, ...]:
    """`table` (scores or an alias of them) in the season the parameters name."""
    return (
        table.c.community_id == bindparam("b_community"),
        table.c.board == bindparam("b_board"),
        table.c.season == bindparam("b_season"),
    )


_IN_SEASON = _in_season(_S)
_ROWS = select(_S.c.member_id, _S.c.score, _M.c.display_name).join(_M, _M.c.id == _S.c.member_id)
_SCORE = bindparam("b_score", type_=BigInteger())


def _same_season(other: Any) -> tuple[Any, ...]:
    """`other` (a table or an alias) is about the outer row's community, board and season."""
    return (
        other.c.community_id == _S.c.community_id,
        other.c.board == _S.c.board,
        other.c.season == _S.c.season,
    )


_HIGHER = _S.alias("higher")
# Not correlated (the season by parameter): evaluated once, not once per row.
_NEXT_SCORE = (
    select(func.min(_HIGHER.c.score))
    .where(*_in_season(_HIGHER), _HIGHER.c.score > _SCORE)
    .scalar_subquery()
)
_SIZE = select(_Z.c.members).where(*_same_season(_Z)).scalar_subquery()

SCORE = prepare(select(_S.c.score).where(*_IN_SEASON, _S.c.member_id == bindparam("b_member")))
"""b_member's score, if they have one."""

TOP = prepare(
    _ROWS.where(*_IN_SEASON).order_by(_S.c.score.desc(), _S.c.member_id).limit(bindparam("b_limit"))
)
"""A page: the best b_limit rows, ties by member id."""

RANK = prepare(
    select(
        _S.c.score,
        select(func.coalesce(func.sum(_C.c.members), 0))
        .where(*_same_season(_C), _C.c.score > _S.c.score)
        .scalar_subquery()
        .label("above"),
        _SIZE.label("size"),
    ).where(*_IN_SEASON, _S.c.member_id == bindparam("b_member"))
)
"""b_member's score, how many scored more (a sum over the scores above), and the season's size."""

NEXT_ABOVE = prepare(
    _ROWS.add_columns(
        select(_C.c.members)
        .where(*_same_season(_C), _C.c.score == _S.c.score)
        .scalar_subquery()
        .label("tied")
    )
    .where(*_IN_SEASON, _S.c.score == _NEXT_SCORE)
    .order_by(_S.c.member_id)
    .limit(1)
)
"""The row just above b_score (lowest member id among ties), and how many share its score.

"The lowest score above" first (its minimum is one index probe), then that
score's first member: both in the page index's order (`ix_board_scores_page`).
"""


SCORES_OF = AnyOf(
    lambda found: select(_S.c.member_id, _S.c.score).where(*_IN_SEASON, found).with_for_update(),
    _S.c.member_id,
    "b_members",
)
"""The scores of the members b_members, locked until COMMIT on PostgreSQL (SQLite's one
writer needs no lock)."""


def in_season(community_id: CommunityId, board: str, season: str) -> dict[str, Any]:
    """The parameters every read here takes."""
    return {"b_community": community_id, "b_board": board, "b_season": season}
