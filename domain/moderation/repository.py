"""What reports need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.moderation.model import Report, ReportStatus


class ReportRepository(Protocol):
    """File reports and decide them once."""

    async def add(
        self,
        community_id: CommunityId,
        reporter_id: MemberId,
        subject_id: MemberId,
        reason: str,
        at: datetime,
    ) -> Report: ...

    async def get(self, community_id: CommunityId, report_id: int) -> Report | None: ...

    async def decide(
        self, report_id: int, status: ReportStatus, moderator: MemberId, at: datetime
    ) -> bool:
        """Open -> decided; False when it was decided meanwhile (one decision per report)."""
        ...
