"""Pure rules: prize lists, places with ties, and splitting a prize within a team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.core.ids import MemberId
from domain.hackathons.errors import BadPrizesError
from domain.hackathons.model import TeamId

MAX_PRIZES = 10


def parse_prizes(text: str | None) -> tuple[int, ...]:
    """Read a prize list such as "500,300,100" as (500, 300, 100); empty means no prizes.

    Raises:
        BadPrizesError: not whole positive numbers, or more than ten places.
    """
    if not text or not text.strip():
        return ()
    parts = [p.strip() for p in text.replace(" ", "").split(",")]
    if len(parts) > MAX_PRIZES or not all(
        (p.isascii() and p.isdigit()) and 0 < len(p) <= 7 for p in parts
    ):
        raise BadPrizesError(given=text[:40])
    prizes = tuple(int(p) for p in parts)
    if any(p <= 0 for p in prizes):
        raise BadPrizesError(given=text[:40])
    return prizes


def places(votes: Mapping[TeamId, int], prizes: Sequence[int]) -> dict[TeamId, tuple[int, int]]:
    """Each voted-for team's (place, prize for the team).

    Teams with the same votes share a place and split its prize (the team
    listed first keeps the remainder); the next team takes the next place.
    Teams nobody voted for win nothing.
    """
    ranked = sorted(((n, t) for t, n in votes.items() if n > 0), key=lambda x: (-x[0], x[1]))
    out: dict[TeamId, tuple[int, int]] = {}
    place = 0
    previous: int | None = None
    groups: dict[int, list[TeamId]] = {}
    for n, team in ranked:
        if n != previous:
            place += 1
            previous = n
        groups.setdefault(place, []).append(team)
    for place, teams in groups.items():
        pot = prizes[place - 1] if place <= len(prizes) else 0
        for team, share in zip(teams, split(pot, len(teams)), strict=True):
            out[team] = (place, share)
    return out


def split(amount: int, ways: int) -> list[int]:
    """`amount` in `ways` whole shares; the remainder goes to the first."""
    if ways <= 0:
        return []
    share, rest = divmod(amount, ways)
    return [share + rest] + [share] * (ways - 1)


def payouts(prize: int, members: Sequence[MemberId]) -> list[tuple[MemberId, int]]:
    """A team's prize split evenly among its members, the remainder to the first member."""
    return [(m, s) for m, s in zip(members, split(prize, len(members)), strict=True) if s > 0]
