"""Link codes, and what a link or a merge did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId
from domain.identity.model import Platform


class LinkPurpose(StrEnum):
    """What a one-time code joins."""

    WORKSPACE = "workspace"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class LinkCode:
    """A one-time code as stored (the code itself is kept only as its hash)."""

    purpose: LinkPurpose
    community_id: CommunityId
    platform: Platform
    workspace_id: str
    member_id: MemberId | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class WorkspaceRef:
    """One platform workspace of a community."""

    platform: Platform
    workspace_id: str


@dataclass(frozen=True, slots=True)
class CommunityMerge:
    """What joining two communities moved: the absorbed one's rows, now the keeper's."""

    keeper_id: CommunityId
    absorbed_id: CommunityId
    workspaces: tuple[WorkspaceRef, ...]
    members_moved: int
    renamed_keys: int


@dataclass(frozen=True, slots=True)
class MemberMerge:
    """What joining two members moved (for the reply and the audit log)."""

    survivor_id: MemberId
    absorbed_id: MemberId
    points_moved: int
    xp_added: int
    votes_dropped: int
    checkins_dropped: int
    achievements_added: int


@dataclass(frozen=True, slots=True)
class WorkspaceRemoval:
    """What removing a workspace from a community did."""

    workspace: WorkspaceRef
    accounts_detached: int
    members_left_without_account: int
