"""Activities: typed facts of what members did, and the projections derived from them.

A feature declares each kind of thing its members do as a frozen dataclass
subclass of `Activity` in `domain/<feature>/activities.py`, registered with
`@activity("kind", version=N)` so the activity log can store and read it back.
A service records one with `uow.record(...)` in its own transaction.

Everything derived from activities (XP and levels, board scores, member
counters, achievements, quest progress) is a `Projection`: it names the kinds
it applies and applies a batch of them at once. Counters that achievements
and quests read are declared by the feature that moves them (`counter(...)`)
and moved by an activity's `counters()`, so a new feature's counters can be
used in the achievements catalog and as quest goals without touching either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from domain.core.ids import CommunityId, MemberId

if TYPE_CHECKING:
    from domain.core.uow import UnitOfWork

A = TypeVar("A", bound="type[Activity]")
T = TypeVar("T", bound="Activity")

ANY_KIND = "*"
"""A projection whose `kinds` contains this applies every activity."""

_BASE_FIELDS = frozenset({"community_id", "member_id", "key", "occurred_at"})
_KINDS: dict[str, type[Activity]] = {}
_COUNTERS: dict[str, CounterSpec] = {}


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """One thing a member did, with a key that is unique for that occurrence.

    Subclasses add plain JSON-able fields (ints, strs, bools, ISO date strings,
    tuples of those) so the log can store them; `kind` and `version` are set
    by the `@activity` decorator.
    """

    kind: ClassVar[str] = ""
    version: ClassVar[int] = 1
    # Applied in a batch of its own: a kind that changes whose rows later
    # activities land on (a member merge) must not share a batch with them,
    # because each projection applies a whole batch before the next one runs.
    alone: ClassVar[bool] = False

    community_id: CommunityId
    member_id: MemberId
    key: str
    occurred_at: datetime

    def counters(self) -> Mapping[str, int]:
        """The acting member's counters this activity moves ({"checkins": 1}); none by default."""
        return {}

    def counter_moves(self) -> list[CounterMove]:
        """Every counter this activity moves, for any member (a gift counts for its receiver)."""
        return [CounterMove(self.member_id, name, n) for name, n in self.counters().items()]

    def explicit_xp(self) -> int | None:
        """XP this occurrence carries (a quest's reward); None to use `[progress.xp.<kind>]`."""
        return None

    def data(self) -> dict[str, Any]:
        """The kind's own fields as JSON-able values, for the activity log."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name not in _BASE_FIELDS:
                value = getattr(self, f.name)
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def upgrade(cls, version: int, data: dict[str, Any]) -> dict[str, Any]:
        """Turn data stored by an older `version` of this kind into the current fields.

        Override when a kind's fields change; the default accepts the data as is.
        """
        return data


@dataclass(frozen=True, slots=True)
class CounterSpec:
    """A member counter a feature moves: a running total, or the best value seen."""

    name: str
    description: str
    best_of: bool = False


@dataclass(frozen=True, slots=True)
class CounterMove:
    """Add `amount` to a member's counter (or raise it to `amount` for a best-of counter)."""

    member_id: MemberId
    counter: str
    amount: int

    @property
    def best_of(self) -> bool:
        spec = _COUNTERS.get(self.counter)
        return spec is not None and spec.best_of


def activity(kind: str, *, version: int = 1) -> Callable[[A], A]:
    """Register an `Activity` subclass under `kind`, so the log can read it back.

    Raises:
        TypeError: the class is not a frozen dataclass, or the kind is taken.
    """

    def register(cls: A) -> A:
        params = getattr(cls, "__dataclass_params__", None)
        if "__dataclass_fields__" not in cls.__dict__ or params is None or not params.frozen:
            raise TypeError(f"{cls.__name__} must be a @dataclass(frozen=True) Activity")
        taken = _KINDS.get(kind)
        if taken is not None and taken.__qualname__ != cls.__qualname__:
            raise TypeError(f"activity kind {kind!r} is already {taken.__qualname__}")
        cls.kind = kind
        cls.version = version
        _KINDS[kind] = cls
        return cls

    return register


def counter(name: str, description: str, *, best_of: bool = False) -> str:
    """Declare a member counter (achievements and quest goals may name it); returns its name.

    Raises:
        ValueError: another feature declared the same name differently.
    """
    spec = CounterSpec(name, description, best_of)
    known = _COUNTERS.setdefault(name, spec)
    if known != spec:
        raise ValueError(f"counter {name!r} is declared twice, differently")
    return name


def kinds() -> Mapping[str, type[Activity]]:
    """Every registered activity kind."""
    return MappingProxyType(_KINDS)


def kind_of(kind: str) -> type[Activity]:
    """The class registered for `kind`.

    Raises:
        LookupError: no installed feature declares that kind.
    """
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"unknown activity kind {kind!r}") from None


def known_counters() -> Mapping[str, CounterSpec]:
    """Every counter declared by the features imported so far."""
    return MappingProxyType(_COUNTERS)


def load(
    kind: str,
    version: int,
    *,
    community_id: CommunityId,
    member_id: MemberId,
    key: str,
    occurred_at: datetime,
    data: Mapping[str, Any],
) -> Activity:
    """Rebuild a stored activity (upgrading data written by an older version).

    Raises:
        LookupError: the kind is not registered.
    """
    cls = kind_of(kind)
    values = dict(data) if version == cls.version else cls.upgrade(version, dict(data))
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return cls(
        community_id=community_id,
        member_id=member_id,
        key=key,
        occurred_at=occurred_at,
        **values,
    )


