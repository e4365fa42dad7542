"""Payments: /credits buy and /premium, paid on Stripe; webhooks apply them (bot/payments)."""

from __future__ import annotations

from cogs.kit import Action, Cog, CogContext, Command, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.payments import commands as c
from cogs.payments import messages as _messages
from cogs.payments.projections import DebtProjection
from domain.core.contracts import PerksReader
from domain.payments.debts import DebtSettler
from domain.payments.gateway import PaymentGateway
from domain.payments.service import PaymentsService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the payments service, apply premium multipliers if Stripe is set up, add the cog."""
    cfg = ctx.config.payments
    service = PaymentsService(ctx.clock, cfg, ctx.points)
    ctx.provide(PaymentsService, service)
    ctx.provide(PerksReader, service)
    registry.add_projection(DebtProjection(DebtSettler(ctx.clock, ctx.points)))
    if ctx.maybe(PaymentGateway) is not None:
        # Only with Stripe set up: without it no member can be premium, and every
        # award would pay for a lookup it does not need.
        ctx.points.use_multiplier(service.multiplier)
    eph = Visibility.EPHEMERAL
    packs = tuple(p.id for p in cfg.packs)
    plans = tuple(p.id for p in cfg.plans)
    registry.add(
        Cog(
            name="payments",
            commands=[
                typed.command(
                    "credits buy",
                    "Buy credits with a card",
                    c.buy,
                    visibility=eph,
                    writes=False,
                    options=(opt.choice("pack", "Which pack", packs, required=False),),
                ),
                typed.command(
                    "premium plans",
                    "Premium plans, and subscribe",
                    c.plans,
                    visibility=eph,
                    writes=False,
                    options=(opt.choice("plan", "Subscribe to", plans, required=False),),
                ),
                Command(
                    "premium manage",
                    "Manage your subscription",
                    c.manage,
                    visibility=eph,
                    writes=False,
                ),
            ],
            actions=[
                Action("payments.pack", c.pack_button, writes=False),
                Action("payments.plan", c.plan_button, writes=False),
            ],
        )
    )
