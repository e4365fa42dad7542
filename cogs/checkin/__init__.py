"""/checkin: the daily check-in that keeps a streak."""

from __future__ import annotations

from cogs.checkin import messages as _messages
from cogs.kit import Call, Cog, CogContext, Command, Registry, Reply, Tone
from cogs.kit.format import plural
from cogs.kit.messages import register

register(_messages.MESSAGES)


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
        return Reply(text=text, tone=Tone.SUCCESS)

    registry.add(
        Cog(
            name="checkin",
            commands=[
                Command(
                    "checkin",
                    "Check in for today: keep your streak and earn points",
                    checkin,
                    examples=("/checkin",),
                )
            ],
        )
    )
