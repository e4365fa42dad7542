"""Export and erase a member's data (the export format is in the README, "Your data").

Erasing keeps the community consistent, as Red's data-deletion API does: the
member row stays as a tombstone named "deleted member" with no accounts, so
the ledger, tallies, boards and other members' histories still add up; what
identifies the person (platform accounts, name, time zone, settings, free
text they wrote) is removed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.core.audit import audit
from domain.core.clock import Clock
from domain.core.uow import UnitOfWork
from domain.identity.model import Member, Platform
from domain.identity.repository import IdentityRepository
from domain.mydata.repository import MemberDataRepository

EXPORT_FORMAT = "guildhall.mydata/1"
TOMBSTONE = "deleted member"


class MyDataService:
    """Everything stored about a member, out as JSON, or erased behind a tombstone."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def export(self, uow: UnitOfWork, member: Member) -> dict[str, Any]:
        """The member's data: profile, accounts, and every table's rows about them."""
        repo = uow.get(MemberDataRepository)
        ids = await repo.history_ids(member.id)
        accounts = await uow.get(IdentityRepository).accounts_of(ids)
        return {
            "format": EXPORT_FORMAT,
            "generated_at": _iso(self._clock.now()),
            "member": {
                "id": int(member.id),
                "community_id": int(member.community_id),
                "display_name": member.display_name,
                "timezone": member.timezone,
                "joined_at": _iso(member.joined_at),
                "locked_reason": member.locked_reason,
                "linked_member_ids": [int(i) for i in ids if i != member.id],
            },
            "accounts": [
                {"platform": str(a.platform), "workspace_id": a.workspace_id, "user_id": a.user_id}
                for a in accounts
            ],
            "tables": await repo.rows_about(ids),
        }

    async def erase(
        self, uow: UnitOfWork, member: Member, actor: Member, reason: str | None = None
    ) -> dict[str, int]:
        """Erase the member's personal data; the audit log records who asked (never what)."""
        repo = uow.get(MemberDataRepository)
        ids = await repo.history_ids(member.id)
        done = await repo.erase(ids, TOMBSTONE)
        await audit(
            uow,
            member.community_id,
            "member.delete",
            self._clock.now(),
            actor_id=actor.id,
            subject_id=member.id,
            reason=reason,
            by_self=actor.id == member.id,
        )
        return done

    async def member_left(
        self, uow: UnitOfWork, platform: Platform, workspace_id: str, user_id: str, policy: str
    ) -> str:
        """Apply `[mydata] on_member_left` to an account whose platform says it left.

        "keep" changes nothing. "erase" erases the member as /mydata delete does
        when the account was their only one; when they also have an account on
        another workspace (linked), only the account that left is removed, so
        the person keeps their member where they still are. A second event for
        the same departure finds no account and does nothing.

        Returns what was done: "unknown", "kept", "account_removed" or "erased".
        """
        identity = uow.get(IdentityRepository)
        member = await identity.member_for_account(platform, workspace_id, user_id)
        if member is None:
            return "unknown"
        if policy != "erase":
            return "kept"
        others = [
            a
            for a in await identity.accounts_of([member.id])
            if (a.platform, a.workspace_id, a.user_id) != (platform, workspace_id, user_id)
        ]
        now = self._clock.now()
        if others:
            await uow.get(MemberDataRepository).remove_account(str(platform), workspace_id, user_id)
            await audit(
                uow,
                member.community_id,
                "member.left",
                now,
                subject_id=member.id,
                platform=str(platform),
                workspace=workspace_id,
                removed="account",
            )
            return "account_removed"
        repo = uow.get(MemberDataRepository)
        await repo.erase(await repo.history_ids(member.id), TOMBSTONE)
        await audit(
            uow,
            member.community_id,
            "member.left",
            now,
            subject_id=member.id,
            platform=str(platform),
            workspace=workspace_id,
            removed="member",
        )
        return "erased"


def _iso(at: datetime) -> str:
    return at.isoformat()
