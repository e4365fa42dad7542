"""Typed options: every command's handler receives a dataclass that matches its options."""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import pytest

import cogs
from bot.app import App
from cogs.kit import Call, Reply, typed
from cogs.kit import options as opt
from cogs.kit.typed import BoundHandler, OptionsMismatchError
from domain.identity import Member
from tests.conftest import invoke


@dataclass(frozen=True, slots=True)
class GiftOptions:
    member: Member
    amount: int
    reason: str | None
    fmt: Literal["csv", "json"]
    within: timedelta | None
    loud: bool


GIFT_OPTIONS = (
    opt.member("member", "Who"),
    opt.integer("amount", "How many", min_value=1),
    opt.string("reason", "Why", required=False),
    opt.choice("fmt", "Format", ("csv", "json"), required=False, default="csv"),
    opt.duration("within", "When", required=False),
    opt.boolean("loud", "Shout"),
)


async def gift(call: Call, o: GiftOptions) -> Reply:
    return Reply(text=f"{o.amount}")


def test_a_matching_options_dataclass_is_accepted() -> None:
    command = typed.command("gift", "Give", gift, options=GIFT_OPTIONS)
    assert isinstance(command.handler, BoundHandler)
    assert command.handler.options_type is GiftOptions


def test_a_misspelled_option_name_is_refused_at_declaration() -> None:
    options = (opt.member("membr", "Who"), *GIFT_OPTIONS[1:])
    with pytest.raises(
        OptionsMismatchError, match=r"missing \['membr'\].*not declared \['member'\]"
    ):
        typed.command("gift", "Give", gift, options=options)


def test_an_optional_option_must_be_typed_as_possibly_none() -> None:
    options = (
        GIFT_OPTIONS[0],
        opt.integer("amount", "How many", required=False),
        *GIFT_OPTIONS[2:],
    )
    with pytest.raises(OptionsMismatchError, match=r"GiftOptions.amount is .*int \| None"):
        typed.command("gift", "Give", gift, options=options)


def test_a_field_of_another_kind_is_refused() -> None:
    options = (GIFT_OPTIONS[0], opt.string("amount", "How many"), *GIFT_OPTIONS[2:])
    with pytest.raises(OptionsMismatchError, match="amount"):
        typed.command("gift", "Give", gift, options=options)


def test_a_literal_must_list_exactly_the_choices() -> None:
    options = (
        *GIFT_OPTIONS[:3],
        opt.choice("fmt", "Format", ("csv", "xml"), default="csv"),
        *GIFT_OPTIONS[4:],
    )
    with pytest.raises(OptionsMismatchError, match="fmt"):
        typed.command("gift", "Give", gift, options=options)


def test_a_handler_without_an_options_dataclass_is_refused() -> None:
    async def untyped(call: Call, o: dict[str, object]) -> Reply:
        return Reply(text="")

    with pytest.raises(OptionsMismatchError, match="options dataclass"):
        typed.command("gift", "Give", untyped, options=GIFT_OPTIONS)


async def test_every_command_with_options_receives_them_typed(app: App) -> None:
    untyped = [
        c.name
        for cog in app.registry.cogs
        for c in cog.commands
        if c.options and not isinstance(c.handler, BoundHandler)
    ]
    assert untyped == []


async def test_typed_options_reach_the_handler(app: App) -> None:
    await invoke(app, "bob", "checkin")
    await invoke(app, "alice", "checkin")
    reply = await invoke(app, "alice", "points give", "@bob 2 for the review")
    assert "2" in reply.text and "for the review" in reply.text


def test_every_cog_setup_only_registers() -> None:
    """No feature's setup() grows past 60 lines: handlers live in commands.py."""
    import importlib

    long = {}
    for name in cogs.FEATURES:
        setup = importlib.import_module(f"cogs.{name}").setup
        lines = len(inspect.getsource(setup).splitlines())
        if lines > 60:
            long[name] = lines
    assert long == {}


def test_no_cog_declares_a_handler_inside_setup() -> None:
    import importlib

    nested = {}
    for name in cogs.FEATURES:
        tree = ast.parse(inspect.getsource(importlib.import_module(f"cogs.{name}").setup))
        inner = [
            n.name
            for n in ast.walk(tree.body[0])
            if isinstance(n, ast.AsyncFunctionDef)
            and n is not tree.body[0]
            and n.name != "on_activity"  # activity subscribers: replaced by projections
        ]
        if inner:
            nested[name] = inner
    assert nested == {}
