"""Resolve the actor of a command to a community and member, enrolling on first use."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.clock import Clock
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member, Platform
from domain.identity.repository import IdentityRepository


@dataclass(frozen=True, slots=True)
class Resolved:
    """The community and member an invocation acts as."""

    community: Community
    member: Member


class IdentityService:
    """Map platform accounts to members; a member's first command enrols them."""

    def __init__(self, clock: Clock, default_timezone: str, default_name: str) -> None:
        self._clock = clock
        self._default_timezone = default_timezone
        self._default_name = default_name

    async def community(
        self, uow: UnitOfWork, platform: Platform, workspace_id: str, name: str | None = None
    ) -> Community:
        """Return the community of a workspace, creating it on first contact."""
        repo = uow.get(IdentityRepository)
        found = await repo.community_for_workspace(platform, workspace_id)
        if found is not None:
            return found
        return await repo.create_community(
            platform,
            workspace_id,
            name or self._default_name,
            self._default_timezone,
            self._clock.now(),
        )

    async def resolve(
        self,
        uow: UnitOfWork,
        platform: Platform,
        workspace_id: str,
        user_id: str,
        display_name: str,
        community_name: str | None = None,
    ) -> Resolved:
        """Return the member behind a platform account, enrolling them if new (a write).

        A changed display name on the platform is copied over, so leaderboards
        show what members call themselves today.
        """
        found = await self.find(uow, platform, workspace_id, user_id, display_name)
        if found is not None:
            return found
        repo = uow.get(IdentityRepository)
        community = await self.community(uow, platform, workspace_id, community_name)
        member = await repo.enrol(
            community.id, platform, workspace_id, user_id, display_name, self._clock.now()
        )
        return Resolved(community, member)

    async def find(
        self,
        uow: UnitOfWork,
        platform: Platform,
        workspace_id: str,
        user_id: str,
        display_name: str,
        *,
        persist_name: bool = True,
    ) -> Resolved | None:
        """The member behind an enrolled account (see `resolve`); None if it is not enrolled.

        Reads pass `persist_name=False`: they show the platform's new name, but
        on SQLite a write inside a read transaction would contend for the
        writer's lock; the next writing command stores it.
        """
        repo = uow.get(IdentityRepository)
        found = await repo.member_with_community(platform, workspace_id, user_id)
        if found is None:
            return None
        member, community = found
        if display_name and member.display_name != display_name:
            if persist_name:
                await repo.rename(member.id, display_name)
            member = Member(
                id=member.id,
                community_id=member.community_id,
                display_name=display_name,
                timezone=member.timezone,
                joined_at=member.joined_at,
                locked_reason=member.locked_reason,
            )
        return Resolved(community, member)
