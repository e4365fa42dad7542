"""Battle handlers: parse, call `BattleService`, build a Reply with `cards`, queue posts.

Handlers are module-level functions of a `Call`; the service comes from the
context (`call.ctx.need(BattleService)`), so they can be imported and tested
without the registry.
"""

from __future__ import annotations

from typing import Any

from cogs.battles import cards
from cogs.kit import Call, Command, Permission, Reply, Tone, Visibility
from cogs.kit import options as opt
from cogs.kit.messages import text
from domain.battles import (
    LIVE,
    Battle,
    BattleId,
    BattlesSection,
    Judge,
    Side,
    Status,
)
from domain.battles.errors import BattleNotFoundError
from domain.battles.repository import battles
from domain.battles.service import BattleService
from domain.core.announcements import Announcement, Target
from domain.core.errors import InvalidInputError
from domain.core.ids import MAX_ID
from domain.core.uow import UnitOfWork
from domain.identity.model import Member

LISTS = ("open", "mine", "past")
SIDES = ("a", "b")
JUDGES = tuple(j.value for j in Judge)


def battle_id(raw: Any) -> BattleId:
    """A battle number from "12" or "#12"."""
    word = str(raw).strip().lstrip("#")
    if not (word.isascii() and word.isdigit()) or len(word) > 12:
        raise InvalidInputError(problem=f"“{str(raw)[:20]}” is not a battle number")
    if int(word) > MAX_ID:  # no row has it; PostgreSQL would refuse it as an argument
        raise BattleNotFoundError(id=int(word))
    return BattleId(int(word))


def _service(call: Call) -> BattleService:
    return call.ctx.need(BattleService)


async def names_of(uow: UnitOfWork, battle: Battle) -> cards.Names:
    """Look up the display names of the battle's fighters, for its cards."""
    return await battles(uow).names(battle.fighters())


def post(uow: UnitOfWork, battle: Battle, kind: str, reply: Reply, **where: Any) -> None:
    """Queue a message for the community (or a DM) in the outbox, once per battle and kind."""
    uow.announce(
        Announcement(
            community_id=battle.community_id,
            kind=f"battle.{kind}",
            dedupe_key=f"battle:{battle.id}:{kind}",
            payload=reply.to_dict(),
            target=where.pop("target", Target.CHANNEL),
            channel_kind="battles",
            **where,
        )
    )


# -- challenges ----------------------------------------------------------------------


async def _create(call: Call, opponent: Member | None, prompt: str, topic: str | None) -> Reply:
    o = call.options
    judge = Judge(o["judge"]) if o.get("judge") else Judge.VOTE
    battle = await _service(call).challenge(
        call.uow,
        call.community,
        call.member,
        opponent,
        prompt,
        topic=topic,
        stake=o.get("stake") or 0,
        judge=judge,
        minutes=o.get("minutes"),
    )
    names = await names_of(call.uow, battle)
    if opponent is not None:
        post(
            call.uow,
            battle,
            "challenge_dm",
            cards.challenge_dm(battle, names),
            target=Target.DM,
            member_id=opponent.id,
        )
    return cards.challenge(battle, names)


async def challenge(call: Call) -> Reply:
    """Challenge one member to a battle (/battle challenge); they are told by DM."""
    return await _create(call, call.options["opponent"], call.options["prompt"], None)


async def open_challenge(call: Call) -> Reply:
    """Post a challenge that anyone may accept (/battle open)."""
    return await _create(call, None, call.options["prompt"], None)


async def random_challenge(call: Call) -> Reply:
    """Challenge with a prompt picked from the community's pool (/battle random).

    The opponent is optional; without one, the challenge is open to anyone.
    """
    pool = call.ctx.config.battles.prompts
    if not pool:
        raise InvalidInputError(problem="This community has no prompt pool yet")
    pick = _service(call).pick_prompt(pool)
    return await _create(call, call.options.get("opponent"), pick.text, pick.topic)


async def _answer(call: Call, bid: BattleId, accept: bool) -> Reply:
    service = _service(call)
    if accept:
        battle = await service.accept(call.uow, call.community, call.member, bid)
        return cards.accepted(battle, await names_of(call.uow, battle))
    battle = await service.decline(call.uow, call.community, call.member, bid)
    if battle.challenger_id == call.member.id:
        return Reply(text=text("battles.withdrawn", id=battle.id), tone=Tone.WARNING)
    post(
        call.uow,
        battle,
        "declined_dm",
        cards.fell_through(battle),
        target=Target.DM,
        member_id=battle.challenger_id,
    )
    return cards.fell_through(battle)


