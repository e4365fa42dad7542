"""Refusals of linking; words in `cogs/linking/messages.py`."""

from domain.core.errors import UserFacingError


class LinkCodeInvalidError(UserFacingError):
    """The code is unknown, used, expired, or meant for the other kind of link."""

    code = "linking.code_invalid"


class SameCommunityError(UserFacingError):
    """Both workspaces already are one community."""

    code = "linking.same_community"


class SamePlatformCodeError(UserFacingError):
    """A code must be finished from the other workspace (params: where)."""

    code = "linking.same_workspace"


class LastWorkspaceError(UserFacingError):
    """A community cannot remove its only workspace."""

    code = "linking.last_workspace"


class WorkspaceNotLinkedError(UserFacingError):
    """The named workspace is not part of this community (params: workspace)."""

    code = "linking.workspace_unknown"


class OtherCommunityError(UserFacingError):
    """Accounts can be linked only inside one community: link the workspaces first."""

    code = "linking.other_community"


class AlreadyLinkedError(UserFacingError):
    """Both accounts already are one member."""

    code = "linking.already_linked"


class PlatformTakenError(UserFacingError):
    """The member already has an account on that platform (params: platform)."""

    code = "linking.platform_taken"


class LockedAccountError(UserFacingError):
    """A locked account cannot be linked (params: name)."""

    code = "linking.locked"


class NothingToUnlinkError(UserFacingError):
    """The member has only this one account."""

    code = "linking.nothing_to_unlink"
