"""Battles: challenge, accept, submit, reveal, vote, and the deadlines between them."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from domain.battles.config import BattlePrompt, BattlesSection
from domain.battles.errors import (
    AiJudgeUnavailableError,
    AlreadySubmittedError,
    BattleNotFoundError,
    EmptyEntryError,
    EntryTooLongError,
    FighterVoteError,
    NotChallengedError,
    NotFighterError,
    NotPendingError,
    NotRunningError,
    NotVotingError,
    OwnChallengeError,
    SelfChallengeError,
    StakesDisabledError,
)
from domain.battles.limits import FairPlayLimits
from domain.battles.model import (
    Battle,
    BattleId,
    Entry,
    Judge,
    NewBattle,
    Side,
    Status,
)
from domain.battles.repository import BattleRepository, battles, timers
from domain.battles.results import Results
from domain.battles.rules import check_stake
from domain.battles.stakes import StakeEscrow
from domain.core.clock import Clock
from domain.core.contracts import PerksReader
from domain.core.errors import MemberLockedError
from domain.core.ids import CommunityId, MemberId
from domain.core.timers import Timer
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member

ACCEPT_TIMER = "battle.accept"
DEADLINE_TIMER = "battle.deadline"
VOTE_TIMER = "battle.vote"


def timer_key(battle_id: BattleId) -> str:
    """Return the key the battle's accept, deadline and vote timers share."""
    return f"battle:{battle_id}"


