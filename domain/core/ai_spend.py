"""AI spend: every call's tokens on record, and the caps checked before the next call.

Shared by every feature that calls the model (`purpose` tells them apart:
"mentor", "battle_judge"). A call is recorded with the usage the API
reported and its cost from the price table in `[ai]`; a cap is checked
before calling, so past a cap no call is made at all.

Many calls at once (twenty members pressing /ask together) could each see the
cap unused and all go ahead. `reserve_spend` prevents that: under a per-community
lock it checks the caps *counting every reservation not yet settled* and
records its own reservation in the same short transaction, so the caps hold
however many calls run in parallel; `settle_spend` replaces the estimate with
the usage the API reported, `release_spend` drops it when no answer came.
A reservation carries the request's idempotency key (unique), so a retried or
double-submitted request finds the first one instead of paying twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import Field

from domain.core.ai import AiError, TokenUsage
from domain.core.config_base import Section
from domain.core.ids import CommunityId, MemberId


class ModelPrice(Section):
    """What one million tokens cost, in the community's budget currency."""

    prompt_per_million: float = Field(0.0, ge=0)
    completion_per_million: float = Field(0.0, ge=0)


def _default_prices() -> dict[str, ModelPrice]:
    return {
        "gpt-4o-mini": ModelPrice(prompt_per_million=0.15, completion_per_million=0.60),
        "gpt-4o": ModelPrice(prompt_per_million=2.50, completion_per_million=10.00),
    }


class AiSection(Section):
    """`[ai]`: the community's monthly budget for every AI feature together."""

    community_monthly_tokens: int = Field(
        2_000_000, ge=0, description="tokens a month for all AI features; 0 = no limit"
    )
    community_monthly_budget: float = Field(
        0.0, ge=0, description="spend a month in `currency` (from `prices`); 0 = no limit"
    )
    currency: str = Field("USD", min_length=1, max_length=8)
    prices: dict[str, ModelPrice] = Field(default_factory=_default_prices)

    def cost_micros(self, model: str, usage: TokenUsage) -> int:
        """The cost of `usage` on `model` in millionths of the currency (0 if unpriced)."""
        price = self.prices.get(model) or _price_by_prefix(self.prices, model)
        if price is None:
            return 0
        return round(
            usage.prompt_tokens * price.prompt_per_million
            + usage.completion_tokens * price.completion_per_million
        )


def _price_by_prefix(prices: dict[str, ModelPrice], model: str) -> ModelPrice | None:
    # The API answers with a dated name ("gpt-4o-mini-2024-07-18"); price the longest prefix.
    matches = [name for name in prices if model.startswith(name)]
    return prices[max(matches, key=len)] if matches else None


@dataclass(frozen=True, slots=True)
class AiCall:
    """One call to the model, as stored: who, what for, which prompt, what it used."""

    community_id: CommunityId
    member_id: MemberId | None
    purpose: str
    model: str
    prompt_version: str
    usage: TokenUsage
    cost_micros: int
    at: datetime
    ok: bool = True


@dataclass(frozen=True, slots=True)
class SpendTotals:
    """Calls, tokens and cost (millionths of the currency) over a period."""

    calls: int = 0
    tokens: int = 0
    cost_micros: int = 0


@dataclass(frozen=True, slots=True)
class DailySpend:
    """What one local day cost."""

    day: date
    totals: SpendTotals


@dataclass(frozen=True, slots=True)
class MemberSpend:
    """What one member cost over a period."""

    member_id: MemberId
    totals: SpendTotals


@dataclass(frozen=True, slots=True)
class Reservation:
    """A call's place in the budget: `id` of its record, `state` "reserved" or "settled".

    `duplicate` is True when the request key was reserved before (by a retry
    of the same request or a double submission): nothing more was held.
    """

    id: int
    state: str
    duplicate: bool = False


