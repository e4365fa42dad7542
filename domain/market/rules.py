"""Pure rules of the marketplace."""

from __future__ import annotations

from domain.market.model import Score


def bayesian(total_stars: int, count: int, prior_mean: float, prior_weight: float) -> Score:
    """The average pulled toward `prior_mean` as if `prior_weight` ratings of it existed.

    One five-star rating should not outrank fifty ratings averaging 4.8; the
    prior fades as real ratings accumulate.
    """
    if count == 0 and prior_weight == 0:
        return Score(0.0, 0)
    average = (prior_mean * prior_weight + total_stars) / (prior_weight + count)
    return Score(round(average, 2), count)
