"""The audit log: every moderator action, with who, when and why, through one interface.

Features write entries with `audit(uow, …)` inside the transaction that acts,
so an action and its record exist together or not at all. `/admin audit`
reads them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from domain.core.ids import CommunityId, MemberId

if TYPE_CHECKING:
    from domain.core.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded action: `kind` ("points.award"), its actor, its subject and reason."""

    community_id: CommunityId
    kind: str
    created_at: datetime
    actor_id: MemberId | None = None
    subject_id: MemberId | None = None
    reason: str | None = None
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    id: int = 0


class AuditLog(Protocol):
    """Append and page through audit entries of a community."""

    async def write(self, entry: AuditEntry) -> None: ...

    async def page(
        self,
        community_id: CommunityId,
        *,
        subject_id: MemberId | None = None,
        kind: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Newest first; `kind` matches a whole kind or a prefix ending in "." ("points.")."""
        ...

    async def count(
        self,
        community_id: CommunityId,
        *,
        subject_id: MemberId | None = None,
        kind: str | None = None,
    ) -> int: ...


async def audit(
    uow: UnitOfWork,
    community_id: CommunityId,
    kind: str,
    at: datetime,
    *,
    actor_id: MemberId | None = None,
    subject_id: MemberId | None = None,
    reason: str | None = None,
    **data: Any,
) -> None:
    """Record a moderator action in the unit of work's transaction.

    Plain JSON-able values only in `data` (ids, counts, short strings).
    """
    await uow.get(AuditLog).write(
        AuditEntry(
            community_id=community_id,
            kind=kind,
            created_at=at,
            actor_id=actor_id,
            subject_id=subject_id,
            reason=reason,
            data=MappingProxyType(dict(data)),
        )
    )
