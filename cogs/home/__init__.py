"""The home view: a member's dashboard, rendered by Slack's App Home and the web dashboard.

It is a `View`, not a command: a platform asks the runner for it by name
(`runner.view("home", invocation)`) and renders the `Reply` its own way.
"""

from __future__ import annotations

from cogs.home import cards, commands
from cogs.home import messages as _messages
from cogs.kit import Cog, CogContext, Registry, View
from cogs.kit.messages import register

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Register the home view."""
    registry.add(Cog(name="home", views=[View("home", commands.home, cards.welcome)]))
