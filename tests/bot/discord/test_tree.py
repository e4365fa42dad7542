"""The app-command tree generated from the registry, and the Discord CLI."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import cli
from bot.app import App
from bot.discord.permissions import BOT_PERMISSIONS, invite_url
from bot.discord.tree import build_tree, tree_payload
from tests.support.discord import add_probe_cog, running_bot

SNAPSHOT = Path(__file__).resolve().parents[2] / "fixtures" / "discord_commands.json"
NAME = re.compile(r"^[-_\w]{1,32}$")


async def _noop(*_: Any) -> Any:
    return []


def payload_of(app: App) -> list[dict[str, Any]]:
    client = discord.Client(intents=discord.Intents(guilds=True))
    return tree_payload(build_tree(client, app.registry, _noop, _noop))


async def test_command_tree_payload_matches_the_snapshot(app: App) -> None:
    """Regenerate on purpose with GUILDHALL_UPDATE_SNAPSHOTS=1 when commands change."""
    payload = payload_of(app)
    rendered = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("GUILDHALL_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert rendered == SNAPSHOT.read_text(encoding="utf-8")


def _walk(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        out.append(e)
        out.extend(_walk([o for o in e.get("options", []) if o.get("type") in (1, 2)]))
    return out


async def test_every_command_fits_discords_limits(app: App) -> None:
    add_probe_cog(app)
    payload = payload_of(app)
    assert len(payload) <= 100
    for entry in _walk(payload):
        assert NAME.match(entry["name"]) and entry["name"] == entry["name"].lower()
        assert 1 <= len(entry["description"]) <= 100
        assert len(entry.get("options", [])) <= 25
        for option in entry.get("options", []):
            assert NAME.match(option["name"])
            assert len(option.get("choices", [])) <= 25


async def test_tree_maps_kit_options_to_discord_types(app: App) -> None:
    add_probe_cog(app)
    probe = next(c for c in payload_of(app) if c["name"] == "probe")
    subs = {s["name"]: s for s in probe["options"]}
    note = {o["name"]: o for o in subs["note"]["options"]}
    assert note["title"] == {
        "type": 3,
        "name": "title",
        "description": "Title of the note",
        "required": True,
        "max_length": 100,
    }
    assert note["body"]["required"] is False  # asked for in a modal when left out
    pick = {o["name"]: o for o in subs["pick"]["options"]}
    assert pick["size"]["choices"] == [
        {"name": "small", "value": "small"},
        {"name": "large", "value": "large"},
    ]
    assert pick["id"]["type"] == 4 and pick["id"]["autocomplete"] is True
    assert pick["id"]["min_value"] == 1
    admin = next(c for c in payload_of(app) if c["name"] == "admin")
    assert str(admin["default_member_permissions"]) == "32"
    groups = {o["name"]: o for o in admin["options"]}
    assert groups["probe"]["type"] == 2  # a subcommand group beside the real admin commands


def test_invite_url_asks_for_exactly_the_permissions_used() -> None:
    url = invite_url(1100000000000000001)
    assert url == (
        "https://discord.com/oauth2/authorize?client_id=1100000000000000001"
        f"&permissions={BOT_PERMISSIONS.value}&scope=bot+applications.commands"
    )
    assert BOT_PERMISSIONS.value == 275146460224
    assert not BOT_PERMISSIONS.administrator and not BOT_PERMISSIONS.mention_everyone


async def test_cli_invite_url_and_guild_sync_talk_to_the_configured_api(
    app: App, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    async with running_bot(app, sync_on_start=False) as (fake, _client):
        monkeypatch.setenv("DISCORD_TOKEN", "fake-token")
        monkeypatch.setenv("DISCORD_API_BASE_URL", fake.api_base)
        monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        (tmp_path / "empty.toml").write_text("", encoding="utf-8")  # every default
        monkeypatch.setenv("GUILDHALL_CONFIG", str(tmp_path / "empty.toml"))
        assert await asyncio.to_thread(cli.main, ["discord", "invite-url"]) == 0
        assert "client_id=1100000000000000001&permissions=275146460224" in capsys.readouterr().out
        code = await asyncio.to_thread(cli.main, ["discord", "sync", "--guild", fake.guild["id"]])
        assert code == 0
        synced = fake.calls("PUT", rf"/applications/\d+/guilds/{fake.guild['id']}/commands")
        assert {"checkin", "points", "help"} <= {c["name"] for c in synced[0].json}
