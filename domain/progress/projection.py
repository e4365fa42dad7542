"""The XP projection: a batch of activities turned into XP with a handful of statements.

Applying activities one by one cost about six statements each (member, lock,
recent awards, award, total, level). Here a batch reads what the rules need
once (members' time zones, their locked XP rows, the day's awards of the
braked sources), decides every occurrence in memory in log order — so the
result is the same however the log was batched — and writes the awards and
the new totals (and the levels reached) with one multi-row statement each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.core.activity import Activity
from domain.core.ids import MemberId
from domain.core.localtime import local_day
from domain.core.uow import UnitOfWork
from domain.progress.activities import LevelUp, TierUp, XpGained
from domain.progress.config import XpRule
from domain.progress.model import DayTotals, MemberXp, XpAward
from domain.progress.repository import XpRepository
from domain.progress.rules import LevelCurve, XpDecision, milestones, xp_for_occurrence


@dataclass(slots=True)
class _Running:
    """A member's XP as the batch moves it (starts at the locked row)."""

    xp: int
    level: int
    tier_index: int
    first_level: int


class XpProjection:
    """Award XP for every activity of an XP-earning kind in a batch."""

    name = "progress.xp"

    def __init__(self, rules: dict[str, XpRule], curve: LevelCurve) -> None:
        self._rules = rules
        self._curve = curve
        self.kinds = tuple(rules)

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Decide and write the batch's awards; record gains, level-ups and tier-ups."""
        wanted = [a for a in batch if a.kind in self._rules or a.explicit_xp() is not None]
        if not wanted:
            return
        repo = uow.get(XpRepository)
        zones = await repo.earners({a.member_id for a in wanted})
        wanted = [a for a in wanted if a.member_id in zones]  # locked or gone: nothing
        if not wanted:
            return
        where = {a.member_id: a.community_id for a in wanted}
        locked = await repo.lock_many(where)
        days = {a: local_day(a.occurred_at, zones[a.member_id]) for a in wanted}
        braked = {(a.member_id, a.kind) for a in wanted if _braked(self._rules.get(a.kind))}
        totals: dict[tuple[MemberId, str, date], DayTotals] = {}
        last: dict[tuple[MemberId, str], datetime] = {}
        if braked:
            on = {days[a] for a in wanted}
            totals, last = await repo.recent_many(braked, on, min(on) - self._reach(braked))
        awards: list[XpAward] = []
        for item in wanted:
            decision = self._decide(item, days[item], totals, last)
            if decision.amount <= 0:
                continue
            day_key = (item.member_id, item.kind, days[item])
            seen = totals.get(day_key, DayTotals(0, 0))
            totals[day_key] = DayTotals(seen.awards + 1, seen.xp + decision.amount)
            last[(item.member_id, item.kind)] = item.occurred_at
            awards.append(
                XpAward(
                    community_id=item.community_id,
                    member_id=item.member_id,
                    source=item.kind,
                    amount=decision.amount,
                    key=f"xp:{item.kind}:{item.key}"[:200],
                    local_date=days[item],
                    created_at=item.occurred_at,
                )
            )
        paid = await repo.add_awards(awards) if awards else set()
        awards = [a for a in awards if a.key in paid]
        if awards:
            await self._credit(uow, repo, awards, locked)

    def _reach(self, braked: set[tuple[MemberId, str]]) -> timedelta:
        """How far before the batch's first day an award could still brake one of it.

        The longest cooldown in days, plus three: local days and UTC times may
        be 14 hours apart either way (and a member may have moved zones).
        """
        longest = max(self._rules[kind].cooldown_minutes for _, kind in braked)
        return timedelta(days=math.ceil(longest / 1440) + 3)

    def _decide(
        self,
        item: Activity,
        day: date,
        totals: dict[tuple[MemberId, str, date], DayTotals],
        last: dict[tuple[MemberId, str], datetime],
    ) -> XpDecision:
        explicit = item.explicit_xp()
        if explicit is not None:
            # A malformed amount from another feature must not undo its action.
            ok = isinstance(explicit, int) and not isinstance(explicit, bool)
            return XpDecision(max(explicit, 0) if ok else 0)
        rule = self._rules[item.kind]
        seen = totals.get((item.member_id, item.kind, day), DayTotals(0, 0))
        return xp_for_occurrence(
            rule,
            now=item.occurred_at,
            last_award_at=last.get((item.member_id, item.kind)),
            awards_today=seen.awards,
            xp_today=seen.xp,
        )

    async def _credit(
        self,
        uow: UnitOfWork,
        repo: XpRepository,
        awards: list[XpAward],
        locked: dict[MemberId, MemberXp],
    ) -> None:
        """Add the paid awards to the totals (one statement); record what they reached."""
        running = {m: _Running(s.xp, s.level, s.tier_index, s.level) for m, s in locked.items()}
        for award in awards:
            state = running[award.member_id]
            state.xp += award.amount
            uow.record(
                XpGained(
                    community_id=award.community_id,
                    member_id=award.member_id,
                    key=award.key,
                    occurred_at=award.created_at,
                    amount=award.amount,
                    source=award.source,
                    total_xp=state.xp,
                )
            )
            self._level_up(uow, award, state)
        gained: dict[MemberId, int] = {}
        for award in awards:
            gained[award.member_id] = gained.get(award.member_id, 0) + award.amount
        reached = {
            member_id: (state.level, state.tier_index)
            for member_id, state in running.items()
            if state.level > state.first_level
        }
        await repo.add_xp_many(gained, reached)

    def _level_up(self, uow: UnitOfWork, award: XpAward, state: _Running) -> None:
        for reached in milestones(
            self._curve,
            award,
            previous_level=state.level,
            previous_tier=state.tier_index,
            xp=state.xp,
        ):
            uow.record(reached)
            if isinstance(reached, TierUp):
                state.tier_index = reached.tier_index
            elif isinstance(reached, LevelUp):
                state.level = reached.level


def _braked(rule: XpRule | None) -> bool:
    return rule is not None and bool(rule.cooldown_minutes or rule.daily_cap or rule.diminish_after)
