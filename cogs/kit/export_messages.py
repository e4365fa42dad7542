"""Print every feature's words as an override file: `python -m cogs.kit.export_messages`."""

from __future__ import annotations

import importlib

import cogs
from cogs.kit import messages


def export() -> str:
    """Return the whole catalogue (every feature's words) as TOML."""
    for name in cogs.FEATURES:  # each feature registers its words on import
        importlib.import_module(f"cogs.{name}")
    return messages.to_toml(messages.catalogue())


if __name__ == "__main__":
    print(export(), end="")
