"""Contract tests over every registered command, option and error code."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil

import pytest

import cogs
import domain
from bot.app import App
from cogs.kit import Cog, Command, Registry, Reply, messages
from cogs.kit import options as opt
from cogs.kit.registry import DuplicateNameError
from domain.core.errors import UserFacingError


def _all_subclasses(cls: type) -> set[type]:
    out: set[type] = set()
    for sub in cls.__subclasses__():
        out |= {sub, *_all_subclasses(sub)}
    return out


async def test_every_command_fits_discord_and_slack_limits(app: App) -> None:
    assert app.registry.commands, "no commands registered"
    for command in app.registry.commands:
        for part in command.name.split():
            assert 1 <= len(part) <= 32 and part.islower(), command.name
        assert 1 <= len(command.description) <= 100, command.name
        for option in command.options:
            assert 1 <= len(option.name) <= 32 and option.name.islower(), option.name
            assert 1 <= len(option.description) <= 100, (command.name, option.name)
            assert len(option.choices) <= 25, (command.name, option.name)


async def test_every_error_code_has_words_in_the_catalogue(app: App) -> None:
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(info.name)
    for info in pkgutil.walk_packages(cogs.__path__, "cogs."):
        importlib.import_module(info.name)
    missing = sorted(c.code for c in _all_subclasses(UserFacingError) if not messages.has(c.code))
    assert missing == []


async def test_help_lists_every_member_command(app: App) -> None:
    from tests.conftest import invoke

    reply = await invoke(app, "alice", "help")
    for command in app.registry.commands:
        if command.permission.value == "member":
            # A big group is one line of the overview; `/help <group>` lists its commands.
            if f"`/{command.group} …`" in reply.text:
                group = await invoke(app, "alice", "help", command.group)
                assert f"`{command.usage}`" in group.text
            else:
                assert f"`{command.usage}`" in reply.text


def test_duplicate_command_names_are_refused() -> None:
    async def handler(call: object) -> Reply:
        return Reply(text="x")

    registry = Registry()
    registry.add(Cog("a", commands=[Command("ping", "Ping", handler)]))
    with pytest.raises(DuplicateNameError):
        registry.add(Cog("b", commands=[Command("ping", "Ping again", handler)]))
    with pytest.raises(DuplicateNameError):
        registry.add(Cog("c", commands=[Command("ping pong", "Group clash", handler)]))


def test_required_options_cannot_follow_optional_ones() -> None:
    async def handler(call: object) -> Reply:
        return Reply(text="x")

    with pytest.raises(ValueError, match="required options"):
        Registry().add(
            Cog(
                "a",
                commands=[
                    Command(
                        "x",
                        "X",
                        handler,
                        options=(opt.string("a", "A", required=False), opt.integer("b", "B")),
                    )
                ],
            )
        )


def test_reply_survives_a_round_trip_through_json() -> None:
    from cogs.kit import Button, Field, Image, Mention, Select, SelectOption, Tone
    from cogs.kit.reply import Attachment, ButtonStyle

    reply = Reply(
        text="hi <@m:3>",
        title="T",
        fields=(Field("a", "b"),),
        buttons=(Button("Go", "x.go:1"),),
        select=Select("x.pick", (SelectOption("One", "1"),)),
        image=Image(b"\x89PNG", "card.png"),
        tone=Tone.SUCCESS,
        mentions=(Mention(3, "ana", {"discord": "42"}),),
        anchor="proposal:1",
    )
    assert Reply.from_dict(reply.to_dict()) == reply
    assert Reply.from_dict(json.loads(json.dumps(reply.to_dict()))) == reply
    # to_dict is written out by hand: a field added to Reply must be added there too.
    assert set(reply.to_dict()) == {f.name for f in dataclasses.fields(Reply)}
    full = dataclasses.replace(
        reply,
        file=Attachment(b"a,b\n", "x.csv", "text/csv"),
        footer="f",
        ephemeral=True,
        ping=True,
        replayed=True,
        buttons=(Button("Site", style=ButtonStyle.LINK, url="https://example.org", emoji="🔗"),),
    )
    assert Reply.from_dict(json.loads(json.dumps(full.to_dict()))) == full
