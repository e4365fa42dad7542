"""What payments derives from activities: new credits pay off a member's debt first."""

from __future__ import annotations

from collections.abc import Sequence

from cogs.kit import Reply, Tone
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from domain.core.activity import Activity
from domain.core.announcements import Announcement, Target
from domain.core.uow import UnitOfWork
from domain.payments.debts import DebtSettler
from domain.points.activities import PointsCredited


class DebtProjection:
    """Settle debts from the credits of each batch; tell the member when a debt is paid off."""

    name = "payments.debts"
    kinds = (PointsCredited.kind,)

    def __init__(self, settler: DebtSettler) -> None:
        self._settler = settler

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Settle what this batch's credits can; one DM per debt paid off."""
        credits = [a for a in batch if isinstance(a, PointsCredited)]
        for done in await self._settler.settle(uow, credits):
            if done.left:
                continue
            reply = Reply(text=text("payments.debt_settled", paid=bold_points(done.paid)))
            uow.announce(
                Announcement(
                    community_id=done.community_id,
                    kind="payments.debt_settled",
                    dedupe_key=f"payments:{done.key}"[:200],
                    payload=reply.with_(tone=Tone.SUCCESS).to_dict(),
                    target=Target.DM,
                    member_id=done.member_id,
                )
            )
