"""File a report to the moderators' channel; Dismiss, Warn or Lock it, once.

The reported member never learns who reported them: the card goes only to the
moderators' channel, a warning DM names no reporter, and their data export
leaves the reporter out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.core.announcements import Announcement, Target
from domain.core.audit import audit
from domain.core.clock import Clock
from domain.core.ids import MAX_ID
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member
from domain.identity.repository import IdentityRepository
from domain.moderation.errors import (
    ReportDecidedError,
    ReportNotFoundError,
    ReportReasonError,
    SelfReportError,
)
from domain.moderation.model import Report, ReportAction
from domain.moderation.repository import ReportRepository
from domain.points.service import PointsService

CardFor = Callable[[Report, Member, Member], Mapping[str, Any]]
"""(report, reporter, subject) -> the moderators' card as a serialised Reply."""
WarningFor = Callable[[Report], Mapping[str, Any]]


class ReportService:
    """Reports from members, decisions by moderators; both in the audit log."""

    def __init__(
        self, clock: Clock, points: PointsService, card: CardFor, warning: WarningFor
    ) -> None:
        self._clock = clock
        self._points = points
        self._card = card
        self._warning = warning

    async def file(
        self, uow: UnitOfWork, community: Community, reporter: Member, subject: Member, reason: str
    ) -> Report:
        """Store the report and queue its card for the moderators' channel.

        Raises:
            SelfReportError: the member reported themselves.
            ReportReasonError: the reason is blank.
        """
        reason = reason.strip()
        if reporter.id == subject.id:
            raise SelfReportError()
        if not reason:
            raise ReportReasonError()
        report = await uow.get(ReportRepository).add(
            community.id, reporter.id, subject.id, reason[:500], self._clock.now()
        )
        uow.announce(
            Announcement(
                community_id=community.id,
                kind="report.filed",
                dedupe_key=f"report:{report.id}",
                payload=self._card(report, reporter, subject),
                channel_kind="moderation",
            )
        )
        return report

    async def decide(
        self,
        uow: UnitOfWork,
        community: Community,
        moderator: Member,
        report_id: int,
        action: ReportAction,
    ) -> tuple[Report, Member]:
        """Dismiss, warn (a DM naming no reporter) or lock the reported member.

        Raises:
            ReportNotFoundError: no such report here.
            ReportDecidedError: decided already (a second moderator's click changes nothing).
            SelfDealingError, AlreadyLockedError: from locking (see PointsService).
        """
        repo = uow.get(ReportRepository)
        report = await repo.get(community.id, report_id) if 0 < report_id <= MAX_ID else None
        if report is None:
            raise ReportNotFoundError(id=report_id)
        now = self._clock.now()
        if not await repo.decide(report.id, action.status, moderator.id, now):
            raise ReportDecidedError(id=report.id, status=str(report.status))
        subject = await uow.get(IdentityRepository).get_member(report.subject_id)
        assert subject is not None
        if action is ReportAction.LOCK:
            await self._points.lock_member(uow, moderator, subject, f"report #{report.id}")
        if action is ReportAction.WARN:
            uow.announce(
                Announcement(
                    community_id=community.id,
                    kind="report.warning",
                    dedupe_key=f"report:{report.id}:warning",
                    payload=self._warning(report),
                    target=Target.DM,
                    member_id=subject.id,
                )
            )
        await audit(
            uow,
            community.id,
            f"report.{action}",
            now,
            actor_id=moderator.id,
            subject_id=subject.id,
            reason=report.reason,
            report_id=report.id,
        )
        return report, subject
