"""Who is who: a community, a member, and the platform accounts behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId


class Platform(StrEnum):
    """A chat platform a community lives on."""

    DISCORD = "discord"
    SLACK = "slack"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Community:
    """The unit of everything: ledger, proposals, leaderboards, config."""

    id: CommunityId
    name: str
    timezone: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A person in one community, whichever platforms they use."""

    id: MemberId
    community_id: CommunityId
    display_name: str
    timezone: str | None
    joined_at: datetime
    locked_reason: str | None = None

    @property
    def is_locked(self) -> bool:
        return self.locked_reason is not None


@dataclass(frozen=True, slots=True)
class Account:
    """A member's account on one platform (a Discord user, a Slack user)."""

    platform: Platform
    workspace_id: str
    user_id: str
    member_id: MemberId
