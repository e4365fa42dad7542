"""Moderators' tools on the ledger: award, revoke, lock and unlock, each audited."""

from __future__ import annotations

from domain.core.audit import audit
from domain.core.clock import Clock
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.identity.repository import IdentityRepository
from domain.points.errors import (
    AlreadyLockedError,
    NonPositiveAmountError,
    NotLockedError,
    ReasonRequiredError,
    RevokeTooLargeError,
    SelfDealingError,
    locked,
)
from domain.points.model import EntryKind, NewEntry
from domain.points.posting import OverdrawnError, post
from domain.points.repository import LedgerRepository


class ModeratorTools:
    """The moderators' half of `PointsService` (a mixin: it shares the service's clock).

    Kept apart so the member-facing rules (earn, spend, give) read on their own.
    """

    _clock: Clock

    async def adjust(
        self,
        uow: UnitOfWork,
        moderator: Member,
        member: Member,
        amount: int,
        *,
        key: str,
        reason: str,
    ) -> int:
        """A moderator's award (amount > 0) or revoke (amount < 0); the new balance.

        The moderator is recorded as the entry's actor, with the reason.

        Raises:
            ReasonRequiredError: the reason is blank.
            SelfDealingError: the moderator named themselves.
            NonPositiveAmountError: amount is zero.
            MemberLockedError: an award to a locked member (unlock first).
            RevokeTooLargeError: a revoke larger than the balance.
            AlreadyAppliedError: the same request arrived twice.
        """
        reason = _moderators_reason(moderator, member, reason)
        if amount == 0:
            raise NonPositiveAmountError(amount=amount)
        if amount > 0 and member.is_locked:
            raise locked(member, moderator.id)
        ledger = uow.get(LedgerRepository)
        entry = NewEntry(
            community_id=member.community_id,
            member_id=member.id,
            kind=EntryKind.ADJUSTED,
            source="admin",
            amount=amount,
            key=key,
            created_at=self._clock.now(),
            reason=reason,
            actor_id=moderator.id,
        )
        if amount < 0:
            await ledger.lock_balances([member.id])
        try:
            balance = await post(uow, entry)
        except OverdrawnError as err:
            raise RevokeTooLargeError(
                name=member.display_name, balance=err.balance, amount=-amount
            ) from None
        kind = "points.award" if amount > 0 else "points.revoke"
        await audit(
            uow,
            member.community_id,
            kind,
            entry.created_at,
            actor_id=moderator.id,
            subject_id=member.id,
            reason=reason,
            amount=amount,
        )
        return balance

    async def lock_member(
        self, uow: UnitOfWork, moderator: Member, member: Member, reason: str
    ) -> None:
        """Freeze a member's earning and spending, with the reason on record.

        Raises:
            ReasonRequiredError: the reason is blank.
            SelfDealingError: the moderator named themselves.
            AlreadyLockedError: the member is already locked.
        """
        reason = _moderators_reason(moderator, member, reason)
        if member.is_locked:
            raise AlreadyLockedError(name=member.display_name, reason=member.locked_reason)
        await uow.get(IdentityRepository).set_lock(
            member.id, f"{reason[:450]} — by {moderator.display_name}"
        )
        await audit(
            uow,
            member.community_id,
            "member.lock",
            self._clock.now(),
            actor_id=moderator.id,
            subject_id=member.id,
            reason=reason,
        )

    async def unlock_member(self, uow: UnitOfWork, moderator: Member, member: Member) -> None:
        """Let a locked member earn and spend again.

        Raises:
            SelfDealingError: the moderator named themselves.
            NotLockedError: the member is not locked.
        """
        if moderator.id == member.id:
            raise SelfDealingError()
        if not member.is_locked:
            raise NotLockedError(name=member.display_name)
        await uow.get(IdentityRepository).set_lock(member.id, None)
        await audit(
            uow,
            member.community_id,
            "member.unlock",
            self._clock.now(),
            actor_id=moderator.id,
            subject_id=member.id,
        )


def _moderators_reason(moderator: Member, member: Member, reason: str) -> str:
    """The stripped reason of a moderator's action on another member (award, revoke, lock).

    Raises:
        ReasonRequiredError: the reason is blank.
        SelfDealingError: the moderator named themselves.
    """
    reason = reason.strip()
    if not reason:
        raise ReasonRequiredError()
    if moderator.id == member.id:
        raise SelfDealingError()
    return reason
