"""/points: balances and gifts on the community ledger."""

from __future__ import annotations

from cogs.kit import Call, Cog, CogContext, Command, Registry, Reply, Tone, Visibility
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.points import messages as _messages
from domain.identity import Member

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    async def balance(call: Call) -> Reply:
        who: Member = call.options["member"] or call.member
        points = await ctx.points.balance(call.uow, who.id)
        if who.id == call.member.id:
            return Reply(text=f"You have **{points}** points.")
        return Reply(text=f"{call.mention(who)} has **{points}** points.")

    async def give(call: Call) -> Reply:
        receiver: Member = call.options["member"]
        amount: int = call.options["amount"]
        reason: str | None = call.options["reason"]
        result = await ctx.points.give(
            call.uow,
            call.member,
            receiver,
            amount,
            key=f"gift:{call.inv.actor.platform}:{call.inv.key}",
            reason=reason,
        )
        text = f"{call.mention(call.member)} gave {call.mention(receiver)} **{amount}** points"
        text += f" — “{reason}”" if reason else "."
        return Reply(
            text=text,
            tone=Tone.SUCCESS,
            footer=f"Your balance: {result.giver_balance}",
            ping=True,
        )

    registry.add(
        Cog(
            name="points",
            commands=[
                Command(
                    "points balance",
                    "Show your points, or another member's",
                    balance,
                    options=(opt.member("member", "Whose balance to show", required=False),),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/points balance", "/points balance @ana"),
                ),
                Command(
                    "points give",
                    "Give some of your points to another member",
                    give,
                    options=(
                        opt.member("member", "Who receives the points"),
                        opt.integer(
                            "amount",
                            "How many points",
                            min_value=1,
                            max_value=ctx.config.points.max_gift,
                        ),
                        opt.string("reason", "What for", required=False, max_length=200, rest=True),
                    ),
                    examples=("/points give @ana 5 thanks for the review",),
                ),
            ],
        )
    )
