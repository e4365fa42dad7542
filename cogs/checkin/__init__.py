"""/checkin, streak freezes (/streak freeze buy) and /settings timezone."""

from __future__ import annotations

from typing import Any

from cogs.checkin import messages as _messages
from cogs.kit import Call, Cog, CogContext, Command, Registry, Reply, Tone, Visibility
from cogs.kit import messages as words
from cogs.kit import options as opt
from cogs.kit.messages import register
from domain.checkin.rules import known_zones

register(_messages.MESSAGES)

_RESET_WORDS = {"default", "reset", "community"}


def setup(registry: Registry, ctx: CogContext) -> None:
    async def checkin(call: Call) -> Reply:
        result = await ctx.checkin.check_in(call.uow, call.community, call.member)
        streak = (
            words.text("checkin.streak_day", days=result.streak)
            if result.streak > 1
            else words.text("checkin.streak_new")
        )
        text = words.text(
            "checkin.done",
            who=call.mention(call.member),
            streak=streak,
            points=words.count("count.plain_points", result.points),
            balance=result.balance,
        )
        if result.streak == result.longest and result.streak > 1:
            text += words.text("checkin.longest")
        if result.freezes_used:
            text += words.text(
                "checkin.freezes_used",
                freezes=words.count("count.streak_freezes", result.freezes_used),
                days=words.count("count.days", result.freezes_used),
            )
        if result.milestone is not None:
            text += words.text("checkin.milestone", days=result.milestone)
            if result.bonus:
                text += words.text(
                    "checkin.milestone_bonus", bonus=words.count("count.bonus_points", result.bonus)
                )
            if result.freezes_earned:
                text += words.text(
                    "checkin.milestone_freezes",
                    freezes=words.count("count.streak_freezes", result.freezes_earned),
                )
        return Reply(text=text, tone=Tone.SUCCESS)

    async def freeze_buy(call: Call) -> Reply:
        held, balance = await ctx.checkin.buy_freeze(
            call.uow, call.member, key=f"freeze:{call.inv.actor.platform}:{call.inv.key}"
        )
        return Reply(
            text=words.text(
                "checkin.freeze_bought",
                price=ctx.checkin.freeze_price,
                held=words.count("count.freezes", held),
            ),
            tone=Tone.SUCCESS,
            footer=words.text("checkin.balance_footer", balance=balance),
        )

    async def timezone(call: Call) -> Reply:
        wanted: str = call.options["zone"]
        zone = None if wanted.strip().lower() in _RESET_WORDS else wanted
        stored = await ctx.checkin.set_timezone(call.uow, call.member, zone)
        if stored is None:
            community_zone = call.community.timezone
            return Reply(
                text=words.text("settings.timezone_default", zone=community_zone),
                tone=Tone.SUCCESS,
            )
        return Reply(text=words.text("settings.timezone_set", zone=stored), tone=Tone.SUCCESS)

    async def zones(_ctx: Any, prefix: str) -> list[tuple[str, str]]:
        wanted = prefix.strip().lower().replace(" ", "_")
        found = [z for z in known_zones() if wanted in z.lower()]
        return [(z, z) for z in found[:25]]  # Discord shows at most 25 suggestions

    registry.add(
        Cog(
            name="checkin",
            commands=[
                Command(
                    "checkin",
                    "Check in for today: keep your streak and earn points",
                    checkin,
                    examples=("/checkin",),
                ),
                Command(
                    "streak freeze buy",
                    "Buy a streak freeze: it protects your streak for one missed day",
                    freeze_buy,
                    visibility=Visibility.EPHEMERAL,
                    examples=("/streak freeze buy",),
                ),
                Command(
                    "settings timezone",
                    "Set your time zone, so your check-in day starts at your midnight",
                    timezone,
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
            autocompletes={"timezone": zones},
        )
    )
