"""Distinct id types, so a member id is never passed where a community id belongs."""

from collections.abc import Sequence
from typing import NewType, cast

CommunityId = NewType("CommunityId", int)
MemberId = NewType("MemberId", int)

MAX_ID = 2**31 - 1
"""The largest id a row can have: ids are 32-bit integers on PostgreSQL.

A number a member types beyond it names nothing (and PostgreSQL would refuse
it as a query argument), so lookups treat it as "not found" before asking.
"""


def parse_id(word: str | None) -> int | None:
    """The row number a member typed or a button carries, or None if it cannot name a row.

    One parser for every feature, so "3", " 3 " and "003" mean the same row
    everywhere, and signs, decimals, non-ASCII digits ("٣"), zero and numbers
    beyond `MAX_ID` are refused the same way (as "no such thing", never a crash).
    """
    if word is None:
        return None
    word = word.strip()
    if not word or len(word) > len(str(MAX_ID)) + 2 or not (word.isascii() and word.isdigit()):
        return None
    value = int(word)
    return value if 0 < value <= MAX_ID else None


def parse_ids(words: Sequence[str], count: int) -> tuple[int, ...] | None:
    """Exactly `count` row numbers (a button's arguments, say), or None if any is not one."""
    if len(words) != count:
        return None
    ids = tuple(parse_id(w) for w in words)
    return None if None in ids else cast(tuple[int, ...], ids)


def parse_ref(word: str | None) -> int | None:
    """A row number as members see it on cards ("#12") or type it ("12"); None otherwise."""
    if word is None:
        return None
    return parse_id(word.strip().removeprefix("#"))
