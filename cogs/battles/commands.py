"""Battle handlers: parse, call `BattleService`, build a Reply with `cards`, queue posts.

Handlers are module-level functions of a `Call` and their typed options; the
service comes from the context (`call.ctx.need(BattleService)`), so they can
be imported and tested without the registry. The reading commands (`/battle
show`, `/battles`, `/battle stats`) are in `reading`; the declarations in
`declared`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from cogs.battles import cards
from cogs.battles.announce import names_of, post
from cogs.kit import Call, Reply, Tone
from cogs.kit.messages import has, text
from cogs.kit.runner import ExpiredActionError
from domain.battles import BattleId, Judge, Side
from domain.battles.errors import BadBattleNumberError, NoPromptPoolError
from domain.battles.repository import battles
from domain.battles.service import BattleService
from domain.core.announcements import Target
from domain.core.errors import UserFacingError
from domain.core.ids import parse_ids, parse_ref
from domain.identity.model import Member

JudgeWord = Literal["ai", "vote"]
SideWord = Literal["a", "b"]
SIDES: tuple[SideWord, ...] = ("a", "b")
JUDGES: tuple[JudgeWord, ...] = ("ai", "vote")


def battle_id(raw: str) -> BattleId:
    """A battle number a member typed ("12", or "#12" as the cards show it).

    Raises:
        BadBattleNumberError: it cannot name a battle (not a number, zero, too large).
    """
    found = parse_ref(raw)
    if found is None:
        raise BadBattleNumberError(word=raw.strip()[:20])
    return BattleId(found)


def _service(call: Call) -> BattleService:
    return call.ctx.need(BattleService)


@contextmanager
def status_words() -> Iterator[None]:
    """Word the state a refusal names ("voting", "late") from the catalogue.

    The domain names a battle's state by key; members read the community's
    words for it (`battles.status.*`), like everywhere else on the cards.
    """
    try:
        yield
    except UserFacingError as err:
        key = err.params.get("status")
        if isinstance(key, str) and has(f"battles.status.{key}"):
            err.params["status"] = text(f"battles.status.{key}")
        raise


# -- challenges ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChallengeOptions:
    """Options of /battle challenge."""

    opponent: Member
    prompt: str
    stake: int | None
    judge: JudgeWord | None
    minutes: int | None


@dataclass(frozen=True, slots=True)
class OpenOptions:
    """Options of /battle open."""

    prompt: str
    stake: int | None
    judge: JudgeWord | None
    minutes: int | None


@dataclass(frozen=True, slots=True)
class RandomOptions:
    """Options of /battle random."""

    opponent: Member | None
    stake: int | None
    judge: JudgeWord | None
    minutes: int | None


Terms = ChallengeOptions | OpenOptions | RandomOptions


async def _create(
    call: Call, opponent: Member | None, prompt: str, topic: str | None, o: Terms
) -> Reply:
    battle = await _service(call).challenge(
        call.uow,
        call.community,
        call.member,
        opponent,
        prompt,
        topic=topic,
        stake=o.stake or 0,
        judge=Judge(o.judge) if o.judge else Judge.VOTE,
        minutes=o.minutes,
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


async def challenge(call: Call, o: ChallengeOptions) -> Reply:
    """Challenge one member to a battle (/battle challenge); they are told by DM."""
    return await _create(call, o.opponent, o.prompt, None, o)


async def open_challenge(call: Call, o: OpenOptions) -> Reply:
    """Post a challenge that anyone may accept (/battle open)."""
    return await _create(call, None, o.prompt, None, o)


async def random_challenge(call: Call, o: RandomOptions) -> Reply:
    """Challenge with a prompt picked from the community's pool (/battle random).

    The opponent is optional; without one, the challenge is open to anyone.

    Raises:
        NoPromptPoolError: the community configured no prompts.
    """
    pool = call.ctx.config.battles.prompts
    if not pool:
        raise NoPromptPoolError()
    pick = _service(call).pick_prompt(pool)
    return await _create(call, o.opponent, pick.text, pick.topic, o)


@dataclass(frozen=True, slots=True)
class IdOptions:
    """Options of the commands that take only a battle number."""

    id: str


async def _answer(call: Call, bid: BattleId, accept: bool) -> Reply:
    service = _service(call)
    with status_words():
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


async def accept(call: Call, o: IdOptions) -> Reply:
    """Accept a challenge (/battle accept), which starts the window for entries."""
    return await _answer(call, battle_id(o.id), True)


async def decline(call: Call, o: IdOptions) -> Reply:
    """Decline a challenge, or withdraw one's own (/battle decline).

    The challenger is told by DM when the opponent declines.
    """
    return await _answer(call, battle_id(o.id), False)


def _button_id(call: Call) -> BattleId:
    """The battle number a button carries; a malformed button is out of date."""
    found = parse_ids(call.args, 1)
    if found is None:
        raise ExpiredActionError()
    return BattleId(found[0])


async def accept_button(call: Call) -> Reply:
    """Accept from the challenge card's button (as /battle accept); shown to the channel."""
    return (await _answer(call, _button_id(call), True)).with_(ephemeral=False)


