"""The command-line parser chat users type into (console and Slack), and its options.

Example-based tests pin the defects found by hand; Hypothesis then checks
that random text never raises anything but a friendly refusal, for every
command every feature registers and for every kind of option.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Registry
from cogs.kit.options import MemberRef, OptionType, boolean, choice, duration, integer, string
from cogs.kit.textargs import UsageError, parse, split_words
from domain.core.errors import InvalidInputError
from storage.points import LedgerRow
from tests.conftest import invoke


def member(word: str) -> MemberRef | None:
    return MemberRef(word[1:], word[1:]) if word.startswith("@") and len(word) > 1 else None


def registry(app: App) -> Registry:
    return app.registry


def test_apostrophes_backslashes_and_unbalanced_quotes_are_kept_as_typed() -> None:
    assert split_words("It's easier --deadline 2d") == ["It's", "easier", "--deadline", "2d"]
    assert split_words("\"Dark mode\" isn't 'two words'") == ["Dark mode", "isn't", "two words"]
    assert split_words(r"C:\Users\bob notes") == [r"C:\Users\bob", "notes"]
    assert split_words('@bob "unterminated thanks') == ["@bob", "unterminated", "thanks"]
    assert split_words("“curly quotes” too") == ["curly quotes", "too"]


async def test_apostrophe_in_free_text_does_not_break_the_other_options(app: App) -> None:
    create = app.registry.command("proposal create")
    assert create is not None
    values = parse(
        create, 'feature "Dark mode" It\'s easier on the eyes --deadline 2d --anonymous', member
    )
    assert values["description"] == "It's easier on the eyes"
    assert values["deadline"] == timedelta(days=2) and values["anonymous"] is True


@pytest.mark.parametrize(
    ("flag", "says"),
    [
        ("--Anonymous", "did you mean --anonymous?"),
        ("--bogus", "there is no option “--bogus”"),
        ("--anonymus=yes", "there is no option “--anonymus”"),
    ],
)
async def test_unknown_or_misspelled_flags_are_refused_even_with_free_text(
    app: App, flag: str, says: str
) -> None:
    create = app.registry.command("proposal create")
    assert create is not None
    with pytest.raises(UsageError) as refused:
        parse(create, f'feature "Dark mode" A dark theme {flag}', member)
    assert says in refused.value.params["problem"]


async def test_flag_equals_value_is_the_flag_and_its_value(app: App) -> None:
    create = app.registry.command("proposal create")
    assert create is not None
    values = parse(create, 'feature "Dark mode" A theme --deadline=3d --anonymous=yes', member)
    assert values["deadline"] == timedelta(days=3) and values["anonymous"] is True
    quoted = parse(create, 'feature "Dark mode" Use "--force" sparingly', member)
    assert quoted["description"] == "Use --force sparingly"  # a quoted word is never a flag


@pytest.mark.parametrize(
    ("option", "raw", "says"),
    [
        (integer("n", "N"), "²", "must be a whole number"),
        (integer("n", "N"), "٣", "must be a whole number"),
        (integer("n", "N", max_value=100), "9" * 30, "must be at most 100"),
        (duration("d", "D"), "10^30d", "must be a duration"),
        (duration("d", "D"), "999999999999w", "must be at most"),
        (duration("d", "D"), "999999999w", "must be at most"),
        (string("s", "S"), "a\ud800b", "not valid text"),
        (string("s", "S"), "nul\x00", "not valid text"),
    ],
)
def test_numbers_durations_and_text_out_of_range_are_refused_with_the_range(
    option: object, raw: str, says: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        option.convert(raw)  # type: ignore[attr-defined]
    assert says in refused.value.params["problem"]


OPTIONS = [
    integer("n", "N", min_value=1, max_value=1000),
    duration("d", "D"),
    boolean("b", "B"),
    choice("c", "C", ("red", "green")),
    string("s", "S", max_length=50),
]


@given(raw=st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_every_option_kind_converts_or_refuses_random_text(raw: str) -> None:
    for option in OPTIONS:
        try:
            value = option.convert(raw)
        except InvalidInputError as err:
            assert err.params.get("problem")
            continue
        if option.type is OptionType.INTEGER:
            assert 1 <= value <= 1000


WORDS = st.sampled_from(
    [
        "--",
        "--x",
        "--deadline",
        "--deadline=",
        "--anonymous",
        "=",
        '"',
        "'",
        "“",
        "\\",
        "@bob",
        "@",
        "0",
        "-1",
        "²",
        "9" * 25,
        "2d",
        "10^30d",
        "yes",
        "\ud800",
        "\x00",
        "<@U1>",
        "It's",
    ]
)
LINES = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=8).map(" ".join)


@given(line=LINES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_lines_for_every_registered_command_parse_or_refuse(
    commands: list[object], line: str
) -> None:
    for command in commands:
        try:
            parse(command, line, member)  # type: ignore[arg-type]
        except InvalidInputError as err:  # UsageError is one: a friendly refusal
            assert err.params.get("problem") or err.code


@pytest.fixture(scope="module")
def commands() -> list[object]:
    from bot.app import commands_only
    from domain.core.config import CommunityConfig

    return list(commands_only(CommunityConfig(), "sqlite+aiosqlite:///unused.db").commands)


FUZZ = [
    "²",
    "10^30d",
    "9999-12-31",
    "99999999999999999999999",
    "-1",
    "0",
    "\ud800",
    "nul\x00x",
    "@nul\x00x",  # a NUL in a member name: PostgreSQL refuses it in any query
    "@x\ud800",
    "<@U123>",
    "@<@U123>",
    "@Bob",
    '"',
    "--bogus",
    "--deadline=10^30d",
    "It's",
    r"C:\Users\bob",
    "",
]


async def test_fuzz_every_command_with_hostile_words_refuses_and_changes_nothing(
    app: App,
) -> None:
    """The fuzz run as a test: each hostile word after each command, by a member and a
    moderator; never an internal error, and a refused line moves no points."""
    await invoke(app, "ana", "checkin")
    for command in app.registry.commands:
        for word in FUZZ:
            async with app.database.reader.connect() as conn:
                before = (await conn.execute(select(func.count()).select_from(LedgerRow))).scalar()
            reply = await invoke(app, "ana", command.name, word, mod=True)
            assert app.runner.unhandled_errors == 0, (command.name, word, reply)
            if reply.tone.value == "error":
                async with app.database.reader.connect() as conn:
                    after = (
                        await conn.execute(select(func.count()).select_from(LedgerRow))
                    ).scalar()
                assert after == before, (command.name, word)
