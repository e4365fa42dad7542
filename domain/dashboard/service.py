"""Issue sign-in links and turn them into sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from domain.core.errors import UserFacingError
from domain.core.uow import UnitOfWork
from domain.dashboard.model import Grant, WebSession
from domain.dashboard.repository import DashboardRepository

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)


class SignInRefused(UserFacingError):
    """A link that is unknown, used, expired or not a moderator's."""

    code = "dashboard.link_refused"


def digest(token: str) -> str:
    """What the database stores instead of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class DashboardAuth:
    """Password-less sign-in: a 256-bit random link token, used once, then a session."""

    async def issue_link(self, uow: UnitOfWork, grant: Grant, now: datetime) -> str:
        """A new single-use token for `grant`, valid for ten minutes.

        Raises:
            SignInRefused: the grant is not a moderator's.
        """
        if not grant.is_moderator:
            raise SignInRefused()
        token = secrets.token_urlsafe(32)
        await uow.get(DashboardRepository).add_link(digest(token), grant, now, now + LINK_LIFETIME)
        return token

    async def redeem(self, uow: UnitOfWork, token: str, now: datetime) -> tuple[str, WebSession]:
        """Use a link once: returns the new session id (for the cookie) and the session.

        Raises:
            SignInRefused: unknown, reused or expired token, or not a moderator's.
        """
        grant = await uow.get(DashboardRepository).redeem_link(digest(token), now)
        if grant is None or not grant.is_moderator:
            raise SignInRefused()
        session_id = secrets.token_urlsafe(32)
        session = WebSession(grant, secrets.token_urlsafe(24), now + SESSION_LIFETIME)
        await uow.get(DashboardRepository).add_session(digest(session_id), session, now)
        return session_id, session

    async def session(self, uow: UnitOfWork, session_id: str, now: datetime) -> WebSession | None:
        """The live session a cookie names, or None."""
        return await uow.get(DashboardRepository).session(digest(session_id), now)

    async def sign_out(self, uow: UnitOfWork, session_id: str) -> None:
        """End the session a cookie names."""
        await uow.get(DashboardRepository).end_session(digest(session_id))
