"""Battles: bad input is refused kindly and changes nothing; timers, forfeits, fair play."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Tone
from domain.battles import Status
from domain.core.clock import FixedClock
from storage.battles import BattleEntryRow, BattleRow
from tests.cogs.battle_helpers import battle, challenge, click, fight, outbox, run_timers
from tests.conftest import invoke


async def _count(app: App, table: object) -> int:
    async with app.database.reader.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_challenging_yourself_or_a_locked_member_is_refused(app: App) -> None:
    await invoke(app, "bob", "help")
    me = await invoke(app, "ana", "battle challenge", "@ana Explain DNS")
    assert me.tone is Tone.ERROR and "can't challenge yourself" in me.text
    await invoke(app, "mia", "admin lock", "@bob gift ring under review", mod=True)
    locked = await invoke(app, "ana", "battle challenge", "@bob Explain DNS")
    assert locked.tone is Tone.ERROR and "locked" in locked.text
    assert await _count(app, BattleRow.__table__) == 0


async def test_stakes_and_ai_judging_are_refused_when_unavailable(app: App) -> None:
    await invoke(app, "bob", "help")
    negative = await invoke(app, "ana", "battle challenge", "@bob Explain DNS --stake -5")
    assert negative.tone is Tone.ERROR and "can't be negative" in negative.text
    too_big = await invoke(app, "ana", "battle challenge", "@bob Explain DNS --stake 501")
    assert too_big.tone is Tone.ERROR and "above this community's cap of **500**" in too_big.text
    ai = await invoke(app, "ana", "battle challenge", "@bob Explain DNS --judge ai")
    assert ai.tone is Tone.ERROR and "AI judging isn't set up here" in ai.text
    assert await _count(app, BattleRow.__table__) == 0


async def test_bad_entries_are_refused_and_change_nothing(app: App, clock: FixedClock) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS --minutes 30")
    early = await invoke(app, "ana", "battle submit", f"{bid} too early")
    assert early.tone is Tone.ERROR and "waiting for an opponent" in early.text
    await invoke(app, "bob", "battle accept", str(bid))
    blank = await invoke(app, "ana", "battle submit", f'{bid} "   "')
    assert blank.tone is Tone.ERROR
    huge = await invoke(app, "ana", "battle submit", f"{bid} " + "x" * 1501)
    assert huge.tone is Tone.ERROR and "at most 1500" in huge.text
    stranger = await invoke(app, "carol", "battle submit", f"{bid} let me in")
    assert stranger.tone is Tone.ERROR and "not fighting in battle" in stranger.text
    ok = await invoke(app, "ana", "battle submit", f"{bid} the phone book")
    assert ok.tone is Tone.SUCCESS
    twice = await invoke(app, "ana", "battle submit", f"{bid} a better answer")
    assert twice.tone is Tone.ERROR and "already submitted" in twice.text
    clock.advance(timedelta(minutes=30))
    late = await invoke(app, "bob", "battle submit", f"{bid} just in time?")
    assert late.tone is Tone.ERROR and "past its deadline" in late.text
    assert await _count(app, BattleEntryRow.__table__) == 1
    unknown = await invoke(app, "ana", "battle submit", "999 hello")
    assert unknown.tone is Tone.ERROR and "couldn't find battle **#999**" in unknown.text


async def test_only_the_challenged_member_answers_and_only_once(app: App) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    own = await invoke(app, "ana", "battle accept", str(bid))
    assert own.tone is Tone.ERROR and "your own challenge" in own.text
    other = await click(app, "carol", f"battle.accept:{bid}")
    assert other.tone is Tone.ERROR and "challenge to someone else" in other.text
    assert (await invoke(app, "bob", "battle accept", str(bid))).tone is Tone.SUCCESS
    again = await invoke(app, "bob", "battle accept", str(bid))
    assert again.tone is Tone.ERROR and "can't be answered any more" in again.text
    late_no = await invoke(app, "bob", "battle decline", str(bid))
    assert late_no.tone is Tone.ERROR


async def test_decline_and_withdraw_end_a_challenge(app: App) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    no = await click(app, "bob", f"battle.decline:{bid}")
    assert "was declined" in no.text
    assert (await battle(app, bid)).status is Status.DECLINED
    dm = [r for r in await outbox(app) if r.kind == "battle.declined_dm"]
    assert len(dm) == 1 and dm[0].target == "dm"
    mine = await challenge(app, "ana", "@bob Explain TCP")
    back = await invoke(app, "ana", "battle decline", str(mine))
    assert "withdrew" in back.text and (await battle(app, mine)).status is Status.DECLINED


async def test_unanswered_challenges_expire_on_their_timer(app: App, clock: FixedClock) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    clock.advance(timedelta(hours=23, minutes=59))
    assert await run_timers(app, clock.now()) == 0
    clock.advance(timedelta(minutes=1))
    late = await invoke(app, "bob", "battle accept", str(bid))  # before the sweep ran
    assert late.tone is Tone.ERROR and "**expired**" in late.text
    assert await run_timers(app, clock.now()) == 1
    assert (await battle(app, bid)).status is Status.EXPIRED
    assert [r.kind for r in await outbox(app) if r.kind == "battle.result"] == ["battle.result"]


async def test_a_missing_entry_forfeits_and_no_entries_cancels(app: App, clock: FixedClock) -> None:
    await invoke(app, "bob", "help")
    one = await challenge(app, "ana", "@bob Explain DNS --minutes 30")
    await invoke(app, "bob", "battle accept", str(one))
    await invoke(app, "bob", "battle submit", f"{one} names to numbers")
    none = await challenge(app, "carol", "@bob Explain TCP --minutes 30")
    await invoke(app, "bob", "battle accept", str(none))
    clock.advance(timedelta(minutes=30))
    assert await run_timers(app, clock.now()) == 2
    forfeited = await battle(app, one)
    assert forfeited.status is Status.FINISHED and forfeited.method == "forfeit"
    assert forfeited.winner_id == forfeited.opponent_id
    assert forfeited.opponent_delta == 20 and forfeited.challenger_delta == -20
    empty = await battle(app, none)
    assert empty.status is Status.CANCELLED and empty.challenger_delta is None
    results = {
        r.dedupe_key: r.payload["text"] for r in await outbox(app) if r.kind == "battle.result"
    }
    assert "by forfeit" in results[f"battle:{one}:result"]
    assert "nobody submitted" in results[f"battle:{none}:result"]


async def test_an_open_challenge_is_taken_by_the_first_who_accepts(app: App) -> None:
    bid = await challenge(app, "ana", "Best one-line bug report", command="battle open")
    card = await invoke(app, "ana", "battles")
    assert f"**#{bid}**" in card.text and "anyone" in card.text
    taken = await click(app, "carol", f"battle.accept:{bid}")
    assert taken.tone is Tone.SUCCESS and not taken.ephemeral
    late = await click(app, "dave", f"battle.accept:{bid}")
    assert late.tone is Tone.ERROR
    b = await battle(app, bid)
    assert b.status is Status.ACTIVE and b.opponent_id is not None
    mine = await invoke(app, "carol", "battles", "mine")
    assert f"**#{bid}**" in mine.text


async def test_random_draws_from_the_prompt_pool(app: App) -> None:
    reply = await invoke(app, "ana", "battle random")
    pool = {p.text for p in app.config.battles.prompts}
    prompt = {f.name: f.value for f in reply.fields}["Prompt"]
    assert prompt in pool and "open challenge" in reply.text


async def test_daily_and_weekly_pair_limits_stop_farming(app: App, clock: FixedClock) -> None:
    for name in ("bob", "carol", "dave", "erin", "frank", "gus"):
        await invoke(app, name, "help")
    for i in range(3):
        await fight(app, "ana", "bob", f"Prompt number {i}")
    pair = await invoke(app, "ana", "battle challenge", "@bob One more time")
    assert pair.tone is Tone.ERROR and "3 times this week" in pair.text
    await challenge(app, "ana", "@carol A fourth prompt")
    await challenge(app, "ana", "@dave A fifth prompt")
    daily = await invoke(app, "ana", "battle challenge", "@erin A sixth prompt")
    assert daily.tone is Tone.ERROR and "today's limit of 5" in daily.text
    clock.advance(timedelta(days=1))
    assert (await invoke(app, "ana", "battle challenge", "@erin Next day")).tone is not Tone.ERROR


async def test_a_moderator_cancels_without_elo_and_not_after_the_end(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "bob", "help")
    bid = await fight(app, "ana", "bob")
    member = await invoke(app, "ana", "admin battle cancel", f"{bid} no reason")
    assert member.tone is Tone.ERROR and "Only moderators" in member.text
    done = await invoke(app, "mia", "admin battle cancel", f"{bid} entries were copied", mod=True)
    assert done.tone is Tone.SUCCESS
    b = await battle(app, bid)
    assert b.status is Status.CANCELLED and b.reason == "entries were copied"
    result = next(r for r in await outbox(app) if r.kind == "battle.result")
    assert "cancelled by **mia**: entries were copied" in result.payload["text"]
    stats = await invoke(app, "ana", "battle stats")
    assert "hasn't finished a battle" in stats.text
    again = await invoke(app, "mia", "admin battle cancel", f"{bid} twice", mod=True)
    assert again.tone is Tone.ERROR and "already over" in again.text
    vote = await invoke(app, "carol", "battle vote", f"{bid} a")
    assert vote.tone is Tone.ERROR and "isn't open for votes" in vote.text


async def test_a_bad_battle_number_or_a_stale_button_is_refused_kindly(app: App) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    for word in ("abc", "0", "9999999999999", "1.5", "٣"):
        reply = await invoke(app, "bob", "battle accept", word)
        assert reply.tone is Tone.ERROR and "isn't a battle number" in reply.text, reply.text
    hashed = await invoke(app, "bob", "battle show", f"#{bid}")  # as the cards show it
    assert hashed.tone is not Tone.ERROR
    for action in ("battle.accept", "battle.accept:x", f"battle.vote:{bid}:c"):
        stale = await click(app, "bob", action)
        assert stale.tone is Tone.ERROR and "no longer does anything" in stale.text
    assert (await battle(app, bid)).status is Status.PENDING


async def test_a_refusal_names_the_battle_state_in_the_catalogue_words(app: App) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    await invoke(app, "bob", "battle accept", str(bid))
    early = await invoke(app, "carol", "battle vote", f"{bid} a")
    assert early.tone is Tone.ERROR and "(it is **entries being written**)" in early.text
