"""What linking records: two members became one, at this point of the activity log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from domain.core.activity import Activity, activity
from domain.core.ids import CommunityId, MemberId


@activity("members_merged", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class MembersMerged(Activity):
    """`absorbed_id` was joined into `member_id` by /link.

    The merge moves the projections' rows (XP, counters, boards, quest progress,
    unlocks) in its own transaction; logging it puts that move at its place
    among the activities, so a rebuild from the log moves them at the same
    point, and whatever of the absorbed member was applied after the merge
    (committed before it, projected after) follows them too.
    """

    alone: ClassVar[bool] = True

    absorbed_id: int

    @classmethod
    def of(
        cls, community_id: CommunityId, survivor: MemberId, absorbed: MemberId, at: datetime
    ) -> MembersMerged:
        """The record of one merge; its key is unique per pair, as the ledger's link keys."""
        return cls(
            community_id=community_id,
            member_id=survivor,
            key=f"link:{int(absorbed)}:{int(survivor)}",
            occurred_at=at,
            absorbed_id=int(absorbed),
        )