class Projection(Protocol):
    """State derived from activities, applied a batch at a time.

    `apply` gets only the kinds in `kinds` (or every kind when `kinds` holds
    `ANY_KIND`), in the order they were recorded. It may record further
    activities (an XP gain, an unlock); those are applied in a later batch.
    """

    @property
    def name(self) -> str: ...

    @property
    def kinds(self) -> Collection[str]: ...

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None: ...


ActivityHandler = Callable[["UnitOfWork", T], Awaitable[None]]
"""One activity at a time: `async def handle(uow, activity) -> None` (see `each`)."""


@dataclass(frozen=True)
class EachActivity:
    """A projection that handles the activities of a batch one by one.

    For small projections (an announcement, a nudge); a projection over many
    rows should write a whole batch with multi-row statements instead.
    """

    name: str
    kinds: Collection[str]
    handler: ActivityHandler[Any]

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        for item in batch:
            await self.handler(uow, item)


def each(
    name: str,
    kinds: type[T] | Collection[type[T]] | Collection[str],
    handler: ActivityHandler[T],
) -> EachActivity:
    """Make a projection that calls `handler(uow, activity)` for each activity of `kinds`.

    `kinds` is an activity class, several, or kind strings (from config).
    """
    listed: Collection[type[Activity] | str] = (kinds,) if isinstance(kinds, type) else kinds
    names = tuple(k if isinstance(k, str) else k.kind for k in listed)
    return EachActivity(name, names, handler)


def named_members(activities: Sequence[Activity]) -> set[int]:
    """Members whose own reads should wait for these activities: actors and counted members.

    A gift names its giver (the actor) and moves its receiver's counters, so both
    see it at once on their next `/profile`; everybody else sees it a moment later.
    """
    named = {int(a.member_id) for a in activities}
    for a in activities:
        named.update(int(m.member_id) for m in a.counter_moves())
    return named


class Settler(Protocol):
    """What applies committed activities (the projector); reads wait on it."""

    async def settle(self, member_id: MemberId | None = None) -> None: ...

    def unsettled(self) -> Collection[int]: ...


class ActivityBus:
    """The registered projections, and the routing of activities to them."""

    def __init__(self) -> None:
        self._projections: list[Projection] = []
        self._settler: Settler | None = None

    def attach(self, settler: Settler) -> None:
        """Let `settle()` wait for this projector (the unit-of-work factory attaches it)."""
        self._settler = settler

    async def settle(self, member_id: MemberId | None = None) -> None:
        """Wait until this process's committed activities are applied (read your own writes).

        With `member_id`, only until those naming that member are: a member's read
        must not look stale to them, but it need not wait for everybody else's
        writes (under load that wait was the whole projection lag).
        """
        if self._settler is not None:
            await self._settler.settle(member_id)

    def unsettled(self) -> Collection[int]:
        """The members named by this process's commits that are not applied yet.

        A read that learns who its caller is only inside its own transaction
        takes this before the transaction starts: a caller not in it had
        nothing left to apply then, so that transaction already sees all of
        their writes, with no wait and no second transaction.
        """
        return () if self._settler is None else self._settler.unsettled()

    def register(self, projection: Projection) -> None:
        """Add a projection (its name must be new)."""
        if any(p.name == projection.name for p in self._projections):
            raise ValueError(f"projection {projection.name!r} registered twice")
        self._projections.append(projection)

    @property
    def projections(self) -> tuple[Projection, ...]:
        return tuple(self._projections)

    def projections_for(self, kind: str) -> list[Projection]:
        return [p for p in self._projections if kind in p.kinds or ANY_KIND in p.kinds]

    async def apply(self, uow: UnitOfWork, pending: list[Activity]) -> list[Activity]:
        """Apply pending activities to every projection until none records more.

        Each projection gets each activity once, as early as it can: what a
        projection records (XP's `xp_gained`) reaches the projections after it
        in the same pass, so boards, counters and quests take a batch's gains
        in the call that takes the batch itself (a second pass of their reads
        and upserts was about a sixth of a small batch's statements); those
        before it get it in the next pass. A projection sees activities in log
        order. Returns every activity applied, `pending`'s first, then what
        the projections recorded. Raises whatever a projection raises, so the
        unit of work rolls back whole.
        """
        applied: list[Activity] = []
        seen = [0] * len(self._projections)  # how far into `applied` each has been fed
        passes = 0
        while pending or any(n < len(applied) for n in seen):
            passes += 1
            if passes > 20:  # a projection loop would otherwise never commit
                raise RuntimeError("projections keep recording new activities")
            for index, projection in enumerate(self._projections):
                applied += pending
                pending.clear()
                fresh = applied[seen[index] :]
                seen[index] = len(applied)
                wanted = projection.kinds
                if ANY_KIND in wanted:
                    chosen: Sequence[Activity] = fresh
                else:
                    chosen = [a for a in fresh if a.kind in wanted]
                if chosen:
                    await projection.apply(uow, chosen)
            applied += pending
            pending.clear()
        return applied
