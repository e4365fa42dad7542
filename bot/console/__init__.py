"""The console adapter: the same cogs, rendered as text in a terminal."""

from bot.console.adapter import ConsoleAdapter

__all__ = ["ConsoleAdapter"]
