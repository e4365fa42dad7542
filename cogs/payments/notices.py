"""Receipts and debt notices for payments, queued in the webhook's transaction."""

from __future__ import annotations

from cogs.kit import Mention, Reply, Tone, mention_token
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from domain.core.announcements import Announcement, Target
from domain.payments.service import Applied


def notices(applied: Applied, event_id: str) -> list[Announcement]:
    """What the member (and, for a debt, the moderators) are told about an applied event."""
    out: list[Announcement] = []
    if applied.purchase is not None:
        p = applied.purchase
        receipt = Reply(
            text=text("payments.receipt", credits=bold_points(p.credits), pack=p.pack_id),
            tone=Tone.SUCCESS,
        )
        out.append(
            Announcement(
                community_id=p.community_id,
                kind="payments.receipt",
                dedupe_key=f"payments:receipt:{p.session_id}",
                payload=receipt.to_dict(),
                target=Target.DM,
                member_id=p.member_id,
            )
        )
    if applied.clawback is not None and applied.community_id is not None:
        c = applied.clawback
        words = (
            text("payments.clawed_debt", taken=bold_points(c.taken), debt=bold_points(c.debt))
            if c.debt
            else text("payments.clawed", taken=bold_points(c.taken))
        )
        out.append(
            Announcement(
                community_id=applied.community_id,
                kind="payments.clawback",
                dedupe_key=f"payments:clawback:{event_id}",
                payload=Reply(text=words, tone=Tone.WARNING).to_dict(),
                target=Target.DM,
                member_id=c.member_id,
            )
        )
        if c.debt:
            note = Reply(
                text=text(
                    "payments.debt_moderators",
                    member=mention_token(c.member_id),
                    debt=bold_points(c.debt),
                ),
                tone=Tone.WARNING,
                mentions=(Mention(int(c.member_id), "member"),),
            )
            out.append(
                Announcement(
                    community_id=applied.community_id,
                    kind="payments.debt",
                    dedupe_key=f"payments:debt:{event_id}",
                    payload=note.to_dict(),
                    target=Target.CHANNEL,
                    channel_kind="moderators",
                )
            )
    return out
