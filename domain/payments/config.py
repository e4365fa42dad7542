"""The `[payments]` section of config.toml: credit packs and premium plans sold through Stripe."""

from __future__ import annotations

from pydantic import Field

from domain.core.config_base import Section


class Pack(Section):
    """Credits for money: a price in cents, or a Stripe Price id that carries it."""

    id: str = Field(min_length=1, max_length=24, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=40)
    credits: int = Field(ge=1, le=10_000_000)
    price_cents: int = Field(0, ge=0)
    currency: str = Field("usd", min_length=3, max_length=3)
    stripe_price: str | None = None


class Plan(Section):
    """A premium subscription: a Stripe Price id and the perks it brings."""

    id: str = Field(min_length=1, max_length=24, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=40)
    stripe_price: str = Field(min_length=1)
    multiplier: float = Field(1.0, ge=1, le=10, description="applied to earned points")
    role: str | None = Field(None, description="Discord role granted while active")
    ai_tokens_multiplier: float = Field(1.0, ge=1, le=100, description="AI mentor daily tokens")
    extra_battles_per_day: int = Field(0, ge=0, le=100)
    extra_mentees: int = Field(0, ge=0, le=100)


class PaymentsSection(Section):
    """The payments settings: credit packs, premium plans, Stripe return URLs, webhook age."""

    packs: tuple[Pack, ...] = (
        Pack(id="small", name="500 credits", credits=500, price_cents=500),
        Pack(id="large", name="2,000 credits", credits=2000, price_cents=1500),
    )
    plans: tuple[Plan, ...] = (
        Plan(
            id="pro",
            name="Pro",
            stripe_price="price_pro",
            multiplier=1.5,
            role="Pro",
            ai_tokens_multiplier=2.0,
            extra_battles_per_day=2,
            extra_mentees=1,
        ),
        Plan(
            id="elite",
            name="Elite",
            stripe_price="price_elite",
            multiplier=2.0,
            role="Elite",
            ai_tokens_multiplier=4.0,
            extra_battles_per_day=5,
            extra_mentees=3,
        ),
    )
    success_url: str = "https://example.com/guildhall/paid"
    cancel_url: str = "https://example.com/guildhall/cancelled"
    webhook_tolerance_seconds: int = Field(300, ge=1, le=3600, description="stale signature")

    def pack(self, pack_id: str) -> Pack | None:
        return next((p for p in self.packs if p.id == pack_id), None)

    def plan(self, plan_id: str) -> Plan | None:
        return next((p for p in self.plans if p.id == plan_id), None)

    def plan_for_price(self, price_id: str | None) -> Plan | None:
        return next((p for p in self.plans if p.stripe_price == price_id), None)
