"""Ledger values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.core.ids import CommunityId, MemberId


class EntryKind(StrEnum):
    """Why a balance moved; the sign of the amount follows from the kind."""

    EARNED = "earned"
    SPENT = "spent"
    GIFTED = "gifted"
    RECEIVED = "received"
    EXPIRED = "expired"
    ADJUSTED = "adjusted"
    REFUNDED = "refunded"
    # escrow (domain.points.escrow): into a hold, paid out of it, back to the payer
    HELD = "held"
    RELEASED = "released"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class NewEntry:
    """A ledger row about to be appended. `amount` is signed: negative leaves the balance."""

    community_id: CommunityId
    member_id: MemberId
    kind: EntryKind
    source: str
    amount: int
    key: str
    created_at: datetime
    reason: str | None = None
    actor_id: MemberId | None = None
    counterparty_id: MemberId | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A stored ledger row."""

    id: int
    community_id: CommunityId
    member_id: MemberId
    kind: EntryKind
    source: str
    amount: int
    key: str
    created_at: datetime
    reason: str | None
    actor_id: MemberId | None
    counterparty_id: MemberId | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class GiftResult:
    """Balances of both sides right after a gift."""

    amount: int
    giver_balance: int
    receiver_balance: int
