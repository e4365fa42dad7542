"""Reply -> Discord message parts, and the adapter's settings parsing."""

from __future__ import annotations

import discord
import pytest

from bot.discord.client import intents, shard_ids
from bot.discord.permissions import is_moderator, parse_roles
from bot.discord.render import COLOURS, render
from bot.settings import ConfigError
from cogs.kit import (
    Attachment,
    Button,
    Field,
    Image,
    Mention,
    Reply,
    Select,
    SelectOption,
    Tone,
    mention_token,
)


async def test_mentions_become_discord_mentions_or_bold_names() -> None:
    reply = Reply(
        text=f"{mention_token(1)} thanks {mention_token(2)} and {mention_token(3)}",
        mentions=(
            Mention(1, "Ana", {"discord": "111"}),
            Mention(2, "Sam", {"slack": "U2"}),
        ),
    )
    embed = render(reply).embed
    assert embed is not None
    assert embed.description == "<@111> thanks **Sam** and @unknown"


async def test_ping_allows_only_intended_discord_users() -> None:
    reply = Reply(
        text=mention_token(1),
        mentions=(Mention(1, "Ana", {"discord": "111"}), Mention(2, "Sam", {"slack": "U2"})),
        ping=True,
    )
    rendered = render(reply)
    assert rendered.content == "<@111>"
    assert rendered.allowed_mentions.to_dict() == {"parse": [], "users": [111]}
    quiet = render(reply.with_(ping=False))
    assert quiet.content is None and quiet.allowed_mentions.to_dict() == {"parse": []}


async def test_embed_fields_footer_colour_image_and_file() -> None:
    reply = Reply(
        title="Rank",
        fields=(Field("Level", "3"), Field("XP", "120", inline=False)),
        footer="keep going",
        tone=Tone.SUCCESS,
        image=Image(b"\x89PNG fake", "card.png"),
        file=Attachment(b"a,b\n", "export.csv", "text/csv"),
    )
    rendered = render(reply)
    data = rendered.embed.to_dict() if rendered.embed else {}
    assert data["title"] == "Rank" and data["color"] == COLOURS[Tone.SUCCESS].value
    assert [f["name"] for f in data["fields"]] == ["Level", "XP"]
    assert data["footer"] == {"text": "keep going"}
    assert data["image"] == {"url": "attachment://card.png"}
    assert [f.filename for f in rendered.files] == ["card.png", "export.csv"]


async def test_buttons_wrap_into_rows_and_select_goes_below() -> None:
    reply = Reply(
        text="pick",
        buttons=tuple(Button(f"b{i}", action_id=f"x.y:{i}") for i in range(7)),
        select=Select("x.pick", (SelectOption("One", "1"), SelectOption("Two", "2"))),
    )
    view = render(reply).view
    assert view is not None and not view.is_dispatchable()  # routed by custom_id, not kept
    rows = view.to_components()
    assert [len(r["components"]) for r in rows] == [5, 2, 1]
    assert rows[0]["components"][0]["custom_id"] == "x.y:0"
    assert rows[2]["components"][0]["custom_id"] == "x.pick"


async def test_long_text_is_cut_to_discords_limits() -> None:
    rendered = render(Reply(title="t" * 300, text="d" * 5000))
    assert rendered.embed is not None
    assert len(rendered.embed.title or "") == 256
    assert len(rendered.embed.description or "") == 4096


def test_shard_ids_need_a_count_and_stay_in_range() -> None:
    assert shard_ids(None, None) is None
    assert shard_ids("2, 0", 4) == [0, 2]
    for bad, count in (("0,1", None), ("4", 4), ("x", 2)):
        with pytest.raises(ConfigError):
            shard_ids(bad, count)


def test_moderators_by_manage_server_or_configured_role() -> None:
    roles = parse_roles(" Mods , 777 ")
    assert roles == frozenset({"mods", "777"})
    none = discord.Permissions.none()
    assert is_moderator(discord.Permissions(manage_guild=True), [], [], frozenset())
    assert is_moderator(none, [777], [], roles)
    assert is_moderator(none, [], ["MODS"], roles)
    assert not is_moderator(none, [1], ["members"], roles)


def test_intents_are_minimal() -> None:
    assert (
        intents().value
        == discord.Intents(guilds=True, guild_reactions=True, dm_messages=True).value
    )
    assert intents(members=True).members
    assert not intents().message_content and not intents().members
