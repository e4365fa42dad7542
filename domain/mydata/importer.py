"""Apply parsed import rows: find or enrol the member, grant XP and points once."""

from __future__ import annotations

from dataclasses import replace

from domain.core.clock import Clock
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository
from domain.identity.service import IdentityService
from domain.mydata.activities import XpImported
from domain.mydata.imports import ImportOutcome, ImportRow
from domain.mydata.repository import ImportGrants
from domain.points.service import PointsService
from domain.progress.service import ProgressService


class Importer:
    """Grant imported totals through the ledger and the XP service, keyed per account."""

    def __init__(
        self,
        clock: Clock,
        identity: IdentityService,
        points: PointsService,
        progress: ProgressService | None,
    ) -> None:
        self._clock = clock
        self._identity = identity
        self._points = points
        self._progress = progress

    async def apply(
        self, uow: UnitOfWork, source: str, rows: list[ImportRow], *, dry_run: bool
    ) -> list[ImportOutcome]:
        """Import each row once; with `dry_run`, only say what would happen.

        The caller commits (or, for a dry run, rolls back) the unit of work.
        """
        return [await self._one(uow, source, row, dry_run) for row in rows]

    async def _one(
        self, uow: UnitOfWork, source: str, row: ImportRow, dry_run: bool
    ) -> ImportOutcome:
        identity = uow.get(IdentityRepository)
        grants = uow.get(ImportGrants)
        key = f"import:{source}:{row.platform}:{row.workspace_id}:{row.user_id}"[:190]
        member = await identity.member_for_account(row.platform, row.workspace_id, row.user_id)
        planned = ImportOutcome(
            row, int(member.id) if member else None, member is None, row.xp, row.points
        )
        if member is not None:
            if await grants.was_imported(member.community_id, key):
                return replace(planned, xp=0, points=0, skipped="already imported")
            if member.is_locked:
                return replace(planned, xp=0, points=0, skipped="locked")
        if dry_run:
            return planned
        if member is None:
            community = await self._identity.community(uow, row.platform, row.workspace_id)
            member = await identity.enrol(
                community.id,
                row.platform,
                row.workspace_id,
                row.user_id,
                row.name,
                self._clock.now(),
            )
        now = self._clock.now()
        if not await grants.claim(member.community_id, key, member.id, row.xp, row.points, now):
            return replace(planned, xp=0, points=0, skipped="already imported")
        if row.points:
            await self._points.award(
                uow,
                member,
                row.points,
                source="import",
                key=f"{key}:points",
                reason=f"imported from {source}",
            )
        xp = 0
        if row.xp and self._progress is not None:
            decision = await self._progress.award_for(
                uow,
                XpImported(
                    community_id=member.community_id,
                    member_id=member.id,
                    key=key,
                    occurred_at=now,
                    amount=row.xp,
                    source=source,
                ),
            )
            xp = decision.amount
        return replace(planned, member_id=int(member.id), xp=xp)
