"""Ending a battle: the result, Elo and the stakes move in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.battles import activities
from domain.battles.config import BattlesSection
from domain.battles.errors import AlreadyOverError, BattleNotFoundError, ReasonRequiredError
from domain.battles.model import (
    LIVE,
    Battle,
    BattleId,
    Finished,
    Method,
    Rating,
    Side,
    Status,
    Tally,
    Verdict,
)
from domain.battles.repository import battles, timers
from domain.battles.rules import elo_change, k_for
from domain.battles.stakes import StakeEscrow
from domain.core.clock import Clock
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Member

_TIMERS = ("battle.accept", "battle.deadline", "battle.vote")
StakeEscrowSource = Callable[[], StakeEscrow | None]


class Results:
    """Decide battles: by forfeit, by vote, by the AI judge, or cancel them.

    `finish` is the only way a battle becomes FINISHED: a conditional status
    change first (so a result is applied once however many paths race to it),
    then both ratings (locked in id order), the pot, and the activities.
    """

    def __init__(self, clock: Clock, cfg: BattlesSection, escrow: StakeEscrowSource) -> None:
        self._clock = clock
        self._cfg = cfg
        self._escrow = escrow

    async def forfeit(self, uow: UnitOfWork, battle: Battle, winner: MemberId) -> Finished | None:
        """Only `winner` submitted by the deadline."""
        return await self.finish(uow, battle, winner, Method.FORFEIT, [Status.ACTIVE])

    async def by_vote(self, uow: UnitOfWork, battle: Battle, tally: Tally) -> Finished | None:
        """Too few votes or a tie is a draw; else the side with more votes wins."""
        if tally.total < self._cfg.quorum:
            return await self.finish(
                uow, battle, None, Method.NO_QUORUM, [Status.VOTING], tally=tally
            )
        winner: MemberId | None = None
        if tally.a != tally.b:
            winner = battle.member_of(Side.A if tally.a > tally.b else Side.B)
        return await self.finish(uow, battle, winner, Method.VOTE, [Status.VOTING], tally=tally)

    async def by_ai(self, uow: UnitOfWork, battle: Battle, verdict: Verdict) -> Finished | None:
        """The judge's averaged totals decide; equal totals are a draw."""
        winner: MemberId | None = None
        if verdict.total_a != verdict.total_b:
            winner = battle.member_of(Side.A if verdict.total_a > verdict.total_b else Side.B)
        return await self.finish(
            uow, battle, winner, Method.AI, [Status.JUDGING], verdict=verdict.to_dict()
        )

    async def finish(
        self,
        uow: UnitOfWork,
        battle: Battle,
        winner: MemberId | None,
        method: Method,
        from_: Sequence[Status],
        *,
        tally: Tally | None = None,
        verdict: dict[str, object] | None = None,
    ) -> Finished | None:
        """Apply a result once; None when another path already ended the battle."""
        assert battle.opponent_id is not None
        now = self._clock.now()
        repo = battles(uow)
        moved = await repo.move(
            battle.id,
            from_,
            Status.FINISHED,
            winner_id=winner,
            method=method,
            finished_at=now,
            verdict=verdict,
        )
        if not moved:
            return None
        await _cancel_timers(uow, battle.id)
        ids = [battle.challenger_id, battle.opponent_id]
        before = await repo.ratings(battle.community_id, ids, self._cfg.start_rating, lock=True)
        pairs = (ids, ids[::-1])
        after = {m: self._rated(before[m], before[o], winner, battle.id) for m, o in pairs}
        for rating in after.values():
            await repo.save_rating(rating, now)
        await repo.move(
            battle.id,
            [Status.FINISHED],
            Status.FINISHED,
            challenger_delta=after[ids[0]].rating - before[ids[0]].rating,
            opponent_delta=after[ids[1]].rating - before[ids[1]].rating,
        )
        paid = 0
        escrow = self._escrow()
        if battle.stake and escrow is not None:
            if winner is None:
                await escrow.refund(uow, battle)
            else:
                paid = await escrow.pay_winner(uow, battle, winner)
        done = await repo.get(battle.community_id, battle.id)
        assert done is not None
        for me, other in (ids, ids[::-1]):
            uow.record(activities.finished(done, before[me], after[me], before[other].rating, now))
        return Finished(
            done,
            {m: (before[m].rating, after[m].rating) for m in ids},
            tally=tally,
            paid=paid,
        )

    def _rated(
        self, me: Rating, other: Rating, winner: MemberId | None, battle_id: BattleId
    ) -> Rating:
        score = 0.5 if winner is None else (1.0 if winner == me.member_id else 0.0)
        k = k_for(
            me.battles, self._cfg.k_factor, self._cfg.provisional_k, self._cfg.provisional_battles
        )
        rating = max(me.rating + elo_change(me.rating, other.rating, score, k), 0)
        won, lost = score == 1.0, score == 0.0
        streak = me.streak + 1 if won else 0
        best_win = me.best_win_opponent_rating
        beat_better = won and (best_win is None or other.rating > best_win)
        return Rating(
            community_id=me.community_id,
            member_id=me.member_id,
            rating=rating,
            battles=me.battles + 1,
            wins=me.wins + int(won),
            losses=me.losses + int(lost),
            draws=me.draws + int(score == 0.5),
            streak=streak,
            best_streak=max(me.best_streak, streak),
            best_win_battle=battle_id if beat_better else me.best_win_battle,
            best_win_opponent_rating=other.rating if beat_better else best_win,
        )

    async def cancel(
        self,
        uow: UnitOfWork,
        battle: Battle,
        *,
        reason: str | None,
        by: MemberId | None = None,
    ) -> Battle | None:
        """End a live battle with no result: stakes back, ratings untouched."""
        repo = battles(uow)
        now = self._clock.now()
        moved = await repo.move(
            battle.id, LIVE, Status.CANCELLED, finished_at=now, reason=reason, cancelled_by=by
        )
        if not moved:
            return None
        await _cancel_timers(uow, battle.id)
        escrow = self._escrow()
        if battle.stake and escrow is not None:
            await escrow.refund(uow, battle)
        return await repo.get(battle.community_id, battle.id)

    async def moderator_cancel(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        moderator: Member,
        battle_id: BattleId,
        reason: str,
    ) -> Battle:
        """A moderator calls a battle off, with a reason everyone sees.

        Raises:
            ReasonRequiredError, BattleNotFoundError, AlreadyOverError.
        """
        reason = reason.strip()
        if not reason:
            raise ReasonRequiredError()
        battle = await battles(uow).lock(battle_id)
        if battle is None or battle.community_id != community_id:
            raise BattleNotFoundError(id=battle_id)
        if battle.status.final:
            raise AlreadyOverError(id=battle.id, status=str(battle.status))
        cancelled = await self.cancel(uow, battle, reason=reason[:450], by=moderator.id)
        if cancelled is None:  # pragma: no cover - the row lock keeps the status steady
            raise AlreadyOverError(id=battle.id, status="over")
        return cancelled


async def _cancel_timers(uow: UnitOfWork, battle_id: BattleId) -> None:
    due = timers(uow)
    for kind in _TIMERS:
        await due.cancel(kind, f"battle:{battle_id}")
