"""Which credits are still unspent, spending the oldest first (FIFO)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from domain.points.model import EntryKind, LedgerEntry

EXPIRE_KEY_PREFIX = "expire:"


def expire_key(entry_id: int) -> str:
    """The key of the entry that expires credit `entry_id`: one expiry per credit."""
    return f"{EXPIRE_KEY_PREFIX}{entry_id}"


def unspent(entries: Iterable[LedgerEntry]) -> dict[int, int]:
    """Replay a member's ledger (oldest first) and return what is left of each credit.

    Every credit is a lot; a debit (spent, gifted, revoked) eats the oldest
    lots first; an `expired` entry removes what was left of the one lot its
    key names. The lots left always sum to the balance, so expiring them can
    never overdraw.
    """
    left: dict[int, int] = {}
    queue: deque[int] = deque()
    for e in entries:
        if e.amount > 0:
            left[e.id] = e.amount
            queue.append(e.id)
        elif e.kind is EntryKind.EXPIRED and e.key.startswith(EXPIRE_KEY_PREFIX):
            lot = int(e.key.removeprefix(EXPIRE_KEY_PREFIX))
            if lot in left:
                left[lot] = max(left[lot] + e.amount, 0)
        else:
            owed = -e.amount
            while owed > 0 and queue:
                lot = queue[0]
                take = min(owed, left[lot])
                left[lot] -= take
                owed -= take
                if left[lot] == 0:
                    queue.popleft()
    return left
