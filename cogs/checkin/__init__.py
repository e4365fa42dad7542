"""/checkin, streak freezes (/streak freeze buy) and /settings timezone."""

from __future__ import annotations

from cogs.checkin import commands
from cogs.checkin import messages as _messages
from cogs.kit import Cog, CogContext, Command, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Register the check-in cog (its service is built by the composer)."""
    registry.add(cog())


def cog() -> Cog:
    """Declare /checkin, /streak freeze buy and /settings timezone."""
    return Cog(
        name="checkin",
        commands=[
            Command(
                "checkin",
                "Check in for today: keep your streak and earn points",
                commands.checkin,
                examples=("/checkin",),
            ),
            Command(
                "streak freeze buy",
                "Buy a streak freeze: it protects your streak for one missed day",
                commands.freeze_buy,
                visibility=Visibility.EPHEMERAL,
                examples=("/streak freeze buy",),
            ),
            typed.command(
                "settings timezone",
                "Set your time zone, so your check-in day starts at your midnight",
                commands.timezone,
                options=(
                    opt.string(
                        "zone",
                        "An IANA zone like Europe/Berlin, or 'default' for the community's",
                        max_length=64,
                        autocomplete="timezone",
                    ),
                ),
                visibility=Visibility.EPHEMERAL,
                examples=("/settings timezone Europe/Berlin", "/settings timezone default"),
            ),
        ],
        autocompletes={"timezone": commands.zones},
    )
