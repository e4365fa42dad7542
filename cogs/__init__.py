"""The command surface, platform-neutral: one package per feature.

`FEATURES` lists the feature packages in set-up order (a feature that needs
another's service comes after it). Each package exposes
`setup(registry, ctx) -> None` and adds its `Cog` to the registry.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from cogs.kit import declared_words, messages
from cogs.kit.context import CogContext
from cogs.kit.registry import Registry

FEATURES: tuple[str, ...] = (
    "checkin",
    "points",
    "progress",
    "proposals",
    "leaderboards",
    "battles",
    "achievements",
    "quests",
    "mentoring",
    "mentor_ai",
    "market",
    "payments",
    "help",
    "notifications",
    "home",
    "dashboard",
    "referrals",
    "events",
    "hackathons",
    "linking",
    "moderation",
    "mydata",
)


def load(registry: Registry, ctx: CogContext, features: tuple[str, ...] = FEATURES) -> Registry:
    """Set up every listed feature into `registry`, then hand their projections to the bus."""
    for name in features:
        module = importlib.import_module(f"cogs.{name}")
        module.setup(registry, ctx)
    for projection in registry.projections:
        ctx.bus.register(projection)
    declared_words.register_declared(registry)  # descriptions are catalogue words too
    path = ctx.config.community.messages
    messages.use_overrides(messages.read_overrides(Path(path)) if path else {})
    declared_words.reword(registry)
    return registry
