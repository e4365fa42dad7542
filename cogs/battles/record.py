"""The /battle stats card: a member's rating, record, streak and best win."""

from __future__ import annotations

from cogs.kit import Field, Reply
from cogs.kit.messages import text
from domain.battles import BattlesSection, Rating


def stats(name: str, rating: Rating | None, cfg: BattlesSection) -> Reply:
    """/battle stats: rating, record, streak and best win."""
    if rating is None or rating.battles == 0:
        return Reply(
            title=text("battles.stats_title", name=name),
            text=text("battles.stats_none", name=name),
        )
    provisional = text("battles.provisional") if rating.battles < cfg.provisional_battles else ""
    best = (
        text(
            "battles.best_win_value",
            id=rating.best_win_battle,
            rating=rating.best_win_opponent_rating,
        )
        if rating.best_win_battle is not None
        else text("battles.no_best_win")
    )
    return Reply(
        title=text("battles.stats_title", name=name),
        fields=(
            Field(text("battles.field.rating"), f"**{rating.rating}**{provisional}"),
            Field(
                text("battles.field.record"), f"{rating.wins} / {rating.losses} / {rating.draws}"
            ),
            Field(
                text("battles.field.streak"),
                text("battles.streak_value", streak=rating.streak, best=rating.best_streak),
            ),
            Field(text("battles.field.best_win"), best),
        ),
    )
