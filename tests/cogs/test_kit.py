"""Options, text parsing and the runner's error boundary."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.app import App
from cogs.kit import Call, Cog, Command, Reply, Tone
from cogs.kit import options as opt
from cogs.kit.options import MemberRef, parse_duration
from cogs.kit.textargs import UsageError, parse
from domain.core.clock import FixedClock
from domain.core.errors import InvalidInputError
from tests.conftest import invoke


def _cmd(*options: opt.Option) -> Command:
    async def handler(call: Call) -> Reply:
        return Reply()

    return Command("x", "X", handler, options=options)


def test_durations_parse_in_several_spellings() -> None:
    assert parse_duration("30d") == timedelta(days=30)
    assert parse_duration("1w2d") == timedelta(days=9)
    assert parse_duration("2h 30m") == timedelta(hours=2, minutes=30)
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_text_parsing_maps_quotes_flags_and_rest() -> None:
    command = _cmd(
        opt.string("title", "T", max_length=20),
        opt.choice("kind", "K", ("feature", "policy")),
        opt.boolean("anonymous", "A"),
        opt.string("note", "N", required=False, rest=True),
    )
    values = parse(command, '"Dark mode" FEATURE --anonymous because it is late', lambda w: None)
    assert values == {
        "title": "Dark mode",
        "kind": "feature",
        "anonymous": True,
        "note": "because it is late",
    }


def test_text_parsing_names_the_bad_option_and_gives_usage() -> None:
    command = _cmd(opt.integer("amount", "A", min_value=1), opt.member("who", "W"))
    with pytest.raises(UsageError) as err:
        parse(command, "ten @bob", lambda w: MemberRef(w[1:], w[1:], False))
    assert "amount" in err.value.params["problem"]
    assert err.value.params["usage"] == "/x <amount> <who>"


def test_usage_shows_options_after_a_rest_option_as_flags_since_only_flags_reach_them() -> None:
    command = _cmd(
        opt.string("title", "T"),
        opt.string("note", "N", required=False, rest=True),
        opt.integer("xp", "X", required=False),
        opt.choice("size", "S", ("s", "l"), required=False),
        opt.boolean("loud", "L"),
    )
    assert command.usage == "/x <title> [note] [--xp N] [--size s|l] [--loud]"
    # What the usage line promises is what the parser does.
    values = parse(command, "T a b --xp 3 --size l --loud", lambda w: None)
    assert (values["note"], values["xp"], values["size"], values["loud"]) == ("a b", 3, "l", True)


def test_unknown_flags_and_bad_switch_values_name_the_right_option() -> None:
    command = _cmd(opt.boolean("reminders", "R"), opt.boolean("dms", "D"), opt.string("quiet", "Q"))
    with pytest.raises(UsageError) as err:
        parse(command, "--bogus on", lambda w: None)
    assert "no option “--bogus”" in err.value.params["problem"]
    with pytest.raises(UsageError) as err:
        parse(command, "--dms maybe", lambda w: None)
    assert err.value.params["problem"].startswith("**dms**")
    assert parse(command, "--dms --quiet 22:00-07:00", lambda w: None)["dms"] is True
    # With free text too, an unknown `--word` is refused (a typo must not vanish into the
    # text); quoted, it is text.
    free = _cmd(opt.string("note", "N", rest=True))
    with pytest.raises(UsageError) as err:
        parse(free, "add a --verbose switch", lambda w: None)
    assert "no option “--verbose”" in err.value.params["problem"]
    assert (
        parse(free, 'add a "--verbose" switch', lambda w: None)["note"] == "add a --verbose switch"
    )


def test_extra_words_after_a_short_last_text_option_are_called_unexpected() -> None:
    command = _cmd(opt.string("season", "S", required=False, max_length=10))
    with pytest.raises(UsageError) as err:
        parse(command, "2026-W46 extra", lambda w: None)
    assert err.value.params["problem"] == "unexpected “extra”"
    roomy = _cmd(opt.string("quiet", "Q", required=False, max_length=20))
    assert parse(roomy, "22:00 - 07:00", lambda w: None)["quiet"] == "22:00 - 07:00"


def test_a_left_out_optional_option_lets_the_word_go_to_the_next_one() -> None:
    command = _cmd(
        opt.choice("board", "B", ("points", "xp"), required=False),
        opt.choice("period", "P", ("all", "week"), required=False),
        opt.string("season", "S", required=False, max_length=10),
    )
    assert parse(command, "week", lambda w: None)["period"] == "week"
    with pytest.raises(UsageError) as err:  # fits neither: the error names the first
        parse(command, "bananas", lambda w: None)
    assert err.value.params["problem"].startswith("**board**")
    with pytest.raises(UsageError) as err:  # never skipped into free text
        parse(command, "points forever", lambda w: None)
    assert err.value.params["problem"].startswith("**period**")


def test_a_huge_whole_number_is_called_too_large_not_not_a_number() -> None:
    huge = "9" * 25
    bounded = opt.integer("page", "P", min_value=1, max_value=50)
    unbounded = opt.integer("quest", "Q", min_value=1)
    for option, raw, words in [
        (bounded, huge, "**page** must be at most 50"),
        (bounded, "-" + huge, "**page** must be at least 1"),
        (unbounded, huge, "**quest** is too large a number"),
        (unbounded, "12abc", "must be a whole number"),
    ]:
        with pytest.raises(InvalidInputError) as err:
            option.convert(raw)
        assert words in err.value.params["problem"], raw


def test_string_limits_are_enforced() -> None:
    option = opt.string("title", "T", min_length=3, max_length=5)
    with pytest.raises(InvalidInputError):
        option.convert("ab")
    with pytest.raises(InvalidInputError):
        option.convert("abcdef")
    assert option.convert("  abc ") == "abc"


async def test_moderator_command_is_refused_to_members(app: App) -> None:
    async def secret(call: Call) -> Reply:
        return Reply(text="secret")

    from cogs.kit import Permission

    app.registry.add(
        Cog("t", commands=[Command("modonly", "M", secret, permission=Permission.MODERATOR)])
    )
    refused = await invoke(app, "alice", "modonly")
    assert refused.tone is Tone.ERROR and "Only moderators" in refused.text
    allowed = await invoke(app, "alice", "modonly", mod=True)
    assert allowed.text == "secret"


async def test_unexpected_errors_show_a_reference_not_a_traceback(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(call: Call) -> Reply:
        raise RuntimeError("database password is hunter2")

    app.registry.add(Cog("t", commands=[Command("broken", "B", broken)]))
    with caplog.at_level(logging.ERROR):
        reply = await invoke(app, "alice", "broken")
    assert reply.tone is Tone.ERROR and reply.ephemeral
    assert "Something went wrong on our side (ref " in reply.text
    assert "hunter2" not in reply.text and "Traceback" not in reply.text
    ref = reply.text.split("(ref ")[1].split(")")[0]
    assert any(ref in r.getMessage() for r in caplog.records)
    assert app.runner.unhandled_errors == 1


async def test_unknown_command_is_a_friendly_error(app: App) -> None:
    reply = await invoke(app, "alice", "nonsense")
    assert "I don't know `/nonsense`" in reply.text


async def test_a_renamed_member_is_shown_by_reads_and_stored_by_writes(
    app: App, clock: FixedClock
) -> None:
    from cogs.kit import Actor, Invocation, Place
    from domain.identity import IdentityRepository, Platform

    await invoke(app, "alice", "checkin")

    async def as_name(name: str, command: str) -> None:
        actor = Actor(Platform.CONSOLE, "demo", "alice", name)
        await app.runner.dispatch(
            Invocation(actor=actor, key=f"k-{name}-{command}", place=Place(), command=command)
        )

    async def stored_name() -> str:
        async with app.uow(read_only=True) as uow:
            found = await uow.get(IdentityRepository).member_for_account(
                Platform.CONSOLE, "demo", "alice"
            )
        assert found is not None
        return found.display_name

    await as_name("Alice Liddell", "points balance")  # a read: nothing written
    assert await stored_name() == "alice"
    clock.advance(timedelta(days=1))
    await as_name("Alice Liddell", "checkin")  # a write stores the platform's new name
    assert await stored_name() == "Alice Liddell"
