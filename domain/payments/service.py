"""Apply Stripe's webhook events to the ledger and premium status, exactly once, in any order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domain.core.clock import Clock
from domain.core.contracts import Perks
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository
from domain.payments.config import PaymentsSection, Plan
from domain.payments.model import (
    Clawback,
    Premium,
    Purchase,
    SubscriptionStatus,
)
from domain.payments.repository import PaymentsRepository
from domain.points.model import EntryKind
from domain.points.repository import LedgerRepository
from domain.points.service import PointsService


@dataclass(frozen=True, slots=True)
class PremiumChange:
    """A member's perks started (or moved to another plan) or ended with this event."""

    community_id: CommunityId
    member_id: MemberId
    started: Plan | None = None  # the plan now active, new since the event before
    ended: Plan | None = None  # the plan active before, no longer active


@dataclass(frozen=True, slots=True)
class Applied:
    """What one webhook event did: "applied", "duplicate" or "ignored", and to whom."""

    outcome: str
    purchase: Purchase | None = None
    clawback: Clawback | None = None
    community_id: CommunityId | None = None
    premium: PremiumChange | None = None


INVOICE_EVENTS = ("invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed")
"""Stripe sends `invoice.paid` and `invoice.payment_succeeded` for one payment: either will do."""


def _at(ts: Any) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(int(ts), UTC)


def _buyer(meta: Any) -> tuple[CommunityId, MemberId] | None:
    try:
        return CommunityId(int(meta["community_id"])), MemberId(int(meta["member_id"]))
    except (KeyError, TypeError, ValueError):
        return None


