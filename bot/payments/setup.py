"""What the composer asks for: the Stripe gateway and the webhook route, from settings."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.web import Route
from domain.core.config import CommunityConfig
from domain.payments.service import PaymentsService

if TYPE_CHECKING:
    from bot.app import App
    from bot.payments.gateway import StripeGateway
    from bot.settings import Settings


def gateway_from(settings: Settings, config: CommunityConfig) -> StripeGateway | None:
    """A Stripe gateway when STRIPE_API_KEY is set; None means "payments are not set up"."""
    if settings.stripe_api_key is None:
        return None
    from bot.payments.gateway import StripeGateway

    key = settings.stripe_api_key.get_secret_value()
    return StripeGateway(key, settings.stripe_api_base, config.payments)


def webhook_for(app: App, settings: Settings) -> list[Route]:
    """POST /stripe/webhook, verified with STRIPE_WEBHOOK_SECRET."""
    from bot.payments.webhook import webhook_routes

    assert settings.stripe_webhook_secret is not None
    return webhook_routes(
        settings.stripe_webhook_secret.get_secret_value(),
        app.uow,
        app.ctx.need(PaymentsService),
        app.clock,
        timedelta(seconds=app.config.payments.webhook_tolerance_seconds),
    )