async def accept(call: Call) -> Reply:
    """Accept a challenge (/battle accept), which starts the window for entries."""
    return await _answer(call, battle_id(call.options["id"]), True)


async def decline(call: Call) -> Reply:
    """Decline a challenge, or withdraw one's own (/battle decline).

    The challenger is told by DM when the opponent declines.
    """
    return await _answer(call, battle_id(call.options["id"]), False)


async def accept_button(call: Call) -> Reply:
    """Accept from the challenge card's button; the reply is shown to the channel."""
    return (await _answer(call, _arg_id(call), True)).with_(ephemeral=False)


async def decline_button(call: Call) -> Reply:
    """Decline from the challenge card's button, as /battle decline does."""
    return await _answer(call, _arg_id(call), False)


def _arg_id(call: Call) -> BattleId:
    if not call.args:
        raise InvalidInputError(problem="that button is out of date")
    return battle_id(call.args[0])


# -- entries and votes ------------------------------------------------------------------


async def submit(call: Call) -> Reply:
    """Store an entry (/battle submit); post the reveal once both entries are in."""
    service = _service(call)
    battle, revealed = await service.submit(
        call.uow, call.community, call.member, battle_id(call.options["id"]), call.options["entry"]
    )
    if not revealed:
        return Reply(text=text("battles.submitted", id=battle.id), tone=Tone.SUCCESS)
    entries = await battles(call.uow).entries(battle.id)
    post(call.uow, battle, "reveal", cards.reveal(battle, entries), anchor=f"battle:{battle.id}")
    return Reply(text=text("battles.revealed_reply", id=battle.id), tone=Tone.SUCCESS)


async def _vote(call: Call, bid: BattleId, word: str) -> Reply:
    side = Side(word)
    battle, previous = await _service(call).vote(call.uow, call.community, call.member, bid, side)
    shown = side.value.upper()
    if previous is None:
        words = text("battles.vote_counted", id=battle.id, side=shown)
    elif previous is side:
        words = text("battles.vote_same", id=battle.id, side=shown)
    else:
        words = text("battles.vote_changed", id=battle.id, side=shown, previous=previous.upper())
    return Reply(text=words, tone=Tone.SUCCESS)


async def vote(call: Call) -> Reply:
    """Vote for side A or B, or change one's vote (/battle vote)."""
    return await _vote(call, battle_id(call.options["id"]), call.options["side"])


async def vote_button(call: Call) -> Reply:
    """Vote from a button on the reveal card; its arguments are the battle and side."""
    if len(call.args) != 2 or call.args[1] not in SIDES:
        raise InvalidInputError(problem="that button is not a vote")
    return await _vote(call, battle_id(call.args[0]), call.args[1])


# -- reading ---------------------------------------------------------------------------------


async def show(call: Call) -> Reply:
    """Show a battle's card with its entries and the caller's own vote (/battle show)."""
    battle = await _service(call).get(call.uow, call.community.id, battle_id(call.options["id"]))
    repo = battles(call.uow)
    entries = await repo.entries(battle.id)
    mine = await repo.vote_of(battle.id, call.member.id)
    names = await names_of(call.uow, battle)
    cfg = call.ctx.config.battles
    return cards.details(battle, names, cfg, entries, mine, call.member.id)


async def listing(call: Call) -> Reply:
    """List challenges the caller may accept, their live battles, or past ones (/battles)."""
    which = call.options.get("which") or "open"
    cfg = call.ctx.config.battles
    repo = battles(call.uow)
    if which == "open":
        found = [
            b
            for b in await repo.listing(
                call.community.id, [Status.PENDING], None, cfg.page_size * 3
            )
            if b.is_open or b.opponent_id == call.member.id
        ][: cfg.page_size]
    elif which == "mine":
        found = await repo.listing(call.community.id, LIVE, call.member.id, cfg.page_size)
    else:
        final = [Status.FINISHED, Status.CANCELLED, Status.DECLINED, Status.EXPIRED]
        found = await repo.listing(call.community.id, final, None, cfg.page_size)
    ids = {m for b in found for m in b.fighters()}
    names = await repo.names(sorted(ids))
    return cards.listing(found, names, which)


async def stats(call: Call) -> Reply:
    """Show a member's battle rating and record, the caller's by default (/battle stats)."""
    who: Member = call.options.get("member") or call.member
    rating = await battles(call.uow).rating_of(who.id)
    return cards.stats(who.display_name, rating, call.ctx.config.battles)


