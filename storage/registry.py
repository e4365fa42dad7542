"""Which storage class implements which domain repository interface.

A feature's storage module decorates its repository with
`@implements(SomeRepository)`; `load()` imports every module under `storage`
so models and repositories register themselves, and a new feature needs no
edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId

T = TypeVar("T")
RepositoryFactory = Callable[[AsyncConnection], Any]

_IMPLEMENTATIONS: dict[type, RepositoryFactory] = {}
EnrolHook = Callable[[AsyncConnection, CommunityId, MemberId], Awaitable[None]]
_ENROL_HOOKS: list[EnrolHook] = []
_SKIP = {"storage.migrations"}


def implements(interface: type) -> Callable[[type[T]], type[T]]:
    """Register the decorated class as the storage for `interface`."""

    def register(cls: type[T]) -> type[T]:
        existing = _IMPLEMENTATIONS.get(interface)
        if existing is not None and existing is not cls:
            raise RuntimeError(f"{interface.__name__} already implemented by {existing}")
        _IMPLEMENTATIONS[interface] = cls
        return cls

    return register


def on_enrol(hook: EnrolHook) -> EnrolHook:
    """Run `hook` in the transaction that enrols a member (a feature's per-member rows).

    A feature whose hot path updates a per-member row in place (the balance,
    the streak) creates that row here, so the identity storage does not need
    to know about any feature.
    """
    _ENROL_HOOKS.append(hook)
    return hook


async def enrolled(conn: AsyncConnection, community_id: CommunityId, member_id: MemberId) -> None:
    """Run every feature's enrolment hook for a member just created."""
    for hook in _ENROL_HOOKS:
        await hook(conn, community_id, member_id)


def load() -> dict[type, RepositoryFactory]:
    """Import every storage module once and return the interface → class map."""
    import storage

    for info in pkgutil.walk_packages(storage.__path__, "storage."):
        if any(info.name == s or info.name.startswith(s + ".") for s in _SKIP):
            continue
        importlib.import_module(info.name)
    return dict(_IMPLEMENTATIONS)
