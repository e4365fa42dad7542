"""Achievements: unlocked automatically, once, from member counters."""

from __future__ import annotations

from collections import defaultdict

from domain.achievements.activities import AchievementUnlocked
from domain.achievements.config import AchievementSpec
from domain.achievements.counters import changes_for
from domain.achievements.model import AchievementStatus, Unlocked
from domain.achievements.repository import AchievementRepository, CounterRepository
from domain.core.activity import Activity
from domain.core.contracts import HeldAchievement
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository


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
        """Move counters for `activity`; return the achievements it unlocked.

        Records an `AchievementUnlocked` activity for each.
        """
        changes = [c for c in changes_for(activity) if c.amount > 0]
        if not changes:
            return []
        counters = uow.get(CounterRepository)
        # The new value of every counter moved here, per member: enough to
        # judge a spec that needs only these counters without reading them back.
        touched: dict[MemberId, dict[str, int]] = defaultdict(dict)
        for change in changes:
            if change.best_of:
                value = await counters.raise_to(
                    activity.community_id, change.member_id, change.counter, change.amount
                )
            else:
                value = await counters.add(
                    activity.community_id, change.member_id, change.counter, change.amount
                )
            touched[change.member_id][change.counter] = value
        unlocked: list[Unlocked] = []
        for member_id, moved in touched.items():
            candidates = {s.id: s for n in moved for s in self._by_counter.get(n, ())}
            if candidates:
                unlocked += await self._grant_due(uow, activity, member_id, candidates, moved)
        return unlocked

    async def _grant_due(
        self,
        uow: UnitOfWork,
        activity: Activity,
        member_id: MemberId,
        candidates: dict[str, AchievementSpec],
        moved: dict[str, int],
    ) -> list[Unlocked]:
        values = moved
        if any(c not in moved for s in candidates.values() for c in s.requires):
            values = await uow.get(CounterRepository).values(member_id)
        repo = uow.get(AchievementRepository)
        out: list[Unlocked] = []
        for spec in candidates.values():
            if not all(values.get(c, 0) >= n for c, n in spec.requires.items()):
                continue
            if not await repo.grant(
                activity.community_id, member_id, spec.id, activity.occurred_at
            ):
                continue  # already held: the constraint, not this check, decides
            holders = (await repo.holders(activity.community_id)).get(spec.id, 1)
            share = rarity(holders, await repo.members(activity.community_id))
            uow.record(
                AchievementUnlocked(
                    community_id=activity.community_id,
                    member_id=member_id,
                    key=f"achievement:{member_id}:{spec.id}",
                    occurred_at=activity.occurred_at,
                    achievement=spec.id,
                )
            )
            out.append(
                Unlocked(activity.community_id, member_id, spec, activity.occurred_at, share)
            )
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
            HeldAchievement(s.name, s.description, rarity(holders.get(s.id, 0), members))
            for s in specs[:limit]
        ]


async def _community_of(uow: UnitOfWork, member_id: MemberId) -> CommunityId:
    member = await uow.get(IdentityRepository).get_member(member_id)
    if member is None:  # pragma: no cover - held achievements belong to members
        raise LookupError(f"member {member_id} does not exist")
    return member.community_id
