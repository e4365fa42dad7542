"""Join two members' histories into one (the member half of the module rules in service.py).

Kept apart from the codes and checks of `LinkingService` because it is the part
with money in it: the balance moves by two ledger entries under a row lock,
never by editing rows, and everything else is merged by storage in the same
transaction.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.linking.activities import MembersMerged
from domain.linking.errors import AlreadyLinkedError
from domain.linking.model import MemberMerge
from domain.linking.repository import LevelFor, LinkingRepository
from domain.points.model import EntryKind, NewEntry
from domain.points.repository import LedgerRepository


async def merge_members(
    uow: UnitOfWork,
    survivor: Member,
    absorbed: Member,
    now: datetime,
    level_for: LevelFor | None = None,
) -> MemberMerge:
    """Join `absorbed` into `survivor`: the balance by ledger entries, the rest in storage.

    Raises:
        AlreadyLinkedError: this pair was merged before (its ledger keys exist).
    """
    ledger = uow.get(LedgerRepository)
    await ledger.lock_balances(sorted((survivor.id, absorbed.id)))
    moved = await ledger.balance(absorbed.id)
    if moved > 0:
        await _transfer(ledger, survivor, absorbed, moved, now)
    facts = await uow.get(LinkingRepository).merge_member_facts(
        survivor.community_id, survivor.id, absorbed.id, now
    )
    if level_for is not None:
        await uow.get(LinkingRepository).set_standing(survivor.id, level_for)
    # At this point of the log: a rebuild moves the projections' rows here too.
    uow.record(MembersMerged.of(survivor.community_id, survivor.id, absorbed.id, now))
    return MemberMerge(
        survivor_id=survivor.id,
        absorbed_id=absorbed.id,
        points_moved=moved,
        xp_added=facts.get("xp", 0),
        votes_dropped=facts.get("votes_dropped", 0),
        checkins_dropped=facts.get("checkins_dropped", 0),
        achievements_added=facts.get("achievements_added", 0),
    )


async def _transfer(
    ledger: LedgerRepository,
    survivor: Member,
    absorbed: Member,
    amount: int,
    now: datetime,
) -> None:
    """Two entries, out of one and into the other; no activity (boards merge separately)."""
    key = f"link:{absorbed.id}:{survivor.id}"
    out = NewEntry(
        community_id=absorbed.community_id,
        member_id=absorbed.id,
        amount=-amount,
        key=f"{key}:out",
        reason="accounts linked",
        actor_id=absorbed.id,
        counterparty_id=survivor.id,
        kind=EntryKind.ADJUSTED,
        source="link",
        created_at=now,
    )
    into = NewEntry(
        community_id=survivor.community_id,
        member_id=survivor.id,
        amount=amount,
        key=f"{key}:in",
        reason="accounts linked",
        actor_id=absorbed.id,
        counterparty_id=absorbed.id,
        kind=EntryKind.ADJUSTED,
        source="link",
        created_at=now,
    )
    if not await ledger.append(out) or not await ledger.append(into):
        raise AlreadyLinkedError()  # the same pair merged before: nothing to move
    if await ledger.debit(absorbed.id, amount) is None:  # pragma: no cover - read under lock
        raise RuntimeError("balance changed during a locked merge")
    await ledger.credit(survivor.id, amount)