class BattleService:
    """Run a battle from challenge to result; every step is a conditional state change.

    Two accepts, two submissions or a submission racing the deadline cannot
    both win: each step locks the battle's row and moves its status only if
    it is still what the step expects.
    """

    def __init__(
        self,
        clock: Clock,
        cfg: BattlesSection,
        results: Results,
        *,
        escrow: Callable[[], StakeEscrow | None] = lambda: None,
        ai_available: Callable[[], bool] = lambda: False,
        rng: random.Random | None = None,
        perks: Callable[[], PerksReader | None] = lambda: None,
    ) -> None:
        self._clock = clock
        self._cfg = cfg
        self.results = results
        self._escrow = escrow
        self._ai_available = ai_available
        self._limits = FairPlayLimits(cfg, perks)
        self._rng = rng or random.Random()

    @property
    def ai_available(self) -> bool:
        return self._ai_available()

    # -- challenges ---------------------------------------------------------------

    async def challenge(
        self,
        uow: UnitOfWork,
        community: Community,
        challenger: Member,
        opponent: Member | None,
        prompt: str,
        *,
        topic: str | None = None,
        stake: int = 0,
        judge: Judge = Judge.VOTE,
        minutes: int | None = None,
    ) -> Battle:
        """Create a challenge (open when `opponent` is None) and hold the challenger's stake.

        Raises:
            SelfChallengeError, MemberLockedError, NegativeStakeError, StakesDisabledError,
            StakeTooLargeError, StakeUnaffordableError, AiJudgeUnavailableError,
            DailyLimitError, PairLimitError.
        """
        if opponent is not None and opponent.id == challenger.id:
            raise SelfChallengeError()
        for side in (challenger, opponent):
            if side is not None and side.is_locked:
                raise MemberLockedError(name=side.display_name, reason=side.locked_reason)
        check_stake(stake, self._cfg.max_stake)
        escrow = self._escrow()
        if stake and escrow is None:
            raise StakesDisabledError()
        if judge is Judge.AI and not self._ai_available():
            raise AiJudgeUnavailableError()
        now = self._clock.now()
        repo = battles(uow)
        await self._limits.hold(repo, community.id, [challenger.id])
        await self._limits.check_daily(uow, community, challenger, now)
        if opponent is not None:
            await self._limits.check_pair(repo, challenger.id, opponent.id, now)
        battle = await repo.add(
            NewBattle(
                community_id=community.id,
                challenger_id=challenger.id,
                opponent_id=opponent.id if opponent else None,
                prompt=prompt.strip(),
                topic=topic,
                stake=stake,
                judge=judge,
                minutes=minutes or self._cfg.default_minutes,
                created_at=now,
                accept_by=now + timedelta(minutes=self._cfg.accept_minutes),
            )
        )
        if stake and escrow is not None:
            await escrow.hold(uow, battle, challenger, stake)
        await timers(uow).schedule(
            Timer(community.id, ACCEPT_TIMER, timer_key(battle.id), battle.accept_by), now
        )
        return battle

    async def accept(
        self, uow: UnitOfWork, community: Community, member: Member, battle_id: BattleId
    ) -> Battle:
        """Take a challenge: the battle starts and the acceptor's stake is held.

        Raises:
            BattleNotFoundError, OwnChallengeError, NotChallengedError, NotPendingError,
            MemberLockedError, DailyLimitError, PairLimitError, StakeUnaffordableError.
        """
        repo = battles(uow)
        battle = await self._locked(repo, community.id, battle_id)
        now = self._clock.now()
        if battle.challenger_id == member.id:
            raise OwnChallengeError(id=battle.id)
        if battle.status is not Status.PENDING or now >= battle.accept_by:
            raise NotPendingError(id=battle.id, status=_status(battle, now))
        if battle.opponent_id is not None and battle.opponent_id != member.id:
            raise NotChallengedError(id=battle.id)
        if member.is_locked:
            raise MemberLockedError(name=member.display_name, reason=member.locked_reason)
        await self._limits.hold(repo, community.id, [battle.challenger_id, member.id])
        await self._limits.check_daily(uow, community, member, now)
        await self._limits.check_pair(repo, battle.challenger_id, member.id, now)
        deadline = now + timedelta(minutes=battle.minutes)
        if not await repo.accept(battle.id, member.id, now, deadline):
            raise NotPendingError(id=battle.id, status="taken")
        accepted = await self._reload(repo, battle)
        escrow = self._escrow()
        if battle.stake and escrow is not None:
            await escrow.hold(uow, accepted, member, battle.stake)
        due = timers(uow)
        await due.cancel(ACCEPT_TIMER, timer_key(battle.id))
        await due.schedule(Timer(community.id, DEADLINE_TIMER, timer_key(battle.id), deadline), now)
        return accepted

    async def decline(
        self, uow: UnitOfWork, community: Community, member: Member, battle_id: BattleId
    ) -> Battle:
        """Say no to a challenge (or withdraw your own); the stake goes back.

        Raises:
            BattleNotFoundError, NotChallengedError, NotPendingError.
        """
        repo = battles(uow)
        battle = await self._locked(repo, community.id, battle_id)
        now = self._clock.now()
        if member.id not in (battle.challenger_id, battle.opponent_id):
            raise NotChallengedError(id=battle.id)
        if battle.status is not Status.PENDING or now >= battle.accept_by:
            raise NotPendingError(id=battle.id, status=_status(battle, now))
        return await self._fall_through(uow, battle, Status.DECLINED, now)

    async def expire(self, uow: UnitOfWork, battle_id: BattleId) -> Battle | None:
        """The accept timer: an unanswered challenge expires and its stake goes back."""
        repo = battles(uow)
        battle = await repo.lock(battle_id)
        if battle is None or battle.status is not Status.PENDING:
            return None
        return await self._fall_through(uow, battle, Status.EXPIRED, self._clock.now())

    async def _fall_through(
        self, uow: UnitOfWork, battle: Battle, status: Status, now: datetime
    ) -> Battle:
        repo = battles(uow)
        if not await repo.move(battle.id, [Status.PENDING], status, finished_at=now):
            raise NotPendingError(id=battle.id, status="taken")
        await timers(uow).cancel(ACCEPT_TIMER, timer_key(battle.id))
        escrow = self._escrow()
        if battle.stake and escrow is not None:
            await escrow.refund(uow, battle)
        return await self._reload(repo, battle)

    # -- entries ------------------------------------------------------------------------

    async def submit(
        self,
        uow: UnitOfWork,
        community: Community,
        member: Member,
        battle_id: BattleId,
        text: str,
    ) -> tuple[Battle, bool]:
        """Store a private entry; reveal both when the second arrives. (battle, revealed).

        Raises:
            BattleNotFoundError, NotFighterError, NotRunningError, EmptyEntryError,
            EntryTooLongError, AlreadySubmittedError.
        """
        text = text.strip()
        if not text:
            raise EmptyEntryError()
        if len(text) > self._cfg.entry_max_length:
            raise EntryTooLongError(length=len(text), limit=self._cfg.entry_max_length)
        repo = battles(uow)
        battle = await self._locked(repo, community.id, battle_id)
        now = self._clock.now()
        if not battle.is_fighter(member.id):
            raise NotFighterError(id=battle.id)
        if battle.status is not Status.ACTIVE or battle.deadline is None or now >= battle.deadline:
            raise NotRunningError(id=battle.id, status=_status(battle, now))
        if not await repo.add_entry(Entry(battle.id, member.id, text, now)):
            raise AlreadySubmittedError(id=battle.id)
        if len(await repo.entries(battle.id)) < 2:
            return battle, False
        return await self._reveal(uow, battle, now), True

    async def _reveal(self, uow: UnitOfWork, battle: Battle, now: datetime) -> Battle:
        """Both entries are in: shuffle them into A and B and open judging."""
        repo = battles(uow)
        a_member = self._rng.choice(battle.fighters())
        await timers(uow).cancel(DEADLINE_TIMER, timer_key(battle.id))
        if battle.judge is Judge.AI:
            await repo.move(battle.id, [Status.ACTIVE], Status.JUDGING, a_member_id=a_member)
        else:
            await self.open_vote(uow, battle, now, a_member=a_member)
        return await self._reload(repo, battle)

    async def open_vote(
        self, uow: UnitOfWork, battle: Battle, now: datetime, *, a_member: MemberId | None = None
    ) -> bool:
        """Put revealed entries to the community's vote (also the AI judge's fallback)."""
        ends = now + timedelta(minutes=self._cfg.vote_minutes)
        changes: dict[str, object] = {"voting_ends_at": ends}
        if a_member is not None:
            changes["a_member_id"] = a_member
        moved = await battles(uow).move(
            battle.id, [Status.ACTIVE, Status.JUDGING], Status.VOTING, **changes
        )
        if moved:
            await timers(uow).schedule(
                Timer(battle.community_id, VOTE_TIMER, timer_key(battle.id), ends), now
            )
        return moved

    async def deadline(self, uow: UnitOfWork, battle_id: BattleId) -> Battle | None:
        """The submission deadline: reveal, forfeit the missing side, or cancel if nobody wrote."""
        repo = battles(uow)
        battle = await repo.lock(battle_id)
        if battle is None or battle.status is not Status.ACTIVE:
            return None
        now = self._clock.now()
        entries = await repo.entries(battle.id)
        if len(entries) >= 2:
            return await self._reveal(uow, battle, now)
        if len(entries) == 1:
            finished = await self.results.forfeit(uow, battle, entries[0].member_id)
            return finished.battle if finished else None
        return await self.results.cancel(uow, battle, reason=None)

    # -- votes ---------------------------------------------------------------------------

    async def vote(
        self,
        uow: UnitOfWork,
        community: Community,
        member: Member,
        battle_id: BattleId,
        side: Side,
    ) -> tuple[Battle, Side | None]:
        """Vote A or B (or change it) while voting is open; (battle, previous side).

        Raises:
            BattleNotFoundError, FighterVoteError, NotVotingError.
        """
        repo = battles(uow)
        # Locked like every other step, so a vote is either in the closing tally or refused.
        battle = await self._locked(repo, community.id, battle_id)
        if battle.is_fighter(member.id):
            raise FighterVoteError(id=battle.id)
        now = self._clock.now()
        ends = battle.voting_ends_at
        if battle.status is not Status.VOTING or ends is None or now >= ends:
            raise NotVotingError(id=battle.id, status=_status(battle, now))
        previous = await repo.vote(battle.id, member.id, side, now)
        return battle, previous

    async def close_vote(self, uow: UnitOfWork, battle_id: BattleId) -> Battle | None:
        """The vote timer: count, apply the quorum, finish the battle."""
        repo = battles(uow)
        battle = await repo.lock(battle_id)
        if battle is None or battle.status is not Status.VOTING:
            return None
        finished = await self.results.by_vote(uow, battle, await repo.tally(battle.id))
        return finished.battle if finished else None

    def pick_prompt(self, pool: Sequence[BattlePrompt]) -> BattlePrompt:
        """A prompt from the configured pool, at random."""
        return self._rng.choice(list(pool))

    # -- reading -------------------------------------------------------------------------

    async def get(self, uow: UnitOfWork, community_id: CommunityId, battle_id: BattleId) -> Battle:
        battle = await battles(uow).get(community_id, battle_id)
        if battle is None:
            raise BattleNotFoundError(id=battle_id)
        return battle

    # -- helpers -------------------------------------------------------------------------

    async def _locked(
        self, repo: BattleRepository, community_id: CommunityId, battle_id: BattleId
    ) -> Battle:
        battle = await repo.lock(battle_id)
        if battle is None or battle.community_id != community_id:
            raise BattleNotFoundError(id=battle_id)
        return battle

    async def _reload(self, repo: BattleRepository, battle: Battle) -> Battle:
        fresh = await repo.get(battle.community_id, battle.id)
        assert fresh is not None
        return fresh


def _status(battle: Battle, now: datetime) -> str:
    """The state a refusal names, as a key of the catalogue's `battles.status.*` words.

    A pending challenge past its accept window reads "expired" (its timer may
    not have fired yet); an active one past its deadline reads "late".
    """
    if battle.status is Status.PENDING:
        return str(Status.EXPIRED) if now >= battle.accept_by else "open"
    if battle.status is Status.ACTIVE and battle.deadline is not None and now >= battle.deadline:
        return "late"
    return str(battle.status)
