"""/checkin, streak freezes (/streak freeze buy) and /settings timezone."""

from __future__ import annotations

from typing import Any

from cogs.checkin import messages as _messages
from cogs.kit import Call, Cog, CogContext, Command, Registry, Reply, Tone, Visibility
from cogs.kit import options as opt
from cogs.kit.format import plural
from cogs.kit.messages import register
from domain.checkin.rules import known_zones

register(_messages.MESSAGES)

_RESET_WORDS = {"default", "reset", "community"}


def setup(registry: Registry, ctx: CogContext) -> None:
    async def checkin(call: Call) -> Reply:
        result = await ctx.checkin.check_in(call.uow, call.community, call.member)
        streak = (
            f"day **{result.streak}** of your streak 🔥"
            if result.streak > 1
            else "day **1** of a new streak"
        )
        text = (
            f"{call.mention(call.member)} checked in — {streak}. "
            f"+{plural(result.points, 'point')} (balance **{result.balance}**)."
        )
        if result.streak == result.longest and result.streak > 1:
            text += " That's your longest streak yet!"
        if result.freezes_used:
            text += (
                f"\n🧊 {plural(result.freezes_used, 'streak freeze')} covered the missed"
                f" {plural(result.freezes_used, 'day')} — your streak lives on."
            )
        if result.milestone is not None:
            text += f"\n🏅 **{result.milestone}-day streak!**"
            if result.bonus:
                text += f" +{plural(result.bonus, 'bonus point')}."
            if result.freezes_earned:
                text += f" You earned {plural(result.freezes_earned, 'streak freeze')}."
        return Reply(text=text, tone=Tone.SUCCESS)

    async def freeze_buy(call: Call) -> Reply:
        held, balance = await ctx.checkin.buy_freeze(
            call.uow, call.member, key=f"freeze:{call.inv.actor.platform}:{call.inv.key}"
        )
        return Reply(
            text=f"🧊 You bought a streak freeze for **{ctx.checkin.freeze_price}** points."
            f" You hold {plural(held, 'freeze')}; one is used automatically for each day you"
            " miss.",
            tone=Tone.SUCCESS,
            footer=f"Your balance: {balance}",
        )

    async def timezone(call: Call) -> Reply:
        wanted: str = call.options["zone"]
        zone = None if wanted.strip().lower() in _RESET_WORDS else wanted
        stored = await ctx.checkin.set_timezone(call.uow, call.member, zone)
        if stored is None:
            community_zone = call.community.timezone
            return Reply(
                text=f"Your day now follows the community's time zone (**{community_zone}**).",
                tone=Tone.SUCCESS,
            )
        return Reply(
            text=f"Your time zone is now **{stored}**: your check-in day starts at midnight there.",
            tone=Tone.SUCCESS,
        )

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
