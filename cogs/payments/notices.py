"""Receipts and debt notices for payments, queued in the webhook's transaction."""

from __future__ import annotations

from cogs.kit import Field, Mention, Reply, Tone, mention_token
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from domain.core.announcements import Announcement, Target
from domain.payments.service import Applied, PremiumChange

ROLE_GRANT = "role_grant"  # Discord's deliverer also adds the role named in the "role" field
ROLE_REVOKE = "role_revoke"  # ...and removes it; other platforms deliver the words alone


def premium_notices(change: PremiumChange, event_id: str) -> list[Announcement]:
    """Tell the member their perks started or ended; grant or remove the plan's role."""
    out: list[Announcement] = []
    for plan, started in ((change.ended, False), (change.started, True)):
        if plan is None:
            continue
        if started:
            words = text(
                "payments.premium_started",
                plan=plan.name,
                multiplier=plan.multiplier,
                ai=plan.ai_tokens_multiplier,
                battles=plan.extra_battles_per_day,
                mentees=plan.extra_mentees,
            )
        else:
            words = text("payments.premium_ended", plan=plan.name)
        fields = (Field("role", plan.role),) if plan.role else ()
        reply = Reply(text=words, fields=fields, tone=Tone.SUCCESS if started else Tone.INFO)
        kind = ROLE_GRANT if started else ROLE_REVOKE
        out.append(
            Announcement(
                community_id=change.community_id,
                kind=kind if plan.role else "payments.premium",
                dedupe_key=f"payments:premium:{event_id}:{plan.id}:{kind}",
                payload=reply.to_dict(),
                target=Target.DM,
                member_id=change.member_id,
            )
        )
    return out


def notices(applied: Applied, event_id: str) -> list[Announcement]:
    """What the member (and, for a debt, the moderators) are told about an applied event."""
    out: list[Announcement] = []
    if applied.premium is not None:
        out += premium_notices(applied.premium, event_id)
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
