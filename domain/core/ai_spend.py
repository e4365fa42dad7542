"""AI spend: every call's tokens on record, and the caps checked before the next call.

Shared by every feature that calls the model (`purpose` tells them apart:
"mentor", "battle_judge"). A call is recorded with the usage the API
reported and its cost from the price table in `[ai]`; a cap is checked
before calling, so past a cap no call is made at all.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    calls: int = 0
    tokens: int = 0
    cost_micros: int = 0


@dataclass(frozen=True, slots=True)
class DailySpend:
    day: date
    totals: SpendTotals


@dataclass(frozen=True, slots=True)
class MemberSpend:
    member_id: MemberId
    totals: SpendTotals


class AiCallRepository(Protocol):
    """Where AI calls are recorded (`storage/ai.py`)."""

    async def add(self, call: AiCall) -> None: ...

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