class PaymentsService:
    """Turn verified webhook events into ledger entries and premium rows.

    Exactly once: each event id is claimed in the same transaction that
    applies it. Any order: a purchase is keyed by its session, a clawback
    by the charge's refunded total, and a subscription keeps the state of
    the newest event, with `canceled` final, so a late `created` after a
    `deleted` changes nothing.
    """

    def __init__(self, clock: Clock, config: PaymentsSection, points: PointsService) -> None:
        self._clock = clock
        self._cfg = config
        self._points = points

    async def apply(self, uow: UnitOfWork, event: dict[str, Any]) -> Applied:
        """Apply one event once; what it did (the caller tells the member)."""
        now = self._clock.now()
        kind = str(event.get("type", ""))
        if not await uow.get(PaymentsRepository).claim_event(str(event["id"]), kind, now):
            return Applied("duplicate")
        obj = event.get("data", {}).get("object", {})
        created = _at(event.get("created")) or now
        if kind == "checkout.session.completed":
            purchase = await self._checkout_completed(uow, obj)
            if purchase is not None:
                return Applied("applied", purchase=purchase, community_id=purchase.community_id)
        elif kind in ("charge.refunded", "charge.dispute.created"):
            found = await self._claw_back(uow, kind, obj)
            if found is not None:
                return Applied("applied", clawback=found[1], community_id=found[0])
        elif kind.startswith("customer.subscription."):
            saved = await self._subscription(uow, obj, created, deleted=kind.endswith(".deleted"))
            if saved is not None:
                return Applied("applied", premium=saved, community_id=saved.community_id)
        elif kind in INVOICE_EVENTS:
            saved = await self._invoice(uow, obj, created, paid=kind != "invoice.payment_failed")
            if saved is not None:
                return Applied("applied", premium=saved, community_id=saved.community_id)
        return Applied("ignored")

    async def _save(
        self, uow: UnitOfWork, before: Premium | None, after: Premium, customer: Any
    ) -> PremiumChange:
        """Store the subscription's new state; which plan's perks started or ended."""
        await uow.get(PaymentsRepository).save_premium(after, customer)
        now = self._clock.now()
        old = self._active_plan(before, now)
        new = self._active_plan(after, now)
        same = old is not None and new is not None and old.id == new.id
        return PremiumChange(
            after.community_id,
            after.member_id,
            started=None if same else new,
            ended=None if same else old,
        )

    def _active_plan(self, premium: Premium | None, now: datetime) -> Plan | None:
        if premium is None or not premium.active_at(now):
            return None
        return self._cfg.plan(premium.plan_id or "")

    async def _checkout_completed(
        self, uow: UnitOfWork, session: dict[str, Any]
    ) -> Purchase | None:
        if session.get("mode") != "payment" or session.get("payment_status") != "paid":
            return None  # subscriptions arrive as subscription events; unpaid: wait
        meta = session.get("metadata") or {}
        who = _buyer(meta)
        pack = self._cfg.pack(str(meta.get("pack", "")))
        if who is None or pack is None:
            return None
        member = await uow.get(IdentityRepository).get_member(who[1])
        if member is None or member.community_id != who[0]:
            return None
        purchase = Purchase(
            session_id=str(session["id"]),
            community_id=who[0],
            member_id=who[1],
            pack_id=pack.id,
            credits=pack.credits,
            payment_intent=session.get("payment_intent"),
            amount_cents=int(session.get("amount_total") or pack.price_cents),
        )
        if not await uow.get(PaymentsRepository).add_purchase(purchase, self._clock.now()):
            return None
        await self._points.award(
            uow,
            member,
            pack.credits,
            source="stripe",
            key=f"stripe:{purchase.session_id}",
            reason=pack.name,
            kind=EntryKind.PURCHASED,
        )
        return purchase

    async def _claw_back(
        self, uow: UnitOfWork, kind: str, obj: dict[str, Any]
    ) -> tuple[CommunityId, Clawback] | None:
        repo = uow.get(PaymentsRepository)
        intent = obj.get("payment_intent")
        purchase = await repo.purchase_by_payment_intent(str(intent)) if intent else None
        if purchase is None:
            return None
        if kind == "charge.dispute.created":
            share, key = 1.0, f"dispute:{obj.get('id')}"
        else:
            amount = int(obj.get("amount") or purchase.amount_cents or 1)
            refunded = int(obj.get("amount_refunded") or 0)
            share, key = min(refunded / amount, 1.0), f"refund:{obj.get('id')}:{refunded}"
        ledger = uow.get(LedgerRepository)
        # Lock first: a refund and a dispute of one charge arriving together read
        # what was already taken back one after the other.
        await ledger.lock_balances([purchase.member_id])
        due = int(purchase.credits * share) - await repo.clawed(purchase.session_id)
        if due <= 0:
            return None  # a refund and a dispute of one charge take the credits once
        taken = min(due, await ledger.balance(purchase.member_id))
        debt = due - taken
        now = self._clock.now()
        if not await repo.add_clawback(
            purchase.session_id, purchase.member_id, taken, debt, key, now
        ):
            return None
        member = await uow.get(IdentityRepository).get_member(purchase.member_id)
        assert member is not None
        if taken:
            await self._points.claw_back(
                uow, member, taken, key=f"stripe:clawback:{purchase.session_id}:{key}"
            )
        return purchase.community_id, Clawback(member.id, taken, debt)

    async def _subscription(
        self, uow: UnitOfWork, sub: dict[str, Any], at: datetime, *, deleted: bool
    ) -> PremiumChange | None:
        repo = uow.get(PaymentsRepository)
        known = await repo.premium(str(sub["id"]))
        who = _buyer(sub.get("metadata") or {})
        if who is None and known is not None:
            who = (known.community_id, known.member_id)
        if who is None:
            return None
        if known is not None and (
            known.status is SubscriptionStatus.CANCELED or known.event_at > at
        ):
            return None  # an older event, or the subscription already ended: keep what we have
        status = SubscriptionStatus.CANCELED if deleted else _status(sub.get("status"))
        items = ((sub.get("items") or {}).get("data") or [{}])[0]
        # `price` since API 2018-02; older versions (and localstripe) name it `plan`, same id
        price = items.get("price") or items.get("plan") or {}
        plan = self._cfg.plan_for_price(price.get("id"))
        premium = Premium(
            subscription_id=str(sub["id"]),
            community_id=who[0],
            member_id=who[1],
            plan_id=plan.id if plan else (known.plan_id if known else None),
            status=status,
            period_end=_at(sub.get("current_period_end") or items.get("current_period_end")),
            event_at=at,
        )
        return await self._save(uow, known, premium, sub.get("customer"))

    async def _invoice(
        self, uow: UnitOfWork, invoice: dict[str, Any], at: datetime, *, paid: bool
    ) -> PremiumChange | None:
        sub_id = _invoice_subscription(invoice)
        repo = uow.get(PaymentsRepository)
        known = await repo.premium(str(sub_id)) if sub_id else None
        if known is None or known.status is SubscriptionStatus.CANCELED or known.event_at > at:
            return None
        lines = (invoice.get("lines") or {}).get("data") or [{}]
        end = _at((lines[0].get("period") or {}).get("end")) or known.period_end
        status = SubscriptionStatus.ACTIVE if paid else SubscriptionStatus.PAST_DUE
        after = Premium(
            known.subscription_id,
            known.community_id,
            known.member_id,
            known.plan_id,
            status,
            end,
            at,
        )
        return await self._save(uow, known, after, invoice.get("customer"))

    async def perks_of(self, uow: UnitOfWork, member_id: MemberId) -> Perks:
        """The perks of the member's active plan (`Perks()` without one): the `PerksReader`."""
        premium = await uow.get(PaymentsRepository).premium_of(member_id)
        plan = self._active_plan(premium, self._clock.now())
        if plan is None:
            return Perks()
        return Perks(
            plan=plan.id,
            point_multiplier=plan.multiplier,
            ai_tokens_multiplier=plan.ai_tokens_multiplier,
            extra_battles_per_day=plan.extra_battles_per_day,
            extra_mentees=plan.extra_mentees,
        )

    async def multiplier(self, uow: UnitOfWork, member_id: MemberId) -> float:
        """The point multiplier of the member's active plan (1.0 without one)."""
        return (await self.perks_of(uow, member_id)).point_multiplier


def _invoice_subscription(invoice: dict[str, Any]) -> str | None:
    """The invoice's subscription: a top-level field before API 2025-03-31, under parent after."""
    found = invoice.get("subscription")
    if isinstance(found, dict):  # expanded
        found = found.get("id")
    if not found:
        details = (invoice.get("parent") or {}).get("subscription_details") or {}
        found = details.get("subscription")
    return str(found) if found else None


def _status(raw: Any) -> SubscriptionStatus:
    try:
        return SubscriptionStatus(str(raw))
    except ValueError:
        return SubscriptionStatus.INCOMPLETE
