"""Test-only cogs and a running bot against the loopback fake of Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from bot.app import App
from bot.discord.client import GuildhallClient
from bot.discord.endpoints import point_at
from cogs.kit import (
    Action,
    Button,
    ButtonStyle,
    Call,
    Cog,
    Command,
    Permission,
    ReactionRule,
    Reply,
    Visibility,
)
from cogs.kit import options as opt
from domain.core.anchors import AnchorRepository
from domain.core.errors import InvalidInputError
from tests.fakes.discord_server import FakeDiscord

CARD_ANCHOR = "probe:7"
LONG_CHOICE = "a-deliberately-long-choice-value-" + "x" * 50


@dataclass
class Probe:
    """What the test-only cog saw; tests await its queues instead of sleeping."""

    reactions: asyncio.Queue[tuple[str, str, bool]] = field(default_factory=asyncio.Queue)
    release: asyncio.Event = field(default_factory=asyncio.Event)


def add_probe_cog(app: App) -> Probe:
    """Commands that exercise what the foundation cogs do not: slow work, modals,
    buttons, reactions on an anchored card, moderator-only, a hostile title."""
    probe = Probe()

    async def slow(call: Call) -> Reply:
        return Reply(text="slow work done")

    async def refuse(call: Call) -> Reply:
        raise InvalidInputError(problem="that card is closed")

    async def waits(call: Call) -> Reply:
        await probe.release.wait()  # work that outlasts the acknowledgement budget
        return Reply(text="waited work done")

    async def note(call: Call) -> Reply:
        return Reply(title=call.options["title"], text=call.options["body"])

    async def essay(call: Call) -> Reply:
        to = call.options["to"]
        return Reply(text=f"{call.options['body']} for {to.display_name} ({call.options['mood']})")

    async def card(call: Call) -> Reply:
        return Reply(
            title="Card #7",
            text="React ✅ to agree",
            anchor=CARD_ANCHOR,
            buttons=(
                Button("Agree", action_id="probe.press:7:yes", style=ButtonStyle.SUCCESS),
                Button("Docs", url="https://example.org/docs"),
            ),
        )

    async def press(call: Call) -> Reply:
        return Reply(text=f"pressed {' '.join(call.args)}")

    async def react(call: Call) -> Reply:
        await probe.reactions.put((call.args[0], call.options["meaning"], call.options["added"]))
        return Reply(text="counted")

    async def secret(call: Call) -> Reply:
        return Reply(text="moderator secret")

    async def pick(call: Call) -> Reply:
        return Reply(text=f"picked {call.options['size']} #{call.options['id']}")

    async def suggest_ids(call: Call, prefix: str) -> list[tuple[str, str]]:
        assert call.community.name == "Acceptance Guild"  # a Call scoped to the guild
        return [(f"#{n} Card", str(n)) for n in (7, 12) if str(n).startswith(prefix)]

    async def everyone(call: Call) -> Reply:
        return Reply(title="@everyone hi", text="@here <@&290926798626357999> look", ping=True)

    app.registry.add(
        Cog(
            name="probe",
            commands=[
                Command("probe slow", "A slow command", slow, slow=True, writes=False),
                Command("probe wait", "Work that may wait", waits, writes=False),
                Command("probe refuse", "A slow command that refuses", refuse, slow=True),
                Command(
                    "probe note",
                    "A note with a long body",
                    note,
                    options=(
                        opt.string("title", "Title of the note", max_length=100),
                        opt.string("body", "What the note says", long=True, max_length=2000),
                    ),
                ),
                Command("probe card", "Post a card", card),
                Command(
                    "probe essay",
                    "A long body and values too long for a form id",
                    essay,
                    options=(
                        opt.choice("mood", "Which mood", (LONG_CHOICE, "short")),
                        opt.member("to", "Who it is for"),
                        opt.string("body", "The essay", long=True),
                    ),
                ),
                Command("probe everyone", "A hostile title", everyone),
                Command(
                    "probe pick",
                    "Choices and suggestions",
                    pick,
                    options=(
                        opt.choice("size", "How big", ("small", "large")),
                        opt.integer("id", "Which card", min_value=1, autocomplete="probe_ids"),
                        opt.duration("for", "How long", required=False),
                    ),
                    writes=False,
                ),
                Command(
                    "admin probe reset",
                    "A three-word moderator command",
                    secret,
                    permission=Permission.MODERATOR,
                ),
                Command(
                    "moderate",
                    "Moderators only",
                    secret,
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                ),
            ],
            actions=[Action("probe.press", press)],
            reactions=[ReactionRule("probe", {"✅": "agree"}, react)],
            autocompletes={"probe_ids": suggest_ids},
        )
    )
    return probe


@contextlib.asynccontextmanager
async def running_bot(
    app: App, **client_options: object
) -> AsyncIterator[tuple[FakeDiscord, GuildhallClient]]:
    """The real discord.py client, logged in and connected to a fresh fake."""
    fake = FakeDiscord()
    await fake.start()
    point_at(fake.api_base, fake.gateway_url)
    # discord.py waits `guild_ready_timeout` for more guilds before READY; the fake has one.
    client_options.setdefault("guild_ready_timeout", 0.1)
    client = GuildhallClient(app.runner, **client_options)  # type: ignore[arg-type]
    task = asyncio.create_task(client.start("fake-token"))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 10)
        yield fake, client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await fake.stop()
        point_at()


async def anchored(app: App, channel_id: str, message_id: str) -> str | None:
    async with app.uow(read_only=True) as uow:
        return await uow.get(AnchorRepository).anchor_of("discord", channel_id, message_id)


async def wait_until_anchored(app: App, channel_id: str, message_id: str) -> None:
    """The adapter records the anchor right after Discord returns the message id."""
    async with asyncio.timeout(10):
        # The row is the only signal (written in the adapter's own transaction).
        while await anchored(app, channel_id, message_id) is None:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
