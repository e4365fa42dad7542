"""Check-in handlers: /checkin, /streak freeze buy, /settings timezone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cogs.kit import Call, Reply, Tone
from cogs.kit import messages as words
from domain.core.localtime import known_zones

_RESET_WORDS = {"default", "reset", "community"}


async def checkin(call: Call) -> Reply:
    """Check in for today: streak, points, milestones and freezes used or earned."""
    result = await call.ctx.checkin.check_in(call.uow, call.community, call.member)
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
    """Buy one streak freeze with points."""
    held, balance = await call.ctx.checkin.buy_freeze(
        call.uow, call.member, key=f"freeze:{call.inv.actor.platform}:{call.inv.key}"
    )
    return Reply(
        text=words.text(
            "checkin.freeze_bought",
            price=call.ctx.checkin.freeze_price,
            held=words.count("count.freezes", held),
        ),
        tone=Tone.SUCCESS,
        footer=words.text("checkin.balance_footer", balance=balance),
    )


@dataclass(frozen=True, slots=True)
class TimezoneOptions:
    """Options of /settings timezone."""

    zone: str


async def timezone(call: Call, o: TimezoneOptions) -> Reply:
    """Set the caller's zone, or go back to the community's."""
    wanted = o.zone
    zone = None if wanted.strip().lower() in _RESET_WORDS else wanted
    stored = await call.ctx.checkin.set_timezone(call.uow, call.member, zone)
    if stored is None:
        community_zone = call.community.timezone
        return Reply(
            text=words.text("settings.timezone_default", zone=community_zone),
            tone=Tone.SUCCESS,
        )
    return Reply(text=words.text("settings.timezone_set", zone=stored), tone=Tone.SUCCESS)


async def zones(_source: Any, prefix: str) -> list[tuple[str, str]]:
    """Suggest IANA zones containing what was typed."""
    wanted = prefix.strip().lower().replace(" ", "_")
    found = [z for z in known_zones() if wanted in z.lower()]
    return [(z, z) for z in found[:25]]  # Discord shows at most 25 suggestions
