"""The moderators' web dashboard: password-less sign-in and the sessions it opens.

A moderator asks for a link in chat; the link carries a single-use random
token that expires in minutes and opens a session scoped to one community.
The database keeps only SHA-256 digests of tokens and session ids, so a copy
of the database cannot be replayed as a login.
"""

from domain.dashboard.model import DashboardSite, Grant, WebSession
from domain.dashboard.repository import DashboardRepository, FailedDeliveries, MemberDirectory
from domain.dashboard.service import DashboardAuth, SignInRefused

__all__ = [
    "DashboardAuth",
    "DashboardRepository",
    "DashboardSite",
    "FailedDeliveries",
    "Grant",
    "MemberDirectory",
    "SignInRefused",
    "WebSession",
]
