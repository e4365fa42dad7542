"""Payments values: what a webhook event means to us, in plain fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId


@dataclass(frozen=True, slots=True)
class CheckoutLink:
    """A Stripe-hosted page the member opens to pay."""

    id: str
    url: str


@dataclass(frozen=True, slots=True)
class Buyer:
    """Who pays: the metadata we put on every checkout session."""

    community_id: CommunityId
    member_id: MemberId


class SubscriptionStatus(StrEnum):
    """A Stripe subscription's status; only active and trialing grant the perks."""

    ACTIVE = "active"
    TRIALING = "trialing"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    UNPAID = "unpaid"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    PAUSED = "paused"

    @property
    def grants_perks(self) -> bool:
        return self in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING)


@dataclass(frozen=True, slots=True)
class Premium:
    """A member's subscription as we last saw it."""

    subscription_id: str
    community_id: CommunityId
    member_id: MemberId
    plan_id: str | None
    status: SubscriptionStatus
    period_end: datetime | None
    event_at: datetime

    def active_at(self, now: datetime) -> bool:
        return self.status.grants_perks and (self.period_end is None or self.period_end > now)


@dataclass(frozen=True, slots=True)
class Purchase:
    """A paid credit pack: the ledger credit's key is the session id."""

    session_id: str
    community_id: CommunityId
    member_id: MemberId
    pack_id: str
    credits: int
    payment_intent: str | None
    amount_cents: int


@dataclass(frozen=True, slots=True)
class Clawback:
    """What a refund or dispute took back, and what the member still owes."""

    member_id: MemberId
    taken: int
    debt: int