async def decline_button(call: Call) -> Reply:
    """Decline from the challenge card's button, as /battle decline does."""
    return await _answer(call, _button_id(call), False)


# -- entries and votes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubmitOptions:
    """Options of /battle submit."""

    id: str
    entry: str


async def submit(call: Call, o: SubmitOptions) -> Reply:
    """Store an entry (/battle submit); post the reveal once both entries are in."""
    with status_words():
        battle, revealed = await _service(call).submit(
            call.uow, call.community, call.member, battle_id(o.id), o.entry
        )
    if not revealed:
        return Reply(text=text("battles.submitted", id=battle.id), tone=Tone.SUCCESS)
    entries = await battles(call.uow).entries(battle.id)
    post(call.uow, battle, "reveal", cards.reveal(battle, entries), anchor=f"battle:{battle.id}")
    return Reply(text=text("battles.revealed_reply", id=battle.id), tone=Tone.SUCCESS)


@dataclass(frozen=True, slots=True)
class VoteOptions:
    """Options of /battle vote."""

    id: str
    side: SideWord


async def _vote(call: Call, bid: BattleId, side: Side) -> Reply:
    with status_words():
        battle, previous = await _service(call).vote(
            call.uow, call.community, call.member, bid, side
        )
    shown = side.value.upper()
    if previous is None:
        words = text("battles.vote_counted", id=battle.id, side=shown)
    elif previous is side:
        words = text("battles.vote_same", id=battle.id, side=shown)
    else:
        words = text("battles.vote_changed", id=battle.id, side=shown, previous=previous.upper())
    return Reply(text=words, tone=Tone.SUCCESS)


async def vote(call: Call, o: VoteOptions) -> Reply:
    """Vote for side A or B, or change one's vote (/battle vote)."""
    return await _vote(call, battle_id(o.id), Side(o.side))


async def vote_button(call: Call) -> Reply:
    """Vote from a button on the reveal card (as /battle vote): its arguments are battle, side."""
    if len(call.args) != 2 or call.args[1] not in SIDES:
        raise ExpiredActionError()
    found = parse_ids(call.args[:1], 1)
    if found is None:
        raise ExpiredActionError()
    return await _vote(call, BattleId(found[0]), Side(call.args[1]))


# -- moderators --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CancelOptions:
    """Options of /admin battle cancel."""

    id: str
    reason: str


async def cancel(call: Call, o: CancelOptions) -> Reply:
    """Cancel a battle with a reason (/admin battle cancel): refund stakes, post the result."""
    with status_words():
        battle = await _service(call).results.moderator_cancel(
            call.uow, call.community.id, call.member, battle_id(o.id), o.reason
        )
    names = await names_of(call.uow, battle)
    post(call.uow, battle, "result", cards.result(battle, names, call.ctx.config.battles))
    return Reply(text=text("battles.cancelled_reply", id=battle.id), tone=Tone.SUCCESS)
