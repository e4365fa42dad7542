"""Every battle command, declared once for Discord, Slack and the console (typed options)."""

from __future__ import annotations

from cogs.battles import commands, reading
from cogs.battles.commands import JUDGES, SIDES
from cogs.battles.reading import LISTS
from cogs.kit import Command, Permission, Visibility, typed
from cogs.kit import options as opt
from domain.battles import BattlesSection


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


def _challenges(cfg: BattlesSection) -> list[Command]:
    prompt = opt.string(
        "prompt",
        "What both sides answer",
        min_length=3,
        max_length=cfg.prompt_max_length,
        rest=True,
    )
    return [
        typed.command(
            "battle challenge",
            "Challenge a member to answer a prompt; the better answer wins",
            commands.challenge,
            options=(opt.member("opponent", "Who you challenge"), prompt, *_terms(cfg)),
            examples=(
                "/battle challenge @bob Explain DNS in one paragraph",
                "/battle challenge @bob Write a limerick about Mondays --stake 50 --judge ai",
            ),
        ),
        typed.command(
            "battle open",
            "Post an open challenge anyone can take",
            commands.open_challenge,
            options=(prompt, *_terms(cfg)),
            examples=("/battle open Best one-line bug report --minutes 30",),
        ),
        typed.command(
            "battle random",
            "Challenge with a prompt from the community's pool (open if nobody named)",
            commands.random_challenge,
            options=(opt.member("opponent", "Who you challenge", required=False), *_terms(cfg)),
            examples=("/battle random", "/battle random @bob --judge ai"),
        ),
        typed.command(
            "battle accept",
            "Accept a challenge (yours, or an open one)",
            commands.accept,
            options=(_id_option(),),
            examples=("/battle accept 12",),
        ),
        typed.command(
            "battle decline",
            "Decline a challenge to you, or withdraw your own",
            commands.decline,
            options=(_id_option(),),
            visibility=Visibility.EPHEMERAL,
            examples=("/battle decline 12",),
        ),
    ]


def _fighting(cfg: BattlesSection) -> list[Command]:
    return [
        typed.command(
            "battle submit",
            "Send your entry privately; both are revealed together",
            commands.submit,
            options=(
                _id_option(),
                opt.string(
                    "entry", "Your answer", max_length=cfg.entry_max_length, rest=True, long=True
                ),
            ),
            visibility=Visibility.EPHEMERAL,
            examples=("/battle submit 12 DNS is the internet's phone book…",),
        ),
        typed.command(
            "battle vote",
            "Vote for entry A or B (change it until voting closes)",
            commands.vote,
            options=(_id_option(), opt.choice("side", "The better entry", SIDES)),
            visibility=Visibility.EPHEMERAL,
            examples=("/battle vote 12 a",),
        ),
        typed.command(
            "admin battle cancel",
            "Cancel a battle: stakes are refunded, ratings do not move",
            commands.cancel,
            options=(
                _id_option(),
                opt.string("reason", "Why (shown to the fighters)", max_length=450, rest=True),
            ),
            permission=Permission.MODERATOR,
            examples=("/admin battle cancel 12 entries were copied",),
        ),
    ]


def _reading() -> list[Command]:
    return [
        typed.command(
            "battle show",
            "Show a battle: prompt, status, entries once revealed, result",
            reading.show,
            options=(_id_option(),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/battle show 12",),
        ),
        typed.command(
            "battle stats",
            "Rating, wins/losses/draws, streak and best win",
            reading.stats,
            options=(opt.member("member", "Whose record (yours by default)", required=False),),
            writes=False,
            examples=("/battle stats", "/battle stats @bob"),
        ),
        typed.command(
            "battles",
            "List open challenges, your battles, or past battles",
            reading.listing,
            options=(opt.choice("which", "Which battles", LISTS, required=False),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/battles", "/battles mine", "/battles past"),
        ),
    ]


def declared(cfg: BattlesSection) -> list[Command]:
    """Every battle command, in the order `/help` lists them."""
    challenges = _challenges(cfg)
    fighting = _fighting(cfg)
    # The order the commands were always listed in (the Discord tree snapshot keeps it).
    return [
        *challenges,
        *fighting[:2],
        *_reading(),
        fighting[2],
    ]
