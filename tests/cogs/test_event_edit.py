"""/event edit: the host or a moderator changes the details; cards and calendars follow."""

from __future__ import annotations

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from tests.cogs.event_helpers import create, outbox
from tests.conftest import invoke


async def test_the_host_edits_the_place_and_the_card_edit_is_queued(
    app: App, clock: FixedClock
) -> None:
    await create(app, '"Game night" tomorrow 18:00 --where #voice')
    reply = await invoke(app, "mia", "event edit", '1 --where "Room 2" --title "Board games"')
    assert reply.tone is Tone.SUCCESS and "Board games" in reply.text, reply.text
    card = await invoke(app, "ana", "event show", "1")
    assert card.title == "📅 #1 · Board games"
    assert {f.name: f.value for f in card.fields}["Where"] == "Room 2"
    edits = [r for r in await outbox(app) if r.target == "edit"]
    assert [r.anchor for r in edits] == ["event:1"]
    assert edits[0].payload["title"] == "📅 #1 · Board games"


async def test_only_the_host_or_a_moderator_may_edit_and_a_no_op_is_refused(app: App) -> None:
    await create(app, '"Game night" tomorrow 18:00')
    await invoke(app, "ana", "help")
    denied = await invoke(app, "ana", "event edit", "1 --title Mine")
    assert denied.tone is Tone.ERROR and "Only the host" in denied.text
    same = await invoke(app, "mia", "event edit", '1 --title "Game night"', mod=True)
    assert same.tone is Tone.ERROR and "Nothing to change on #1" in same.text
    nothing = await invoke(app, "mia", "event edit", "1", mod=True)
    assert nothing.tone is Tone.ERROR and "Nothing to change" in nothing.text
    assert (await invoke(app, "ana", "event show", "1")).title == "📅 #1 · Game night"
    assert [r for r in await outbox(app) if r.target == "edit"] == []
