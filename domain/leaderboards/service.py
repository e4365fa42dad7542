"""Leaderboards: running totals per period, kept in step with what members do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.battles.activities import BattleFinished
from domain.checkin.activities import CheckedIn
from domain.core.activity import Activity
from domain.core.clock import Clock
from domain.core.contracts import BoardRow, Rank
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Community
from domain.identity.repository import IdentityRepository
from domain.leaderboards import periods
from domain.leaderboards.errors import (
    FutureSeasonError,
    InvalidSeasonError,
    SeasonNeedsPeriodError,
)
from domain.leaderboards.model import Board, Neighbour, Period, Standings
from domain.leaderboards.repository import BoardMove, BoardRepository
from domain.points.activities import PointsCredited
from domain.progress.activities import XpGained

_EXAMPLE = {Period.WEEK: "2026-W46", Period.MONTH: "2026-11"}


class LeaderboardService:
    """Keep per-period scores and answer pages and ranks from them.

    Scores are kept by the boards projection (`BoardsProjection`) from points
    credited, XP gained and check-ins. Each update touches three rows (all-time, this week,
    this month, by the community's calendar); reads are index ranges.
    Implements `RankReader` and `LeaderboardReader`.
    """

    def __init__(self, clock: Clock, points_kinds: tuple[str, ...], page_size: int) -> None:
        self._clock = clock
        self._points_kinds = frozenset(points_kinds)
        self._page_size = page_size

    # -- keeping scores -------------------------------------------------------------

    def moves_for(self, activity: Activity, timezone: str) -> list[BoardMove]:
        """The score moves one activity makes (points, XP, streaks), for a batched write.

        Every move adds or raises, so a batch's moves can be summed per row and
        applied in any order with the same result.
        """
        keys = periods.all_keys(activity.occurred_at, timezone)
        if isinstance(activity, PointsCredited):
            if activity.amount <= 0 or activity.entry_kind not in self._points_kinds:
                return []
            return self._moves(activity, Board.POINTS, keys.values(), activity.amount)
        if isinstance(activity, XpGained):
            if activity.amount <= 0:
                return []
            return self._moves(activity, Board.XP, keys.values(), activity.amount)
        if isinstance(activity, CheckedIn) and activity.streak > 0:
            # All-time ranks the longest streak ever; a week or month ranks the
            # best streak reached in it. A broken streak never leaves a stale score.
            longest = max(activity.longest, activity.streak)
            return self._moves(
                activity, Board.STREAK, [keys[Period.ALL]], longest, best_of=True
            ) + self._moves(
                activity,
                Board.STREAK,
                [keys[Period.WEEK], keys[Period.MONTH]],
                activity.streak,
                best_of=True,
            )
        return []

    @staticmethod
    def _moves(
        activity: Activity, board: Board, seasons: Iterable[str], amount: int, best_of: bool = False
    ) -> list[BoardMove]:
        return [
            BoardMove(
                activity.community_id,
                board,
                season,
                activity.member_id,
                amount,
                activity.occurred_at,
                best_of,
            )
            for season in seasons
        ]

    async def on_battle_finished(self, uow: UnitOfWork, activity: BattleFinished) -> None:
        """The battle board: the rating all-time, wins in a week or month (0 keeps a loser on)."""
        community = await _community(uow, activity.community_id)
        keys = periods.all_keys(activity.occurred_at, community.timezone)
        repo = uow.get(BoardRepository)
        held = await repo.score(
            activity.community_id, Board.BATTLE, keys[Period.ALL], activity.member_id
        )
        await repo.add(
            activity.community_id,
            Board.BATTLE,
            [keys[Period.ALL]],
            activity.member_id,
            activity.rating_after - (held or 0),  # the all-time score is the rating itself
            activity.occurred_at,
        )
        await repo.add(
            activity.community_id,
            Board.BATTLE,
            [keys[Period.WEEK], keys[Period.MONTH]],
            activity.member_id,
            1 if activity.won else 0,
            activity.occurred_at,
        )

    # -- reading ----------------------------------------------------------------------

    def season_for(
        self, community: Community, period: Period, season: str | None, now: datetime
    ) -> str:
        """The season key to show: the running one, or a validated past one.

        Raises:
            SeasonNeedsPeriodError: a season was given for the all-time board.
            InvalidSeasonError: the season is not a real week or month.
            FutureSeasonError: the season has not begun.
        """
        current = periods.key_for(period, now, community.timezone)
        if season is None:
            return current
        typed = season.strip()[:40]  # refusals quote what the member typed, as typed
        season = typed.upper()  # `2026-w46` is the week 2026-W46
        if period is Period.ALL:
            raise SeasonNeedsPeriodError(season=typed)
        start = periods.season_start(period, season)
        if start is None:
            raise InvalidSeasonError(season=typed, period=period.value, example=_EXAMPLE[period])
        if start > periods.local_date(now, community.timezone):
            raise FutureSeasonError(season=season)
        return season

    async def standings(
        self,
        uow: UnitOfWork,
        community: Community,
        member_id: MemberId,
        board: Board,
        period: Period,
        season: str | None = None,
    ) -> Standings:
        """One page of a board, the member's rank and who is just ahead of them.

        Raises:
            SeasonNeedsPeriodError, InvalidSeasonError, FutureSeasonError: see `season_for`.
        """
        now = self._clock.now()
        key = self.season_for(community, period, season, now)
        repo = uow.get(BoardRepository)
        top = await repo.top(community.id, board, key, self._page_size)
        mine = await self._rank(repo, community.id, board, key, member_id)
        ahead: Neighbour | None = None
        if mine is not None and mine.position > 1:
            ahead = await repo.next_above(community.id, board, key, mine.score, mine.position)
        days = periods.season_days(period, key) if period is not Period.ALL else None
        return Standings(
            board=board,
            period=period,
            season=key,
            current=key == periods.key_for(period, now, community.timezone),
            top=top,
            mine=mine,
            ahead=ahead,
            first_day=days[0].isoformat() if days else None,
            last_day=days[1].isoformat() if days else None,
        )

    async def _rank(
        self,
        repo: BoardRepository,
        community_id: CommunityId,
        board: str,
        key: str,
        member_id: MemberId,
    ) -> Rank | None:
        found = await repo.rank(community_id, board, key, member_id)
        if found is None:
            return None
        score, position, out_of = found
        return Rank(position=position, out_of=out_of, score=score)

    # -- contracts for other features ---------------------------------------------------

    async def rank_of(
        self, uow: UnitOfWork, member_id: MemberId, board: str = "points", period: str = "all"
    ) -> Rank | None:
        """`RankReader`: the member's place on a board this period, None if unranked."""
        member = await uow.get(IdentityRepository).get_member(member_id)
        if member is None:
            return None
        community = await _community(uow, member.community_id)
        key = periods.key_for(Period(period), self._clock.now(), community.timezone)
        return await self._rank(uow.get(BoardRepository), community.id, board, key, member_id)

    async def top(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        board: str = "points",
        period: str = "week",
        limit: int = 10,
        season: str | None = None,
    ) -> list[BoardRow]:
        """`LeaderboardReader`: the best rows of a board (this period, or a past season)."""
        community = await _community(uow, community_id)
        key = self.season_for(community, Period(period), season, self._clock.now())
        return await uow.get(BoardRepository).top(community_id, board, key, limit)


async def _community(uow: UnitOfWork, community_id: CommunityId) -> Community:
    community = await uow.get(IdentityRepository).get_community(community_id)
    if community is None:  # pragma: no cover - activities name existing communities
        raise LookupError(f"community {community_id} does not exist")
    return community
