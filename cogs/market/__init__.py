"""The marketplace: /market sell, browse, buy, and the order's steps up to a rating."""

from __future__ import annotations

from cogs.kit import CogContext, Registry
from cogs.kit.messages import register
from cogs.market import declarations, jobs
from cogs.market import messages as _messages
from domain.market import Catalog, MarketService
from domain.points.escrow import EscrowService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Build the catalogue and the market service, provide both, and register the /market cog."""
    cfg = ctx.config.market
    catalog = Catalog(ctx.clock, cfg)
    service = MarketService(ctx.clock, cfg, EscrowService(ctx.clock), catalog)
    ctx.provide(Catalog, catalog)
    ctx.provide(MarketService, service)
    registry.add(declarations.cog(cfg, jobs.deadlines(ctx.uow, service, cfg)))
