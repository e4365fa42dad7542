"""Reading handlers: /battle show, /battles and /battle stats (they change nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogs.battles import cards, record
from cogs.battles.announce import names_of
from cogs.battles.commands import IdOptions, battle_id
from cogs.kit import Call, Reply
from domain.battles import LIVE, Battle, Status
from domain.battles.repository import battles
from domain.battles.service import BattleService
from domain.identity.model import Member

ListWord = Literal["open", "mine", "past"]
LISTS: tuple[ListWord, ...] = ("open", "mine", "past")
_FINAL = (Status.FINISHED, Status.CANCELLED, Status.DECLINED, Status.EXPIRED)


async def show(call: Call, o: IdOptions) -> Reply:
    """Show a battle's card with its entries and the caller's own vote (/battle show)."""
    battle = await call.ctx.need(BattleService).get(call.uow, call.community.id, battle_id(o.id))
    repo = battles(call.uow)
    entries = await repo.entries(battle.id)
    mine = await repo.vote_of(battle.id, call.member.id)
    names = await names_of(call.uow, battle)
    cfg = call.ctx.config.battles
    return cards.details(battle, names, cfg, entries, mine, call.member.id)


@dataclass(frozen=True, slots=True)
class ListOptions:
    """Options of /battles."""

    which: ListWord | None


async def listing(call: Call, o: ListOptions) -> Reply:
    """List challenges the caller may accept, their live battles, or past ones (/battles)."""
    which = o.which or "open"
    size = call.ctx.config.battles.page_size
    repo = battles(call.uow)
    found: list[Battle]
    if which == "open":
        pending = await repo.listing(call.community.id, [Status.PENDING], None, size * 3)
        found = [b for b in pending if b.is_open or b.opponent_id == call.member.id][:size]
    elif which == "mine":
        found = await repo.listing(call.community.id, LIVE, call.member.id, size)
    else:
        found = await repo.listing(call.community.id, _FINAL, None, size)
    names = await repo.names(sorted({m for b in found for m in b.fighters()}))
    return cards.listing(found, names, which)


@dataclass(frozen=True, slots=True)
class StatsOptions:
    """Options of /battle stats."""

    member: Member | None


async def stats(call: Call, o: StatsOptions) -> Reply:
    """Show a member's battle rating and record, the caller's by default (/battle stats)."""
    who = o.member or call.member
    rating = await battles(call.uow).rating_of(who.id)
    return record.stats(who.display_name, rating, call.ctx.config.battles)