class AiCallRepository(Protocol):
    """Where AI calls are recorded (`storage/ai.py`)."""

    async def add(self, call: AiCall) -> None: ...

    async def lock_budget(self, community_id: CommunityId) -> None:
        """Serialize reservations of one community until the transaction ends."""
        ...

    async def reservation(
        self, community_id: CommunityId, purpose: str, request_key: str
    ) -> Reservation | None:
        """The call recorded for this request key, if any."""
        ...

    async def reserve(self, call: AiCall, request_key: str | None) -> int:
        """Record `call` as reserved (its usage an estimate); return its id."""
        ...

    async def settle(self, reservation_id: int, call: AiCall) -> bool:
        """Replace a reservation's estimate with the reported usage; False if not reserved."""
        ...

    async def release(self, reservation_id: int) -> None:
        """Drop a reservation that never got an answer (a retry may reserve again)."""
        ...

    async def totals(
        self,
        community_id: CommunityId,
        since: datetime,
        *,
        member_id: MemberId | None = None,
        purpose: str | None = None,
    ) -> SpendTotals: ...

    async def daily(
        self, community_id: CommunityId, since: datetime, tz: ZoneInfo
    ) -> list[DailySpend]: ...

    async def top_members(
        self, community_id: CommunityId, since: datetime, limit: int
    ) -> list[MemberSpend]: ...


class SpendCapReached(AiError):
    """A cap is used up: `scope` says whose, `resets_at` when it frees up again."""

    def __init__(self, scope: Literal["member", "community"], resets_at: datetime) -> None:
        super().__init__(f"{scope} AI cap reached until {resets_at.isoformat()}")
        self.scope = scope
        self.resets_at = resets_at


