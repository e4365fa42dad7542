"""What a cog is given at setup: configuration, clock, units of work and services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from domain.checkin import CheckinService
from domain.core.activity import ActivityBus
from domain.core.clock import Clock
from domain.core.config import CommunityConfig
from domain.core.uow import UnitOfWorkFactory
from domain.identity import IdentityService
from domain.points import PointsService

S = TypeVar("S")


@dataclass
class CogContext:
    """Built once by `bot.app`; features share services through it, not through globals.

    A feature that offers a service to others calls `provide(Type, instance)`
    in its setup; a later feature asks `need(Type)`. Features are set up in
    the order listed in `cogs.FEATURES`.
    """

    config: CommunityConfig
    clock: Clock
    uow: UnitOfWorkFactory
    bus: ActivityBus
    identity: IdentityService
    points: PointsService
    checkin: CheckinService
    _services: dict[type, Any] = field(default_factory=dict)

    def provide(self, kind: type[S], service: S) -> None:
        if kind in self._services:
            raise RuntimeError(f"{kind.__name__} provided twice")
        self._services[kind] = service

    def need(self, kind: type[S]) -> S:
        try:
            return self._services[kind]
        except KeyError:
            raise LookupError(
                f"no feature provides {kind.__name__}; check cogs.FEATURES order"
            ) from None

    def maybe(self, kind: type[S]) -> S | None:
        return self._services.get(kind)
