"""Who a dashboard link or session speaks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.core.ids import CommunityId, MemberId


@dataclass(frozen=True, slots=True)
class Grant:
    """The person a sign-in link was issued to, as their platform described them then."""

    community_id: CommunityId
    member_id: MemberId
    platform: str
    workspace_id: str
    user_id: str
    display_name: str
    is_moderator: bool


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser: the grant it came from, its CSRF token and when it ends."""

    grant: Grant
    csrf: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class DashboardSite:
    """Where this deployment serves the dashboard; provided only when it serves one."""

    base_url: str

    def login_url(self, token: str) -> str:
        """The single-use sign-in link for `token`."""
        return f"{self.base_url.rstrip('/')}/dashboard/login?token={token}"