def day_start(now: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight today in `tz`, as an aware instant."""
    return datetime.combine(now.astimezone(tz).date(), time(), tzinfo=tz)


def month_start(now: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight on the first of this month in `tz`."""
    local = now.astimezone(tz).date()
    return datetime.combine(local.replace(day=1), time(), tzinfo=tz)


def next_month_start(now: datetime, tz: ZoneInfo) -> datetime:
    """Return the start of the month after the one `now` falls in, in `tz`."""
    first = month_start(now, tz).date()
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(following, time(), tzinfo=tz)


async def check_spend(
    repo: AiCallRepository,
    section: AiSection,
    *,
    community_id: CommunityId,
    member_id: MemberId | None,
    purpose: str,
    member_daily_tokens: int,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Refuse before calling when the member's daily or the community's monthly cap is used.

    `member_daily_tokens` is the feature's own per-member cap for `purpose`
    (0 = none); the community caps in `[ai]` count every purpose together.

    Raises:
        SpendCapReached: with the scope and the local instant the cap resets.
    """
    if member_id is not None and member_daily_tokens > 0:
        used = await repo.totals(
            community_id, day_start(now, tz), member_id=member_id, purpose=purpose
        )
        if used.tokens >= member_daily_tokens:
            raise SpendCapReached("member", day_start(now, tz) + timedelta(days=1))
    if section.community_monthly_tokens or section.community_monthly_budget:
        month = await repo.totals(community_id, month_start(now, tz))
        over_tokens = 0 < section.community_monthly_tokens <= month.tokens
        budget_micros = round(section.community_monthly_budget * 1_000_000)
        over_budget = 0 < budget_micros <= month.cost_micros
        if over_tokens or over_budget:
            raise SpendCapReached("community", next_month_start(now, tz))


async def record_call(
    repo: AiCallRepository,
    section: AiSection,
    *,
    community_id: CommunityId,
    member_id: MemberId | None,
    purpose: str,
    model: str,
    prompt_version: str,
    usage: TokenUsage,
    at: datetime,
    ok: bool = True,
) -> AiCall:
    """Store one call's usage and cost (priced from `[ai].prices`); returns the record."""
    call = AiCall(
        community_id=community_id,
        member_id=member_id,
        purpose=purpose,
        model=model,
        prompt_version=prompt_version,
        usage=usage,
        cost_micros=section.cost_micros(model, usage),
        at=at,
        ok=ok,
    )
    await repo.add(call)
    return call


@dataclass(frozen=True, slots=True)
class SpendRequest:
    """Who wants to call the model, for what, and how much to hold while it answers."""

    community_id: CommunityId
    member_id: MemberId | None
    purpose: str
    member_daily_tokens: int  # the feature's own per-member cap; 0 = none
    estimate_tokens: int  # held until the call settles
    request_key: str | None = None  # the platform's idempotency key


def held_tokens(section: AiSection, request: SpendRequest) -> int:
    """The tokens a reservation holds: the estimate, never more than a whole cap.

    A cap smaller than the estimate still allows one call (which then uses the
    cap up), instead of refusing every call forever.
    """
    caps = [c for c in (request.member_daily_tokens, section.community_monthly_tokens) if c > 0]
    return min([request.estimate_tokens, *caps])


async def reserve_spend(
    repo: AiCallRepository,
    section: AiSection,
    request: SpendRequest,
    *,
    model: str,
    now: datetime,
    tz: ZoneInfo,
) -> Reservation:
    """Hold tokens for one call if every cap allows it, counting unsettled reservations.

    Run it in its own short write transaction and commit at once: the lock
    (a row lock on PostgreSQL, the single writer on SQLite) is held until then.
    With a request key already reserved or settled, that reservation is
    returned instead (state tells which) and nothing more is held.

    Raises:
        SpendCapReached: with the scope and the local instant the cap resets.
    """
    await repo.lock_budget(request.community_id)
    if request.request_key:
        found = await repo.reservation(request.community_id, request.purpose, request.request_key)
        if found is not None:
            return replace(found, duplicate=True)
    held = held_tokens(section, request)
    if request.member_id is not None and request.member_daily_tokens > 0:
        used = await repo.totals(
            request.community_id,
            day_start(now, tz),
            member_id=request.member_id,
            purpose=request.purpose,
        )
        if used.tokens + held > request.member_daily_tokens:
            raise SpendCapReached("member", day_start(now, tz) + timedelta(days=1))
    cost = _held_cost(section, model, held)
    if section.community_monthly_tokens or section.community_monthly_budget:
        month = await repo.totals(request.community_id, month_start(now, tz))
        over_tokens = 0 < section.community_monthly_tokens < month.tokens + held
        budget_micros = round(section.community_monthly_budget * 1_000_000)
        over_budget = 0 < budget_micros < month.cost_micros + min(cost, budget_micros)
        if over_tokens or over_budget:
            raise SpendCapReached("community", next_month_start(now, tz))
    estimate = AiCall(
        community_id=request.community_id,
        member_id=request.member_id,
        purpose=request.purpose,
        model=model,
        prompt_version="",
        usage=TokenUsage(held, 0),
        cost_micros=cost,
        at=now,
        ok=False,
    )
    return Reservation(await repo.reserve(estimate, request.request_key), "reserved")


def _held_cost(section: AiSection, model: str, tokens: int) -> int:
    """The dearest price for `tokens` (completion tokens usually cost more)."""
    return max(
        section.cost_micros(model, TokenUsage(tokens, 0)),
        section.cost_micros(model, TokenUsage(0, tokens)),
    )


async def settle_spend(
    repo: AiCallRepository,
    section: AiSection,
    reservation: Reservation,
    request: SpendRequest,
    *,
    model: str,
    prompt_version: str,
    usage: TokenUsage,
    at: datetime,
) -> bool:
    """Record what the call really used in place of its reservation (once).

    Returns False when the reservation was already settled (a duplicate).
    """
    call = AiCall(
        community_id=request.community_id,
        member_id=request.member_id,
        purpose=request.purpose,
        model=model,
        prompt_version=prompt_version,
        usage=usage,
        cost_micros=section.cost_micros(model, usage),
        at=at,
    )
    return await repo.settle(reservation.id, call)