# -- moderators --------------------------------------------------------------------------------


async def cancel(call: Call) -> Reply:
    """Cancel a battle with a reason (/admin battle cancel): refund stakes, post the result."""
    battle = await _service(call).results.moderator_cancel(
        call.uow,
        call.community.id,
        call.member,
        battle_id(call.options["id"]),
        call.options["reason"],
    )
    names = await names_of(call.uow, battle)
    post(call.uow, battle, "result", cards.result(battle, names, call.ctx.config.battles))
    return Reply(text=text("battles.cancelled_reply", id=battle.id), tone=Tone.SUCCESS)


# -- declarations ------------------------------------------------------------------------------


def _id_option() -> opt.Option:
    return opt.string("id", "Battle number, e.g. 12", max_length=13)


def _terms(cfg: BattlesSection) -> tuple[opt.Option, ...]:
    """Stake, judge and writing time: after the prompt, so typed as flags."""
    return (
        opt.integer("stake", f"Points each side stakes (up to {cfg.max_stake})", required=False),
        opt.choice("judge", "Who decides: the community (vote) or the AI", JUDGES, required=False),
        opt.integer(
            "minutes",
            "Minutes to write entries once accepted",
            required=False,
            min_value=5,
            max_value=cfg.max_minutes,
        ),
    )


def declared(cfg: BattlesSection) -> list[Command]:
    """Every battle command, declared once for Discord, Slack and the console."""
    prompt = opt.string(
        "prompt",
        "What both sides answer",
        min_length=3,
        max_length=cfg.prompt_max_length,
        rest=True,
    )
    return [
        Command(
            "battle challenge",
            "Challenge a member to answer a prompt; the better answer wins",
            challenge,
            options=(opt.member("opponent", "Who you challenge"), prompt, *_terms(cfg)),
            examples=(
                "/battle challenge @bob Explain DNS in one paragraph",
                "/battle challenge @bob Write a limerick about Mondays --stake 50 --judge ai",
            ),
        ),
        Command(
            "battle open",
            "Post an open challenge anyone can take",
            open_challenge,
            options=(prompt, *_terms(cfg)),
            examples=("/battle open Best one-line bug report --minutes 30",),
        ),
        Command(
            "battle random",
            "Challenge with a prompt from the community's pool (open if nobody named)",
            random_challenge,
            options=(opt.member("opponent", "Who you challenge", required=False), *_terms(cfg)),
            examples=("/battle random", "/battle random @bob --judge ai"),
        ),
        Command(
            "battle accept",
            "Accept a challenge (yours, or an open one)",
            accept,
            options=(_id_option(),),
            examples=("/battle accept 12",),
        ),
        Command(
            "battle decline",
            "Decline a challenge to you, or withdraw your own",
            decline,
            options=(_id_option(),),
            visibility=Visibility.EPHEMERAL,
            examples=("/battle decline 12",),
        ),
        Command(
            "battle submit",
            "Send your entry privately; both are revealed together",
            submit,
            options=(
                _id_option(),
                opt.string(
                    "entry", "Your answer", max_length=cfg.entry_max_length, rest=True, long=True
                ),
            ),
            visibility=Visibility.EPHEMERAL,
            examples=("/battle submit 12 DNS is the internet's phone book…",),
        ),
        Command(
            "battle vote",
            "Vote for entry A or B (change it until voting closes)",
            vote,
            options=(_id_option(), opt.choice("side", "The better entry", SIDES)),
            visibility=Visibility.EPHEMERAL,
            examples=("/battle vote 12 a",),
        ),
        Command(
            "battle show",
            "Show a battle: prompt, status, entries once revealed, result",
            show,
            options=(_id_option(),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/battle show 12",),
        ),
        Command(
            "battle stats",
            "Rating, wins/losses/draws, streak and best win",
            stats,
            options=(opt.member("member", "Whose record (yours by default)", required=False),),
            writes=False,
            examples=("/battle stats", "/battle stats @bob"),
        ),
        Command(
            "battles",
            "List open challenges, your battles, or past battles",
            listing,
            options=(opt.choice("which", "Which battles", LISTS, required=False),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/battles", "/battles mine", "/battles past"),
        ),
        Command(
            "admin battle cancel",
            "Cancel a battle: stakes are refunded, ratings do not move",
            cancel,
            options=(
                _id_option(),
                opt.string("reason", "Why (shown to the fighters)", max_length=450, rest=True),
            ),
            permission=Permission.MODERATOR,
            examples=("/admin battle cancel 12 entries were copied",),
        ),
    ]
