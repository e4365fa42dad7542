"""Pure rules: Elo, who may accept, the stake's bounds."""

from __future__ import annotations

from domain.battles.errors import NegativeStakeError, StakesDisabledError, StakeTooLargeError


def expected(rating: int, other: int) -> float:
    """The chance Elo gives `rating` of beating `other`."""
    return 1.0 / (1.0 + 10 ** ((other - rating) / 400))


def elo_change(rating: int, other: int, score: float, k: int) -> int:
    """Points a rating moves after a game scored 1 (win), 0.5 (draw) or 0 (loss)."""
    return round(k * (score - expected(rating, other)))


def k_for(battles_before: int, k: int, provisional_k: int, provisional_battles: int) -> int:
    """A higher K while a member's rating is provisional, so it finds its level fast."""
    return provisional_k if battles_before < provisional_battles else k


def check_stake(stake: int, cap: int) -> None:
    """Refuse a negative stake, stakes where disabled, and stakes above the cap.

    Raises:
        NegativeStakeError, StakesDisabledError, StakeTooLargeError.
    """
    if stake < 0:
        raise NegativeStakeError(stake=stake)
    if stake and cap == 0:
        raise StakesDisabledError()
    if stake > cap:
        raise StakeTooLargeError(stake=stake, cap=cap)
