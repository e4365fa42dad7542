"""Hackathons through the runner: teams, entries, the anonymous vote, results and prizes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.hackathons.rules import payouts, places, split
from storage.check import balance_mismatches
from tests.cogs.event_helpers import click, job, outbox
from tests.conftest import invoke

CREATE = '"Winter jam" --submit-by "tomorrow 18:00" --vote-by "in 3 days at 18:00"'


async def _jam(app: App, extra: str = " --prizes 500,300,100 --team-size 2") -> None:
    reply = await invoke(app, "mia", "hackathon create", CREATE + extra, mod=True)
    assert reply.tone is not Tone.ERROR, reply.text


async def test_teams_entries_votes_and_prizes_end_to_end(app: App, clock: FixedClock) -> None:
    await _jam(app)
    assert "founded **Owls**" in (await invoke(app, "ana", "hackathon join", "1 Owls")).text
    assert "joined **Owls**" in (await invoke(app, "bo", "hackathon join", "1 owls")).text
    full = await invoke(app, "cy", "hackathon join", "1 Owls")
    assert full.tone is Tone.ERROR and "already has 2 members" in full.text
    await invoke(app, "cy", "hackathon join", "1 Foxes")
    await invoke(app, "dee", "hackathon join", "1")  # a team of her own
    twice = await invoke(app, "dee", "hackathon join", "1 Foxes")
    assert twice.tone is Tone.ERROR and "already in **Team dee**" in twice.text
    bad = await invoke(app, "ana", "hackathon submit", "1 notalink A plant bot")
    assert bad.tone is Tone.ERROR
    await invoke(app, "ana", "hackathon submit", "1 https://example.org/owls A plant bot")
    edited = await invoke(app, "bo", "hackathon submit", "1 https://example.org/owls2 Better")
    assert "updated" in edited.text
    await invoke(app, "cy", "hackathon submit", "1 https://example.org/foxes A fox game")
    await invoke(app, "dee", "hackathon submit", "1 https://example.org/dee Solo")
    early = await invoke(app, "eve", "hackathon vote", "1 Owls")
    assert early.tone is Tone.ERROR and "not open" in early.text

    clock.advance(timedelta(days=1, hours=6, minutes=1))  # past the submission deadline
    late = await invoke(app, "ana", "hackathon submit", "1 https://example.org/late Late")
    assert late.tone is Tone.ERROR and "closed" in late.text
    await job(app, "hackathons.deadlines")(clock.now())
    await job(app, "hackathons.deadlines")(clock.now())  # a second run posts nothing more
    (gallery,) = await outbox(app, "hackathon.gallery")
    assert [f["name"] for f in gallery.payload["fields"]] == [
        "Owls (ana, bo)",
        "Foxes (cy)",
        "Team dee (dee)",
    ]
    owls, foxes, _ = (b["action_id"] for b in gallery.payload["buttons"])
    own = await click(app, "ana", owls)
    assert own.tone is Tone.ERROR and "your own team" in own.text
    for who, button in (("cy", owls), ("dee", owls), ("eve", foxes), ("fay", foxes)):
        assert "Nobody will ever see" in (await click(app, who, button)).text
    again = await invoke(app, "eve", "hackathon vote", "1 Owls")
    assert again.tone is Tone.ERROR and "one vote per member" in again.text
    await invoke(app, "gus", "hackathon vote", "1 Team dee")

    clock.advance(timedelta(days=2))
    await job(app, "hackathons.deadlines")(clock.now())
    await job(app, "hackathons.deadlines")(clock.now())
    (results,) = await outbox(app, "hackathon.results")
    text = results.payload["text"]
    # Owls and Foxes tie on 2 votes: they share first place and split 500; dee is second.
    assert "1. **Owls** — 2 votes · **250** points" in text
    assert "1. **Foxes** — 2 votes · **250** points" in text
    assert "2. **Team dee** — 1 vote · **300** points" in text
    # Nothing in what members see says who voted for whom.
    for name in ("eve", "fay", "gus"):
        assert name not in text and name not in str(gallery.payload)
    assert "**125** points" in (await invoke(app, "ana", "points balance")).text
    assert "**125** points" in (await invoke(app, "bo", "points balance")).text
    assert "**250** points" in (await invoke(app, "cy", "points balance")).text
    assert await balance_mismatches(app.database.reader) == []
    shown = await invoke(app, "cy", "achievements")
    assert "Hacker" in str(shown) and "Hack champion" in str(shown)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (" --team-size 0", "at least 1"),
        (" --prizes 500,abc", "not a prize list"),
    ],
)
async def test_bad_hackathon_input_is_refused(app: App, extra: str, words: str) -> None:
    reply = await invoke(app, "mia", "hackathon create", CREATE + extra, mod=True)
    assert reply.tone is Tone.ERROR and words in reply.text
    assert await outbox(app, "hackathon.") == []


async def test_voting_must_end_after_submissions_close(app: App) -> None:
    line = '"Jam" --submit-by "in 3 days at 18:00" --vote-by "tomorrow 18:00"'
    reply = await invoke(app, "mia", "hackathon create", line, mod=True)
    assert reply.tone is Tone.ERROR and "Voting must end after submissions close" in reply.text
    member = await invoke(app, "ana", "hackathon create", CREATE)
    assert member.tone is Tone.ERROR and "Only moderators" in member.text


def test_prizes_split_evenly_with_the_remainder_to_the_first() -> None:
    assert split(100, 3) == [34, 33, 33]
    assert payouts(101, [7, 8]) == [(7, 51), (8, 50)]  # type: ignore[list-item]
    ranked = places({1: 5, 2: 5, 3: 2, 4: 0}, [500, 300])  # type: ignore[dict-item]
    assert ranked == {1: (1, 250), 2: (1, 250), 3: (2, 300)}
