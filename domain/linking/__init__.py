"""One community across platforms: linking workspaces and a member's accounts."""

from domain.linking.model import (
    CommunityMerge,
    LinkCode,
    LinkPurpose,
    MemberMerge,
    WorkspaceRef,
    WorkspaceRemoval,
)
from domain.linking.repository import LinkingRepository
from domain.linking.service import LinkingService, WorkspaceLinkPreview

__all__ = [
    "CommunityMerge",
    "LinkCode",
    "LinkPurpose",
    "LinkingRepository",
    "LinkingService",
    "MemberMerge",
    "WorkspaceLinkPreview",
    "WorkspaceRef",
    "WorkspaceRemoval",
]
