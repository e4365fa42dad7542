"""Achievements: unlocked automatically, once, from member counters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.achievements.activities import AchievementUnlocked
from domain.achievements.config import AchievementSpec
from domain.achievements.counters import changes_for
from domain.achievements.model import AchievementStatus, Unlocked
from domain.achievements.repository import (
    AchievementRepository,
    CounterRepository,
    CounterTotal,
)
from domain.core.activity import Activity, CounterMove
from domain.core.contracts import HeldAchievement
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository


@dataclass(frozen=True, slots=True)
class _Due:
    """An achievement a member's counters now qualify for (held or not: the grant decides)."""

    community_id: CommunityId
    member_id: MemberId
    spec: AchievementSpec
    at: datetime


def rarity(holders: int, members: int) -> float:
    """Share of members holding something, in percent (0 when nobody is counted)."""
    return 0.0 if members <= 0 else 100.0 * holders / members


class AchievementService:
    """Count what members do and unlock catalog achievements when conditions hold.

    Applied by the counters projection: counters move by atomic UPSERTs and
    a grant is an INSERT that the UNIQUE(member, achievement) constraint lets
    happen once, so two concurrent gifts can both count yet only one of them
    unlocks "Generous". Implements
    `AchievementReader`.
    """

    def __init__(self, catalog: tuple[AchievementSpec, ...]) -> None:
        self._catalog = catalog
        self._by_counter: dict[str, list[AchievementSpec]] = defaultdict(list)
        for spec in catalog:
            for counter in spec.requires:
                self._by_counter[counter].append(spec)

    @property
    def catalog(self) -> tuple[AchievementSpec, ...]:
        return self._catalog

    async def on_activity(self, uow: UnitOfWork, activity: Activity) -> list[Unlocked]:
        """Move counters for one activity; return the achievements it unlocked."""
        return await self.apply(uow, [activity])

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> list[Unlocked]:
        """Move the counters a batch of activities moves; return what they unlocked.

        The batch's moves are summed per (member, counter) and written with one
        multi-row UPSERT per kind of counter (running totals, best-of), which
        returns the new values. Records an `AchievementUnlocked` for each unlock.
        """
        totals: dict[tuple[MemberId, str], int] = {}
        best: dict[tuple[MemberId, str], int] = {}
        where: dict[MemberId, CommunityId] = {}
        steps: dict[MemberId, list[tuple[datetime, CounterMove]]] = defaultdict(list)
        for item in batch:
            for change in changes_for(item):
                key = (change.member_id, change.counter)
                if change.best_of:
                    best[key] = max(best.get(key, 0), change.amount)
                else:
                    totals[key] = totals.get(key, 0) + change.amount
                where[change.member_id] = item.community_id
                steps[change.member_id].append((item.occurred_at, change))
        if not where:
            return []
        counters = uow.get(CounterRepository)
        values: dict[tuple[MemberId, str], int] = {}
        for moves, best_of in ((totals, False), (best, True)):
            if moves:
                rows = [CounterTotal(where[m], m, c, n) for (m, c), n in sorted(moves.items())]
                values.update(await counters.move_many(rows, best_of=best_of))
        # The new value of every counter moved here, per member: enough to
        # judge a spec that needs only these counters without reading them back.
        touched: dict[MemberId, dict[str, int]] = defaultdict(dict)
        for (member_id, name), value in values.items():
            touched[member_id][name] = value
        due: list[_Due] = []
        for member_id, moved in sorted(touched.items()):
            candidates = {s.id: s for n in moved for s in self._by_counter.get(n, ())}
            if candidates:
                due += await self._due(
                    uow, where[member_id], steps[member_id], totals, member_id, candidates, moved
                )
        return await self._grant(uow, due) if due else []

    async def _due(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        steps: list[tuple[datetime, CounterMove]],
        totals: dict[tuple[MemberId, str], int],
        member_id: MemberId,
        candidates: dict[str, AchievementSpec],
        moved: dict[str, int],
    ) -> list[_Due]:
        """The candidates whose requirements the member's counters now meet, and when."""
        values = moved
        if any(c not in moved for s in candidates.values() for c in s.requires):
            values = {**await uow.get(CounterRepository).values(member_id), **moved}
        return [
            _Due(community_id, member_id, spec, _reached_at(spec, values, steps, totals, member_id))
            for spec in candidates.values()
            if all(values.get(c, 0) >= n for c, n in spec.requires.items())
        ]

    async def _grant(self, uow: UnitOfWork, due: list[_Due]) -> list[Unlocked]:
        """Grant a batch's due achievements in one statement; record and return the new ones.

        The UNIQUE(member, achievement) constraint, not a check here, decides
        what is new. Rarity is read once per community for the batch (the
        stored size and holders, this batch's grants included).
        """
        repo = uow.get(AchievementRepository)
        granted = await repo.grant_many(
            [(d.community_id, d.member_id, d.spec.id, d.at) for d in due]
        )
        shares: dict[CommunityId, tuple[dict[str, int], int]] = {}
        out: list[Unlocked] = []
        for d in due:
            if (d.member_id, d.spec.id) not in granted:
                continue  # already held
            if d.community_id not in shares:
                shares[d.community_id] = (
                    await repo.holders(d.community_id),
                    await repo.members(d.community_id),
                )
            holders, members = shares[d.community_id]
            uow.record(
                AchievementUnlocked(
                    community_id=d.community_id,
                    member_id=d.member_id,
                    key=f"achievement:{d.member_id}:{d.spec.id}",
                    occurred_at=d.at,
                    achievement=d.spec.id,
                )
            )
            share = rarity(holders.get(d.spec.id, 1), members)
            out.append(Unlocked(d.community_id, d.member_id, d.spec, d.at, share))
        return out

    async def statuses(
        self, uow: UnitOfWork, community_id: CommunityId, member_id: MemberId
    ) -> list[AchievementStatus]:
        """Every catalog entry for one member: held ones first (rarest first), then by progress."""
        repo = uow.get(AchievementRepository)
        held = await repo.held(member_id)
        holders = await repo.holders(community_id)
        members = await repo.members(community_id)
        values = await uow.get(CounterRepository).values(member_id)
        out = [
            AchievementStatus(
                spec=spec,
                held_at=held.get(spec.id),
                rarity_percent=rarity(holders.get(spec.id, 0), members),
                progress={c: values.get(c, 0) for c in spec.requires},
            )
            for spec in self._catalog
        ]
        out.sort(key=lambda s: (not s.held, s.rarity_percent if s.held else -s.fraction))
        return out

    async def top_for(
        self, uow: UnitOfWork, member_id: MemberId, limit: int = 3
    ) -> list[HeldAchievement]:
        """`AchievementReader`: the member's rarest achievements."""
        repo = uow.get(AchievementRepository)
        held = await repo.held(member_id)
        if not held:
            return []
        community_id = await _community_of(uow, member_id)
        holders = await repo.holders(community_id)
        members = await repo.members(community_id)
        specs = [s for s in self._catalog if s.id in held]
        specs.sort(key=lambda s: holders.get(s.id, 0))
        return [
            HeldAchievement(s.name, s.description, rarity(holders.get(s.id, 0), members), s.emoji)
            for s in specs[:limit]
        ]


