"""The typed activity API: kinds registered once, stored and read back, routed to projections."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TypedDict

import pytest

import cogs  # noqa: F401  (imports every feature, so every kind and counter is registered)
from domain.checkin.activities import CheckedIn
from domain.core.activity import (
    ANY_KIND,
    Activity,
    ActivityBus,
    activity,
    counter,
    each,
    kind_of,
    kinds,
    known_counters,
    load,
)
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.points.activities import PointsGifted
from domain.progress.activities import TierUp
from domain.quests.activities import QuestCompleted

AT = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


class Base(TypedDict):
    community_id: CommunityId
    member_id: MemberId
    key: str
    occurred_at: datetime


BASE = Base(community_id=CommunityId(1), member_id=MemberId(2), key="k", occurred_at=AT)
JSON_ABLE = {"int", "str", "bool", "float", "tuple[str, ...]", "tuple[int, ...]"}


def test_every_existing_kind_is_registered_with_plain_json_fields() -> None:
    expected = {
        "checked_in",
        "streak_milestone",
        "points_credited",
        "points_debited",
        "points_gifted",
        "proposal_created",
        "vote_cast",
        "proposal_approved",
        "proposal_implemented",
        "xp_gained",
        "level_up",
        "tier_up",
        "quest_completed",
        "achievement_unlocked",
    }
    assert expected <= set(kinds())
    for kind, cls in kinds().items():
        assert cls.kind == kind and cls.version >= 1
        own = [f for f in fields(cls) if f.name not in BASE]
        assert all(str(f.type) in JSON_ABLE for f in own), (kind, [f.type for f in own])


def test_an_activity_round_trips_through_its_stored_form() -> None:
    tier = TierUp(**BASE, tier_index=2, tier="Blossom", previous_index=0, roles=("A", "B"))
    stored = json.loads(json.dumps(tier.data()))
    assert stored == {"tier_index": 2, "tier": "Blossom", "previous_index": 0, "roles": ["A", "B"]}
    again = load("tier_up", 1, data=stored, **BASE)
    assert again == tier and isinstance(again, TierUp)


def test_older_versions_are_upgraded_when_read() -> None:
    @activity("test_renamed_field", version=2)
    @dataclass(frozen=True, slots=True, kw_only=True)
    class Renamed(Activity):
        amount: int

        @classmethod
        def upgrade(cls, version: int, data: dict[str, object]) -> dict[str, object]:
            return {"amount": data["points"]} if version == 1 else data

    assert load("test_renamed_field", 1, data={"points": 5}, **BASE) == Renamed(**BASE, amount=5)


def test_a_kind_must_be_a_frozen_dataclass_and_unique() -> None:
    with pytest.raises(TypeError, match="frozen"):

        @activity("test_not_a_dataclass")
        class Plain(Activity):  # pragma: no cover - refused at import
            __slots__ = ()

    with pytest.raises(TypeError, match="already"):

        @activity("checked_in")
        @dataclass(frozen=True, kw_only=True)
        class Clash(Activity):  # pragma: no cover - refused at import
            n: int


def test_unknown_kinds_and_clashing_counters_are_refused() -> None:
    with pytest.raises(LookupError, match="karma"):
        kind_of("karma")
    assert counter("checkins", "check-ins") == "checkins"  # same declaration: fine
    with pytest.raises(ValueError, match="twice"):
        counter("checkins", "something else")


def test_counters_are_declared_by_the_features_that_move_them() -> None:
    names = known_counters()
    assert {"checkins", "streak", "votes_cast", "gifts_given", "xp", "quests_completed"} <= set(
        names
    )
    assert names["streak"].best_of and not names["checkins"].best_of
    checkin = CheckedIn(**BASE, streak=3, longest=5, local_date="2026-11-16")
    assert dict(checkin.counters()) == {"checkins": 1, "streak": 5}
    gift = PointsGifted(**BASE, receiver_id=9, amount=5)
    moves = {(m.member_id, m.counter, m.amount) for m in gift.counter_moves()}
    assert moves == {(2, "gifts_given", 1), (9, "gifts_received", 1)}
    assert QuestCompleted(**BASE, quest_id=1, reward_xp=20, period="").explicit_xp() == 20
    assert checkin.explicit_xp() is None


class Recorder:
    """A projection that records what it was given, and records a follow-up once."""

    name = "test.recorder"
    kinds = ("checked_in", "quest_completed")

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        self.batches.append([a.kind for a in batch])
        for item in batch:
            if isinstance(item, CheckedIn):
                uow.record(QuestCompleted(**BASE, quest_id=1, reward_xp=0, period=""))


class FakeUow:
    """Just enough of a unit of work for routing: `record` appends to the pending list."""

    def __init__(self, pending: list[Activity]) -> None:
        self.pending = pending

    def record(self, item: Activity) -> None:
        self.pending.append(item)


async def test_the_bus_routes_batches_by_kind_until_nothing_more_is_recorded() -> None:
    bus = ActivityBus()
    recorder = Recorder()
    everything: list[str] = []

    async def hear(uow: UnitOfWork, item: Activity) -> None:
        everything.append(item.kind)

    bus.register(recorder)
    bus.register(each("test.all", [ANY_KIND], hear))
    with pytest.raises(ValueError, match="twice"):
        bus.register(each("test.all", [ANY_KIND], hear))
    pending: list[Activity] = [
        CheckedIn(**BASE, streak=1, longest=1, local_date="2026-11-16"),
        PointsGifted(**BASE, receiver_id=9, amount=5),
    ]
    await bus.apply(FakeUow(pending), pending)  # type: ignore[arg-type]  # routing needs only record()
    assert recorder.batches == [["checked_in"], ["quest_completed"]]
    assert everything == ["checked_in", "points_gifted", "quest_completed"]
    assert [p.name for p in bus.projections_for("points_gifted")] == ["test.all"]


class Calls:
    """A projection that keeps the kinds of each call it gets."""

    def __init__(self, name: str, wanted: tuple[str, ...]) -> None:
        self.name = name
        self.kinds = wanted
        self.calls: list[list[str]] = []

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        self.calls.append([a.kind for a in batch])


async def test_what_a_projection_records_reaches_the_later_ones_in_the_same_call() -> None:
    """One call per projection for a batch and what it derived, whenever the order allows."""
    bus = ActivityBus()
    before = Calls("test.before", ("checked_in", "quest_completed"))
    after = Calls("test.after", ("checked_in", "quest_completed"))
    bus.register(before)
    bus.register(Recorder())  # records a quest_completed per check-in
    bus.register(after)
    pending: list[Activity] = [CheckedIn(**BASE, streak=1, longest=1, local_date="2026-11-16")]
    applied = await bus.apply(FakeUow(pending), pending)  # type: ignore[arg-type]
    assert [a.kind for a in applied] == ["checked_in", "quest_completed"]
    assert after.calls == [["checked_in", "quest_completed"]]  # fed forward: one call
    assert before.calls == [["checked_in"], ["quest_completed"]]  # earlier: the next pass


async def test_a_projection_that_never_stops_recording_is_refused() -> None:
    class Echo:
        name = "test.echo"
        kinds = ("quest_completed",)

        async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
            uow.record(QuestCompleted(**BASE, quest_id=1, reward_xp=0, period=""))

    bus = ActivityBus()
    bus.register(Echo())
    pending: list[Activity] = [QuestCompleted(**BASE, quest_id=1, reward_xp=0, period="")]
    with pytest.raises(RuntimeError, match="keep recording"):
        await bus.apply(FakeUow(pending), pending)  # type: ignore[arg-type]
