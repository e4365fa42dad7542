"""Join a Discord server and a Slack workspace into one community, and a member's accounts.

Merge rules (README "Linking"):

Communities. The moderator finishing the link chooses whose settings (name,
time zone) the joined community keeps; that community is the keeper. Every
row of the other one (members, ledger, proposals, quests, events, boards,
announcement channels, audit log) moves to the keeper; nothing is deleted.
Members are NOT merged: the same person on both sides stays two members until
they link their accounts with `/link`. Per-community counters (board sizes,
achievement holders) add up; a per-community key both sides used (a quest
rotation, a ledger key) is renamed on the absorbed side so both rows are kept.

Members. The member who joined first survives (their id and display name).
The other member's balance moves by two ledger entries (never by editing rows);
XP, counters and quest progress add up; the streak is the better one and a day
both accounts checked in counts once; on a proposal both voted on the earlier
vote is kept; achievements are the union; leaderboard scores add per board and
season, which is what recomputing them from both histories gives. The absorbed
member stays as a record (history, audit) with no account and a zero balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.core.audit import audit
from domain.core.clock import Clock
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member, Platform
from domain.identity.repository import IdentityRepository
from domain.linking.codes import code_hash, new_code
from domain.linking.errors import (
    AlreadyLinkedError,
    LastWorkspaceError,
    LinkCodeInvalidError,
    LockedAccountError,
    NothingToUnlinkError,
    OtherCommunityError,
    PlatformTakenError,
    SameCommunityError,
    SamePlatformCodeError,
    WorkspaceNotLinkedError,
)
from domain.linking.merge import merge_members
from domain.linking.model import (
    CommunityMerge,
    LinkCode,
    LinkPurpose,
    MemberMerge,
    WorkspaceRef,
    WorkspaceRemoval,
)
from domain.linking.repository import LevelFor, LinkingRepository


@dataclass(frozen=True, slots=True)
class WorkspaceLinkPreview:
    """What the confirmation card names: both communities and their workspaces."""

    code: str
    there: Community
    there_workspaces: tuple[WorkspaceRef, ...]
    here: Community
    here_workspace: WorkspaceRef


class LinkingService:
    """Issue one-time codes and apply links; every link is recorded in the audit log."""

    def __init__(
        self, clock: Clock, code_minutes: int = 15, level_for: LevelFor | None = None
    ) -> None:
        self._clock = clock
        self._ttl = timedelta(minutes=code_minutes)
        self._level_for = level_for

    # -- codes --------------------------------------------------------------------------

    async def _issue(
        self,
        uow: UnitOfWork,
        purpose: LinkPurpose,
        community_id: CommunityId,
        where: WorkspaceRef,
        member_id: MemberId | None,
    ) -> str:
        now = self._clock.now()
        code = new_code()
        await uow.get(LinkingRepository).add_code(
            code_hash(code),
            LinkCode(
                purpose,
                community_id,
                where.platform,
                where.workspace_id,
                member_id,
                now,
                now + self._ttl,
            ),
        )
        return code

    async def _valid(self, uow: UnitOfWork, code: str, purpose: LinkPurpose) -> LinkCode:
        found = await uow.get(LinkingRepository).code(code_hash(code))
        if found is None or found.purpose is not purpose or not found.usable(self._clock.now()):
            raise LinkCodeInvalidError()
        return found

    async def _consume(self, uow: UnitOfWork, code: str) -> None:
        if not await uow.get(LinkingRepository).use_code(code_hash(code), self._clock.now()):
            raise LinkCodeInvalidError()

    # -- workspaces -----------------------------------------------------------------------

    async def start_workspace_link(
        self, uow: UnitOfWork, community: Community, where: WorkspaceRef, moderator: Member
    ) -> str:
        """A one-time code a moderator of the other workspace finishes the link with."""
        code = await self._issue(uow, LinkPurpose.WORKSPACE, community.id, where, None)
        await audit(
            uow,
            community.id,
            "workspace.link_start",
            self._clock.now(),
            actor_id=moderator.id,
            platform=str(where.platform),
            workspace=where.workspace_id,
        )
        return code

    async def preview_workspace_link(
        self, uow: UnitOfWork, code: str, here: Community, where: WorkspaceRef
    ) -> WorkspaceLinkPreview:
        """Check the code and name both sides, without changing anything.

        Raises:
            LinkCodeInvalidError: unknown, used, expired or a member code.
            SameCommunityError: both workspaces already are one community.
        """
        found = await self._valid(uow, code, LinkPurpose.WORKSPACE)
        if found.community_id == here.id:
            raise SameCommunityError()
        there = await uow.get(IdentityRepository).get_community(found.community_id)
        if there is None:
            raise LinkCodeInvalidError()
        workspaces = await uow.get(LinkingRepository).workspaces(there.id)
        return WorkspaceLinkPreview(code, there, tuple(workspaces), here, where)

    async def confirm_workspace_link(
        self,
        uow: UnitOfWork,
        code: str,
        here: Community,
        where: WorkspaceRef,
        moderator: Member,
        *,
        keep_here: bool,
    ) -> CommunityMerge:
        """Join the two communities; `keep_here` chooses whose settings the result keeps.

        Raises:
            LinkCodeInvalidError, SameCommunityError (as for the preview).
        """
        preview = await self.preview_workspace_link(uow, code, here, where)
        await self._consume(uow, code)
        keeper, absorbed = (here, preview.there) if keep_here else (preview.there, here)
        merged = await uow.get(LinkingRepository).merge_communities(keeper.id, absorbed.id)
        await audit(
            uow,
            keeper.id,
            "workspace.link",
            self._clock.now(),
            actor_id=moderator.id,
            absorbed_community=int(absorbed.id),
            kept=keeper.name,
            workspaces=[f"{w.platform}:{w.workspace_id}" for w in merged.workspaces],
            members_moved=merged.members_moved,
        )
        return merged

    async def workspaces(self, uow: UnitOfWork, community: Community) -> list[WorkspaceRef]:
        return await uow.get(LinkingRepository).workspaces(community.id)

    async def remove_workspace(
        self, uow: UnitOfWork, community: Community, moderator: Member, workspace_id: str
    ) -> WorkspaceRemoval:
        """Take a workspace out of the community; the data stays with the community.

        The workspace's accounts are detached: a member who also has an account
        elsewhere keeps everything there; a member whose only account was on the
        removed workspace keeps their history here, but can no longer act — in
        that workspace they start as a new member of a new community.

        Raises:
            WorkspaceNotLinkedError: no such workspace in this community.
            LastWorkspaceError: it is the community's only workspace.
        """
        repo = uow.get(LinkingRepository)
        current = await repo.workspaces(community.id)
        matching = [w for w in current if w.workspace_id == workspace_id]
        if not matching:
            raise WorkspaceNotLinkedError(workspace=workspace_id)
        if len(current) < 2:
            raise LastWorkspaceError()
        ref = matching[0]
        detached, orphaned = await repo.detach_workspace(community.id, ref)
        await audit(
            uow,
            community.id,
            "workspace.remove",
            self._clock.now(),
            actor_id=moderator.id,
            platform=str(ref.platform),
            workspace=ref.workspace_id,
            accounts=detached,
            members_without_account=orphaned,
        )
        return WorkspaceRemoval(ref, detached, orphaned)

    # -- members -------------------------------------------------------------------------

    async def start_member_link(
        self, uow: UnitOfWork, community: Community, member: Member, where: WorkspaceRef
    ) -> str:
        """A one-time code the member types on their other platform.

        Raises:
            LockedAccountError: the member is locked.
        """
        if member.is_locked:
            raise LockedAccountError(name=member.display_name)
        return await self._issue(uow, LinkPurpose.MEMBER, community.id, where, member.id)

    async def finish_member_link(
        self, uow: UnitOfWork, code: str, member: Member, where: WorkspaceRef
    ) -> MemberMerge:
        """Make the code's member and `member` one member (see the module's merge rules).

        Raises:
            LinkCodeInvalidError: unknown, used, expired or a workspace code.
            SamePlatformCodeError: finished from the workspace that issued it.
            OtherCommunityError: the accounts are in different communities.
            AlreadyLinkedError: both accounts already are one member.
            LockedAccountError: either side is locked.
            PlatformTakenError: the merged member would have two accounts on one platform.
        """
        found = await self._valid(uow, code, LinkPurpose.MEMBER)
        assert found.member_id is not None
        if (found.platform, found.workspace_id) == (where.platform, where.workspace_id):
            raise SamePlatformCodeError(where=found.workspace_id)
        identity = uow.get(IdentityRepository)
        other = await identity.get_member(found.member_id)
        if other is None:
            raise LinkCodeInvalidError()
        if other.community_id != member.community_id:
            raise OtherCommunityError()
        if other.id == member.id:
            raise AlreadyLinkedError()
        for side in (other, member):
            if side.is_locked:
                raise LockedAccountError(name=side.display_name)
        accounts = await identity.accounts_of([other.id, member.id])
        theirs = {a.platform for a in accounts if a.member_id == other.id}
        mine = {a.platform for a in accounts if a.member_id == member.id}
        taken = theirs & mine
        if taken:
            raise PlatformTakenError(platform=str(sorted(taken)[0]).title())
        await self._consume(uow, code)
        survivor, absorbed = sorted((other, member), key=lambda m: (m.joined_at, m.id))
        merged = await merge_members(uow, survivor, absorbed, self._clock.now(), self._level_for)
        await audit(
            uow,
            member.community_id,
            "member.link",
            self._clock.now(),
            actor_id=member.id,
            subject_id=survivor.id,
            absorbed=int(absorbed.id),
            points=merged.points_moved,
            xp=merged.xp_added,
        )
        return merged

    async def unlink(
        self, uow: UnitOfWork, member: Member, where: WorkspaceRef, user_id: str
    ) -> MemberId:
        """Separate the account the member runs this from; history stays with the member.

        The account becomes a new member (no points, no history) for future activity.

        Raises:
            NothingToUnlinkError: the member has only this account.
        """
        identity = uow.get(IdentityRepository)
        accounts = await identity.accounts_of([member.id])
        if len(accounts) < 2:
            raise NothingToUnlinkError()
        repo = uow.get(LinkingRepository)
        fresh = await repo.create_member(
            member.community_id, member.display_name, self._clock.now()
        )
        await repo.detach_account(str(where.platform), where.workspace_id, user_id, fresh)
        await audit(
            uow,
            member.community_id,
            "member.unlink",
            self._clock.now(),
            actor_id=member.id,
            subject_id=member.id,
            new_member=int(fresh),
            platform=str(where.platform),
        )
        return fresh


def workspace_of(platform: Platform, workspace_id: str) -> WorkspaceRef:
    """Name one workspace of a platform as a WorkspaceRef."""
    return WorkspaceRef(platform, workspace_id)