def _reached_at(
    spec: AchievementSpec,
    values: dict[str, int],
    steps: list[tuple[datetime, CounterMove]],
    totals: dict[tuple[MemberId, str], int],
    member_id: MemberId,
) -> datetime:
    """When in the batch the member's counters first met every requirement of `spec`.

    Replays the batch's moves from the values before it, so an unlock carries
    the time of the activity that earned it, however the log was batched.
    """
    running = {c: values.get(c, 0) - totals.get((member_id, c), 0) for c in spec.requires}
    for c in spec.requires:
        if any(m.counter == c and m.best_of for _, m in steps):
            # a best-of counter below its target before the batch: count its moves from zero
            running[c] = values.get(c, 0) if values.get(c, 0) > _best_in(steps, c) else 0
    for at, move in steps:
        if move.counter in running:
            if move.best_of:
                running[move.counter] = max(running[move.counter], move.amount)
            else:
                running[move.counter] += move.amount
        if all(running[c] >= n for c, n in spec.requires.items()):
            return at
    return steps[-1][0]


def _best_in(steps: list[tuple[datetime, CounterMove]], counter: str) -> int:
    return max((m.amount for _, m in steps if m.counter == counter), default=0)


async def _community_of(uow: UnitOfWork, member_id: MemberId) -> CommunityId:
    member = await uow.get(IdentityRepository).get_member(member_id)
    if member is None:  # pragma: no cover - held achievements belong to members
        raise LookupError(f"member {member_id} does not exist")
    return member.community_id
