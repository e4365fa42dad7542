"""A member's report about another member, and what moderators decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId


class ReportStatus(StrEnum):
    """Where a report stands: open, or dismissed, warned or locked by a moderator."""

    OPEN = "open"
    DISMISSED = "dismissed"
    WARNED = "warned"
    LOCKED = "locked"


class ReportAction(StrEnum):
    """The three buttons on a report card."""

    DISMISS = "dismiss"
    WARN = "warn"
    LOCK = "lock"

    @property
    def status(self) -> ReportStatus:
        return {
            ReportAction.DISMISS: ReportStatus.DISMISSED,
            ReportAction.WARN: ReportStatus.WARNED,
            ReportAction.LOCK: ReportStatus.LOCKED,
        }[self]


@dataclass(frozen=True, slots=True)
class Report:
    """One report; `reporter_id` is shown to moderators only, never to the subject."""

    id: int
    community_id: CommunityId
    reporter_id: MemberId
    subject_id: MemberId
    reason: str
    status: ReportStatus
    created_at: datetime
    decided_by: MemberId | None = None
    decided_at: datetime | None = None
