"""Discord's "Report message" context menu files the same report as a typed /report.

The real discord.py client against the loopback Discord fake: the menu is synced as
a message command, and a MESSAGE command interaction (type 3, the message resolved)
reaches the moderators' card through the runner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from cogs.kit import Reply
from storage.outbox import OutboxRow
from tests.fakes.discord_server import FakeDiscord, Recorded
from tests.support.discord import running_bot

BOB = "222222222222222222"
CHANNEL = "645027906669510667"


def _message(message_id: str, author: dict[str, Any], content: str) -> dict[str, Any]:
    return {
        "id": message_id,
        "channel_id": CHANNEL,
        "type": 0,
        "author": author,
        "content": content,
        "timestamp": "2026-11-21T07:11:09.089536+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": False,
        "flags": 0,
    }


def _menu(fake: FakeDiscord, author: dict[str, Any], content: str) -> dict[str, Any]:
    """An INTERACTION_CREATE for "Report message" on a message by `author`."""
    interaction = fake.slash("unused")
    interaction["member"]["permissions"] = "0"  # a member, not a moderator
    target = fake.next_id()
    interaction["data"] = {
        "type": 3,
        "name": "Report message",
        "id": fake.next_id(),
        "target_id": target,
        "resolved": {"messages": {target: _message(target, author, content)}},
    }
    return interaction


async def _answer(fake: FakeDiscord, interaction: dict[str, Any]) -> dict[str, Any]:
    await fake.dispatch("INTERACTION_CREATE", interaction)
    path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    answer: Recorded = await fake.wait_for(lambda r: r.method == "POST" and r.path == path)
    return dict(answer.json)


def _said(answer: dict[str, Any]) -> str:
    data = answer.get("data") or {}
    return " ".join(
        [data.get("content") or "", *(e.get("description", "") for e in data.get("embeds", []))]
    )


async def _cards(app: App) -> list[Reply]:
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o.c.payload).where(o.c.kind == "report.filed"))
        return [Reply.from_dict(p) for (p,) in rows]


async def test_report_message_menu_files_the_report_typed_report_files(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        synced = fake.calls("PUT", r"/applications/\d+/commands")[-1].json
        menu = next(c for c in synced if c["name"] == "Report message")
        assert menu["type"] == 3  # a message command: right-click a message → Apps
        bob = {
            "id": BOB,
            "username": "bob",
            "global_name": "bob",
            "discriminator": "0",
            "avatar": None,
        }
        answer = await _answer(fake, _menu(fake, bob, "buy cheap   gold at spam.example"))
    assert answer["data"]["flags"] & 64  # only the reporter sees the thanks
    assert "moderators will look at it" in _said(answer) and "bob" in _said(answer)
    (card,) = await _cards(app)
    assert "buy cheap gold at spam.example" in card.text
    assert f"/channels/290926798626357999/{CHANNEL}/" in card.text  # a link to the message
    assert [b.label for b in card.buttons] == ["Dismiss", "Warn", "Lock"]
    reported = {m.display_name for m in card.mentions}
    assert reported == {"Mason", "bob"}  # the card, only for moderators, names both


async def test_a_bot_message_cannot_be_reported_and_nothing_is_filed(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        robot = {
            "id": "333333333333333333",
            "username": "robot",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
        }
        answer = await _answer(fake, _menu(fake, robot, "beep"))
    assert "from a bot" in _said(answer) and answer["data"]["flags"] & 64
    assert await _cards(app) == []
