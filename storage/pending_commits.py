"""This process's commits whose activities the projector has not applied yet, by member.

A member's read waits for their own activities only (`Projector.settle`). A
watermark ("every commit up to N is applied") cannot say that on PostgreSQL,
where several drains apply disjoint batches and there is rarely a moment with
none in flight: reads right after one's own check-in waited 10 s and more under
load. Each commit is instead tracked by the activities it logged, and is done
when the projector has applied all of them (or when a watermark passes it: an
activity another process applied, say).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping


class PendingCommits:
    """Open commits: which activities each still waits for, and whom they name."""

    def __init__(self) -> None:
        self.last = 0  # the sequence number of the latest commit
        self._commit_of: dict[int, int] = {}  # activity log row id -> commit
        self._left: dict[int, int] = {}  # commit -> activities not yet applied
        self._members: dict[int, frozenset[int]] = {}
        self._since: dict[int, float] = {}
        self._open_for: dict[int, set[int]] = {}  # member -> their open commits

    def add(self, logged: Mapping[int, frozenset[int]]) -> int:
        """Note a commit of `logged` activities (row id: the members it names)."""
        self.last += 1
        commit = self.last
        if not logged:  # every activity was already in the log: nothing to wait for
            return commit
        self._since[commit] = time.perf_counter()
        self._left[commit] = 0
        members: set[int] = set()
        for row_id, named in logged.items():
            self._commit_of[row_id] = commit
            self._left[commit] += 1
            members |= named
        self._members[commit] = frozenset(members)
        for member in members:
            self._open_for.setdefault(member, set()).add(commit)
        return commit

    def applied(self, row_ids: Iterable[int]) -> list[float]:
        """A projector applied these rows: the lag (ms) of each commit that is now done."""
        done = []
        for row_id in row_ids:
            commit = self._commit_of.pop(row_id, None)
            if commit is not None:
                self._left[commit] -= 1
                if self._left[commit] == 0:
                    done.append(commit)
        return [self._done(c) for c in done]

    def settled(self, mark: int) -> list[float]:
        """Every commit up to `mark` is applied, whoever applied it: their lags (ms)."""
        done = [c for c in self._left if c <= mark]
        if done:
            self._commit_of = {i: c for i, c in self._commit_of.items() if c > mark}
        return [self._done(c) for c in done]

    def rows(self) -> list[int]:
        """Every row id still waiting (to ask the database which are applied)."""
        return list(self._commit_of)

    def oldest_seconds(self) -> float:
        """How long the oldest open commit has waited (0 with none open)."""
        if not self._since:
            return 0.0
        return time.perf_counter() - next(iter(self._since.values()))  # in commit order

    def open_through(self, commit: int) -> bool:
        """Whether any commit up to `commit` is still open."""
        return any(c <= commit for c in self._left)

    def waits(self, member: int) -> bool:
        """Whether a commit naming `member` is still open."""
        return bool(self._open_for.get(member))

    def waiting(self) -> frozenset[int]:
        """Every member some open commit names (a copy: the set moves on)."""
        return frozenset(self._open_for)

    def _done(self, commit: int) -> float:
        del self._left[commit]
        for member in self._members.pop(commit):
            open_ = self._open_for[member]
            open_.discard(commit)
            if not open_:
                del self._open_for[member]
        return (time.perf_counter() - self._since.pop(commit)) * 1000
