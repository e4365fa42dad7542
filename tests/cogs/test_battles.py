"""Battles through the runner: challenge, answer, submit, reveal, vote, result."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App, build_app
from cogs.kit import Cron, Tone
from domain.battles import BattlesSection, Side, Status
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.cogs.battle_helpers import battle, challenge, click, fight, outbox, run_timers
from tests.conftest import invoke


async def test_a_challenge_posts_a_card_with_accept_and_decline_and_dms_the_opponent(
    app: App,
) -> None:
    await invoke(app, "bob", "help")
    reply = await invoke(app, "ana", "battle challenge", "@bob Explain DNS in one paragraph")
    assert reply.title == "⚔️ Battle #1 · Explain DNS in one paragraph"
    assert "**ana** challenges **bob**" in reply.text
    assert [b.action_id for b in reply.buttons] == ["battle.accept:1", "battle.decline:1"]
    assert reply.anchor == "battle:1" and not reply.ephemeral
    fields = {f.name: f.value for f in reply.fields}
    assert fields["Judged by"] == "🗳️ Community vote"
    assert fields["Answer by"] == "2026-11-17 12:00 UTC"
    dms = await outbox(app)
    assert [(r.kind, r.target) for r in dms] == [("battle.challenge_dm", "dm")]


async def test_accept_by_button_starts_the_battle_and_entries_stay_private_until_both_are_in(
    app: App,
) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    started = await click(app, "bob", f"battle.accept:{bid}")
    assert started.tone is Tone.SUCCESS and "is on" in started.text
    first = await invoke(app, "ana", "battle submit", f"{bid} It's the phone book")
    assert "hidden until both sides" in first.text
    peek = await invoke(app, "carol", "battle show", str(bid))
    assert "phone book" not in peek.text
    second = await invoke(app, "bob", "battle submit", f"{bid} Names to numbers")
    assert "now revealed" in second.text
    b = await battle(app, bid)
    assert b.status is Status.VOTING and b.a_member_id is not None
    reveal = [r for r in await outbox(app) if r.kind == "battle.reveal"]
    assert len(reveal) == 1
    payload = reveal[0].payload
    assert "phone book" in payload["text"] and "Names to numbers" in payload["text"]
    assert "ana" not in payload["text"] and "bob" not in payload["text"]  # anonymous
    assert [b["action_id"] for b in payload["buttons"]] == [
        f"battle.vote:{bid}:a",
        f"battle.vote:{bid}:b",
    ]


async def test_community_vote_decides_and_moves_elo_once(app: App, clock: FixedClock) -> None:
    await invoke(app, "bob", "help")
    bid = await fight(app, "ana", "bob")
    b = await battle(app, bid)
    ana_side = b.side_of(b.challenger_id)
    assert ana_side is not None
    other = Side.B if ana_side is Side.A else Side.A
    for voter in ("carol", "dave", "erin"):
        await invoke(app, voter, "battle vote", f"{bid} {ana_side.value}")
    changed = await click(app, "frank", f"battle.vote:{bid}:{ana_side.value}")
    assert "counted" in changed.text
    again = await invoke(app, "frank", "battle vote", f"{bid} {other.value}")
    assert "changed from" in again.text
    clock.advance(timedelta(days=1, minutes=1))
    assert await run_timers(app, clock.now()) == 1
    done = await battle(app, bid)
    assert done.status is Status.FINISHED and done.winner_id == done.challenger_id
    assert done.challenger_delta == 20 and done.opponent_delta == -20  # provisional K 40
    result = [r for r in await outbox(app) if r.kind == "battle.result"]
    assert len(result) == 1 and "**ana** wins battle" in result[0].payload["text"]
    assert await run_timers(app, clock.now()) == 0  # nothing fires twice
    stats = await invoke(app, "ana", "battle stats")
    fields = {f.name: f.value for f in stats.fields}
    assert fields["Rating"] == "**1220** (provisional)"
    assert fields["Wins / losses / draws"] == "1 / 0 / 0"


async def test_fighters_cannot_vote_and_too_few_votes_is_a_draw(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "bob", "help")
    bid = await fight(app, "ana", "bob")
    own = await invoke(app, "ana", "battle vote", f"{bid} a")
    assert own.tone is Tone.ERROR and "can't vote" in own.text
    await invoke(app, "carol", "battle vote", f"{bid} a")
    clock.advance(timedelta(days=2))
    await run_timers(app, clock.now())
    done = await battle(app, bid)
    assert done.status is Status.FINISHED and done.winner_id is None
    assert done.challenger_delta == 0 and done.opponent_delta == 0
    result = next(r for r in await outbox(app) if r.kind == "battle.result")
    assert "draw" in result.payload["text"] and "1 of 3 needed" in result.payload["text"]


async def test_battle_board_ranks_rating_all_time_and_wins_this_week(
    app: App, clock: FixedClock
) -> None:
    for name in ("bob", "carol", "dave", "erin", "frank"):
        await invoke(app, name, "help")
    bid = await fight(app, "ana", "bob")
    b = await battle(app, bid)
    side = b.side_of(b.challenger_id)
    assert side is not None
    for voter in ("carol", "dave", "erin"):
        await invoke(app, voter, "battle vote", f"{bid} {side.value}")
    clock.advance(timedelta(days=1, minutes=1))
    await run_timers(app, clock.now())
    board = await invoke(app, "bob", "leaderboard", "battle all")
    assert board.title == "🏆 Battles — all time"
    assert "**1220** Elo" in board.text and "**1180** Elo" in board.text
    assert "You're #2 of 2 with 1180 Elo — 40 Elo behind" in board.text
    week = await invoke(app, "ana", "leaderboard", "battle week")
    assert "**1** win" in week.text and "**0** wins" in week.text
    assert "top of the board" in week.text
    past = await invoke(app, "carol", "battles", "past")
    assert f"**#{bid}**" in past.text and "finished" in past.text


async def test_weekly_battle_post_goes_to_every_community_once_a_week(
    database_url: str, clock: FixedClock
) -> None:
    config = CommunityConfig(battles=BattlesSection(weekly_post=True, weekly_post_time="09:30"))
    app = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        job = next(j for j in app.registry.jobs if j.name == "battles.weekly")
        assert job.trigger == Cron(minute="30", hour="9", day_of_week="mon")
        await invoke(app, "ana", "help")  # the community exists
        await job.handler(clock.now())
        await job.handler(clock.now() + timedelta(hours=1))  # same week: not twice
        posts = await outbox(app, "battle.weekly")
        assert len(posts) == 1 and posts[0].channel_kind == "battles"
        pool = {p.text for p in config.battles.prompts}
        assert any(p in posts[0].payload["text"] for p in pool)
    finally:
        await app.close()


async def test_without_weekly_post_no_job_is_scheduled(app: App) -> None:
    assert "battles.weekly" not in {j.name for j in app.registry.jobs}
