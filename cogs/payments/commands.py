"""Handlers of /credits and /premium: show packs and plans, hand out Stripe-hosted links."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.kit import Button, ButtonStyle, Call, Reply
from cogs.kit.format import bold_points
from cogs.kit.messages import text
from domain.core.errors import InvalidInputError
from domain.payments.config import PaymentsSection
from domain.payments.errors import NoSubscriptionError, PaymentsNotSetUpError, UnknownPackError
from domain.payments.gateway import PaymentGateway
from domain.payments.model import Buyer, CheckoutLink
from domain.payments.repository import PaymentsRepository


def _gateway(call: Call) -> PaymentGateway:
    gateway = call.ctx.maybe(PaymentGateway)
    if gateway is None:
        raise PaymentsNotSetUpError()
    return gateway


def _cfg(call: Call) -> PaymentsSection:
    return call.ctx.config.payments


def _money(cents: int, currency: str) -> str:
    return f"{cents / 100:.2f} {currency.upper()}"


def _link(link: CheckoutLink) -> Reply:
    """The URL in the text too: the console prints it, chat apps also get a link button."""
    return Reply(
        text=text("payments.checkout", url=link.url),
        buttons=(Button(text("payments.open_checkout"), style=ButtonStyle.LINK, url=link.url),),
        ephemeral=True,
    )


async def _pack_checkout(call: Call, pack_id: str) -> Reply:
    gateway = _gateway(call)
    pack = _cfg(call).pack(pack_id)
    if pack is None:
        raise UnknownPackError(id=pack_id)
    link = await gateway.credit_checkout(Buyer(call.community.id, call.member.id), pack)
    return _link(link)


@dataclass(frozen=True, slots=True)
class BuyOptions:
    """Options of /credits buy."""

    pack: str | None


async def buy(call: Call, o: BuyOptions) -> Reply:
    """Handle /credits buy: list the credit packs, or give the checkout link of the one chosen."""
    _gateway(call)
    if o.pack:
        return await _pack_checkout(call, o.pack)
    cfg = _cfg(call)
    lines = [
        text(
            "payments.pack_line",
            name=p.name,
            credits=bold_points(p.credits),
            price=_money(p.price_cents, p.currency),
        )
        for p in cfg.packs
    ]
    buttons = tuple(
        Button(
            text("payments.pack_button", name=p.name, price=_money(p.price_cents, p.currency)),
            f"payments.pack:{p.id}",
            ButtonStyle.PRIMARY,
        )
        for p in cfg.packs
    )
    return Reply(
        title=text("payments.packs_title"),
        text=text("payments.packs_text") + "\n" + "\n".join(lines),
        buttons=buttons[:5],
        ephemeral=True,
    )


async def pack_button(call: Call) -> Reply:
    """Give the Stripe checkout link of the pack whose button was pressed."""
    if not call.args:
        raise InvalidInputError(problem=text("payments.button_out_of_date"))
    return await _pack_checkout(call, call.args[0])


async def _plan_checkout(call: Call, plan_id: str) -> Reply:
    gateway = _gateway(call)
    plan = _cfg(call).plan(plan_id)
    if plan is None:
        raise UnknownPackError(id=plan_id)
    customer = await call.uow.get(PaymentsRepository).customer_of(call.member.id)
    link = await gateway.subscription_checkout(
        Buyer(call.community.id, call.member.id), plan, customer
    )
    return _link(link)


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """Options of /premium plans."""

    plan: str | None


async def plans(call: Call, o: PlanOptions) -> Reply:
    """Handle /premium plans: the caller's premium status and the plans, or a plan's checkout."""
    _gateway(call)
    if o.plan:
        return await _plan_checkout(call, o.plan)
    cfg = _cfg(call)
    premium = await call.uow.get(PaymentsRepository).premium_of(call.member.id)
    if premium is not None and premium.active_at(call.now):
        status = text(
            "payments.status_active",
            plan=premium.plan_id or "?",
            until=premium.period_end or "?",
        )
    else:
        status = text("payments.status_none")
    lines = [
        text(
            "payments.plan_line",
            name=p.name,
            multiplier=p.multiplier,
            role=text("payments.plan_role", role=p.role) if p.role else "",
        )
        for p in cfg.plans
    ]
    return Reply(
        title=text("payments.plans_title"),
        text=status + "\n" + "\n".join(lines),
        buttons=tuple(
            Button(p.name, f"payments.plan:{p.id}", ButtonStyle.PRIMARY) for p in cfg.plans
        )[:5],
        ephemeral=True,
    )


async def plan_button(call: Call) -> Reply:
    """Give the Stripe checkout link to subscribe to the plan whose button was pressed."""
    if not call.args:
        raise InvalidInputError(problem=text("payments.button_out_of_date"))
    return await _plan_checkout(call, call.args[0])


async def manage(call: Call) -> Reply:
    """Handle /premium manage: a link to Stripe's billing portal for the caller's subscription."""
    gateway = _gateway(call)
    customer = await call.uow.get(PaymentsRepository).customer_of(call.member.id)
    if customer is None:
        raise NoSubscriptionError()
    url = await gateway.billing_portal(customer)
    return Reply(
        text=text("payments.portal", url=url),
        buttons=(Button(text("payments.open_portal"), style=ButtonStyle.LINK, url=url),),
        ephemeral=True,
    )
