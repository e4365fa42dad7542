"""The merge projection: a logged member merge moves the absorbed member's projection rows.

Every projection writes rows per member; after `/link` the survivor holds the
absorbed member's. Applied in log order (alone in its batch), this makes a
rebuild move them exactly where the merge did, so rebuilding equals what was
applied incrementally; applied incrementally it finds little or nothing left,
but catches what the projector applied for the absorbed member after the merge.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.core.activity import Activity
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.linking.activities import MembersMerged
from domain.linking.repository import LevelFor, LinkingRepository


class MergeProjection:
    """Move an absorbed member's projection rows to the survivor where the merge is logged."""

    name = "linking.member-merges"
    kinds = (MembersMerged.kind,)

    def __init__(self, level_for: LevelFor | None) -> None:
        self._level_for = level_for

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Merge each logged pair's projection rows; the survivor's level follows the XP."""
        repo = uow.get(LinkingRepository)
        for item in batch:
            if not isinstance(item, MembersMerged):
                continue
            survivor, absorbed = MemberId(item.member_id), MemberId(item.absorbed_id)
            moved = await repo.merge_projections(CommunityId(item.community_id), survivor, absorbed)
            if moved.get("xp") and self._level_for is not None:
                await repo.set_standing(survivor, self._level_for)
