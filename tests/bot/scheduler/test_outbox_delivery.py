"""The outbox deliverer: outages delay but lose nothing; nothing is delivered twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any

import pytest

from bot.app import App, build_app
from bot.delivery import Delivery, RetryLater
from bot.scheduler import Background, OutboxDeliverer
from cogs.kit import Reply
from domain.core.anchors import AnchorRepository
from domain.core.announcements import LIVE, Announcement, Target, live
from domain.core.clock import FixedClock
from domain.core.scheduling import OutboxQueue
from domain.identity import IdentityRepository, Platform
from tests.conftest import invoke
from tests.support.loopback import HttpDeliverer, LoopbackPlatform
from tests.support.scheduling import Recorder, member


@pytest.fixture
async def platform() -> AsyncIterator[LoopbackPlatform]:
    fake = await LoopbackPlatform().start()
    try:
        yield fake
    finally:
        await fake.stop()


async def announce(app: App, count: int, *, prefix: str = "news", **extra: object) -> None:
    """Write `count` announcements for the console community, as any feature would."""
    async with app.uow() as uow:
        community = await uow.get(IdentityRepository).community_for_workspace(
            Platform.CONSOLE, "demo"
        )
        assert community is not None
        for i in range(count):
            uow.announce(
                Announcement(
                    community_id=community.id,
                    kind="news",
                    dedupe_key=f"{prefix}:{i}",
                    payload=Reply(text=f"{prefix} number {i}").to_dict(),
                    **extra,  # type: ignore[arg-type]
                )
            )
        await uow.commit()


async def outbox_rows(app: App) -> list[tuple[str, str, int]]:
    async with app.uow(read_only=True) as uow:
        rows = await uow.connection.exec_driver_sql(  # type: ignore[attr-defined]
            "SELECT dedupe_key, status, attempts FROM outbox ORDER BY id"
        )
        return [tuple(r) for r in rows]


async def test_platform_outage_delays_but_loses_nothing(
    app: App, clock: FixedClock, platform: LoopbackPlatform
) -> None:
    await member(app, "ana")
    await announce(app, 3)
    platform.script = [(500, {}), (429, {"Retry-After": "30"})]
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [HttpDeliverer(platform.url)])

    first = await deliverer.run_once()  # a 500: back off; the rest of the batch waits too
    assert [o.status for o in first] == ["retry", "deferred", "deferred"]
    assert await deliverer.run_once() == []  # backing off: not due yet
    clock.advance(timedelta(seconds=app.config.schedule.retry_base_seconds))
    second = await deliverer.run_once()  # now a 429 asking for 30 seconds
    assert [o.status for o in second] == ["retry", "deferred", "deferred"]
    clock.advance(timedelta(seconds=29))
    assert await deliverer.run_once() == []  # Retry-After is honoured
    clock.advance(timedelta(seconds=1))
    assert [o.status for o in await deliverer.run_once()] == ["sent", "sent", "sent"]

    assert [r.status for r in platform.received] == [500, 429, 200, 200, 200]
    assert sorted(Counter(platform.delivered()).values()) == [1, 1, 1]
    assert [(k, s) for k, s, _ in await outbox_rows(app)] == [
        ("news:0", "sent"),
        ("news:1", "sent"),
        ("news:2", "sent"),
    ]
    assert await deliverer.drain() == []  # and nothing goes out again


async def test_permanent_refusal_fails_and_shows_in_admin_schedule(
    app: App, clock: FixedClock, platform: LoopbackPlatform
) -> None:
    await member(app, "ana")
    await announce(app, 1)
    platform.script = [(403, {})]
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [HttpDeliverer(platform.url)])
    assert [o.status for o in await deliverer.drain()] == ["failed"]
    clock.advance(timedelta(hours=1))
    assert await deliverer.drain() == []
    shown = await invoke(app, "mia", "admin schedule", mod=True)
    values = {f.name: f.value for f in shown.fields}
    assert values["Sent / failed"] == "0 / 1"
    assert any(name.startswith("Failed #1 news") and "403" in v for name, v in values.items())
    assert "notifications.streak_reminders" in shown.text


async def test_endless_outage_gives_up_after_max_attempts(
    app: App, clock: FixedClock, platform: LoopbackPlatform
) -> None:
    await member(app, "ana")
    await announce(app, 1)
    attempts = app.config.schedule.max_attempts
    platform.script = [(503, {})] * attempts
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [HttpDeliverer(platform.url)])
    statuses = []
    for _ in range(attempts):
        statuses += [o.status for o in await deliverer.run_once()]
        clock.advance(timedelta(seconds=app.config.schedule.retry_max_seconds))
    assert statuses == ["retry"] * (attempts - 1) + ["failed"]
    assert (await outbox_rows(app))[0][1:] == ("failed", attempts)


async def test_two_processes_never_deliver_the_same_announcement_twice(
    app: App, clock: FixedClock, database_url: str, platform: LoopbackPlatform
) -> None:
    await member(app, "ana")
    await announce(app, 60)
    platform.delay = 0.002  # keep both deliverers busy at once
    other = await build_app(database_url, app.config, clock=clock, upgrade=False)
    try:
        a = OutboxDeliverer(app.uow, app.config, clock, [HttpDeliverer(platform.url)], batch=5)
        b = OutboxDeliverer(other.uow, app.config, clock, [HttpDeliverer(platform.url)], batch=5)
        done_a, done_b = await asyncio.gather(a.drain(), b.drain())
    finally:
        await other.close()
    assert len(platform.delivered()) == 60
    assert len(set(platform.delivered())) == 60
    assert {o.outbox_id for o in done_a}.isdisjoint({o.outbox_id for o in done_b})
    assert {s for _, s, _ in await outbox_rows(app)} == {"sent"}


async def test_a_deliverer_that_dies_after_claiming_is_replaced_once_its_claim_expires(
    app: App, clock: FixedClock, database_url: str
) -> None:
    await member(app, "ana")
    await announce(app, 2)
    async with app.uow() as uow:  # process A claims both rows, then dies before sending
        now = clock.now()
        claimed = await uow.get(OutboxQueue).claim("dead", now, now + timedelta(minutes=2), 10)
        await uow.commit()
    assert len(claimed) == 2
    recorder = Recorder(clock)
    survivor = OutboxDeliverer(app.uow, app.config, clock, [recorder])
    assert await survivor.drain() == []  # still A's
    clock.advance(timedelta(minutes=2))
    assert [o.status for o in await survivor.drain()] == ["sent", "sent"]
    clock.advance(timedelta(minutes=5))
    assert await survivor.drain() == []
    assert len(recorder.got) == 2


async def test_one_dedupe_key_is_stored_and_sent_once(app: App, clock: FixedClock) -> None:
    await member(app, "ana")
    await announce(app, 2, prefix="same")
    await announce(app, 2, prefix="same")
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    assert [d.reply.text for _, d in recorder.got] == ["same number 0", "same number 1"]


async def test_admin_channels_set_routes_posts_to_the_chosen_channel(
    app: App, clock: FixedClock
) -> None:
    await member(app, "ana")
    done = await invoke(app, "mia", "admin channels set", "announcements <#C0HALL>", mod=True)
    assert done.text == "The **announcements** channel is now <#C0HALL>: those posts go there."
    refused = await invoke(app, "mia", "admin channels set", "announcements ¿¿", mod=True)
    assert "not a channel" in refused.text
    denied = await invoke(app, "ana", "admin channels set", "announcements #x")
    assert "Only moderators" in denied.text
    await announce(app, 1)
    await announce(app, 1, prefix="cards", channel_kind="leaderboard")
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    got = [(d.channel_id, d.channel_name) for _, d in recorder.got]
    assert got == [("C0HALL", "general"), (None, app.config.channels.leaderboard)]


async def test_dm_goes_to_the_members_platform_account(app: App, clock: FixedClock) -> None:
    ana = await member(app, "ana")
    await announce(app, 1, target=Target.DM, member_id=ana.id)
    recorder = Recorder(clock)
    await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    assert [(d.target, d.user_id) for _, d in recorder.got] == [(Target.DM, "ana")]


async def test_commits_with_announcements_wake_the_delivery_loop(
    app: App, clock: FixedClock
) -> None:
    await member(app, "ana")
    recorder = Recorder(clock)
    background = Background(app, [recorder])
    app.uow.on_announce.append(background.delivery.wake)
    loop = asyncio.create_task(background.delivery.run_forever(poll_seconds=3600))
    try:
        await asyncio.sleep(0)
        await announce(app, 1)
        for _ in range(200):  # woken at once, not after the hour-long poll
            if recorder.got:
                break
            await asyncio.sleep(0.01)
    finally:
        background.delivery.stop()
        await loop
    assert [d.reply.text for _, d in recorder.got] == ["news number 0"]


async def test_edits_reach_the_anchored_messages_and_posted_cards_are_anchored(
    app: App, clock: FixedClock
) -> None:
    await member(app, "ana")
    await app.runner.remember_post(Platform.CONSOLE, "demo", "C1", "M1", "proposal:7")
    await announce(app, 1, prefix="edit", target=Target.EDIT, anchor="proposal:7")
    await announce(app, 1, prefix="nothing-to-edit", target=Target.EDIT, anchor="proposal:8")
    async with app.uow() as uow:
        community = await uow.get(IdentityRepository).community_for_workspace(
            Platform.CONSOLE, "demo"
        )
        assert community is not None
        uow.announce(
            Announcement(
                community.id,
                "card",
                "card:9",
                Reply(text="proposal 9", anchor="proposal:9").to_dict(),
                channel_kind="proposals",
            )
        )
        await uow.commit()
    recorder = Recorder(clock)
    outcomes = await OutboxDeliverer(app.uow, app.config, clock, [recorder]).drain()
    assert [o.status for o in outcomes] == ["sent", "sent", "sent"]
    assert [(d.target, d.message_ids) for _, d in recorder.got][:1] == [
        (Target.EDIT, (("C1", "M1"),))
    ]
    assert len(recorder.got) == 2  # no card for proposal 8 on this platform: nothing to edit
    async with app.uow(read_only=True) as uow:
        posted = await uow.get(AnchorRepository).messages_for(community.id, "proposal:9")
    assert [(p.channel_id, p.anchor) for p in posted] == [("proposals", "proposal:9")]


async def test_a_retry_after_a_partial_failure_never_reposts_where_it_already_went(
    app: App, clock: FixedClock
) -> None:
    await member(app, "ana")
    async with app.uow() as uow:  # the same community also lives on a Slack workspace
        community = await uow.get(IdentityRepository).community_for_workspace(
            Platform.CONSOLE, "demo"
        )
        assert community is not None
        await uow.get(IdentityRepository).link_workspace(community.id, Platform.SLACK, "T1")  # type: ignore[attr-defined]
        await uow.commit()
    await announce(app, 1)
    console = Recorder(clock)
    slack = LoopbackSlack(clock)
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [console, slack])
    assert [o.status for o in await deliverer.drain()] == ["retry"]
    clock.advance(timedelta(minutes=1))
    assert [o.status for o in await deliverer.drain()] == ["sent"]
    assert len(console.got) == 1 and len(slack.got) == 1
    assert slack.got[0][1].workspace_id == "T1"


class LoopbackSlack(Recorder):
    """A Slack deliverer whose first call hits a rate limit."""

    def __init__(self, clock: FixedClock) -> None:
        super().__init__(clock, Platform.SLACK)
        self.calls = 0

    async def deliver(self, delivery: Delivery) -> str | None:
        self.calls += 1
        if self.calls == 1:
            raise RetryLater("ratelimited", timedelta(seconds=10))
        return await super().deliver(delivery)


async def test_a_slow_deliverer_whose_claim_was_taken_over_does_not_send_again(
    app: App, clock: FixedClock
) -> None:
    await member(app, "ana")
    await announce(app, 1)
    slow_recorder, fast_recorder = Recorder(clock), Recorder(clock)
    slow = OutboxDeliverer(app.uow, app.config, clock, [slow_recorder], worker="slow")
    fast = OutboxDeliverer(app.uow, app.config, clock, [fast_recorder], worker="fast")
    async with app.uow() as uow:
        now = clock.now()
        (row,) = await uow.get(OutboxQueue).claim("slow", now, now + timedelta(minutes=2), 5)
        await uow.commit()
    clock.advance(timedelta(minutes=3))  # "slow" stalled past its claim; "fast" takes over
    assert [o.status for o in await fast.drain()] == ["sent"]
    assert (await slow._deliver(row)).status == "lost"
    assert len(fast_recorder.got) == 1 and slow_recorder.got == []


_LIVE_STATE: dict[str, str] = {}


@live("test.live")
async def _render_live_test(
    uow: object, config: object, payload: Mapping[str, Any]
) -> dict[str, Any] | None:
    """A live announcement as a feature declares one: the state when sent, or nothing."""
    state = _LIVE_STATE.get(str(payload["topic"]))
    return None if state is None else Reply(text=f"now: {state}").to_dict()


async def test_a_live_announcement_shows_the_state_when_sent_or_is_dropped(
    app: App, clock: FixedClock
) -> None:
    await member(app, "ana")
    recorder = Recorder(clock)
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [recorder])
    async with app.uow() as uow:
        community = await uow.get(IdentityRepository).community_for_workspace(
            Platform.CONSOLE, "demo"
        )
        assert community is not None
        for topic, kind in (("kept", "test.live"), ("gone", "test.live"), ("x", "nobody.knows")):
            uow.announce(
                Announcement(
                    community_id=community.id,
                    kind=kind,
                    dedupe_key=f"live:{topic}",
                    payload={LIVE: True, "topic": topic},
                )
            )
        await uow.commit()
    _LIVE_STATE["kept"] = "queued"
    _LIVE_STATE["kept"] = "changed after it was queued"  # what the deliverer must show
    outcomes = await deliverer.drain()
    assert sorted(o.status for o in outcomes) == ["dropped", "dropped", "sent"]
    assert [d.reply.text for _, d in recorder.got] == ["now: changed after it was queued"]
    # Nothing left to retry: a dropped one is done, like a sent one.
    assert {s for _, s, _ in await outbox_rows(app)} == {"sent"}
