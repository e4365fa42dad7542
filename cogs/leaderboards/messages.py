"""Words of the leaderboard commands."""

MESSAGES = {
    "leaderboards.row": "{place} {who} — **{score}** {unit}",
    "leaderboards.empty_now": "Nobody is on this board yet.",
    "leaderboards.empty_season": "Nobody scored that season.",
    "leaderboards.not_on_board": "You're not on this board yet.",
    "leaderboards.how_to_join": " Check in, vote or take a quest to get on it!",
    "leaderboards.your_place": "You're #{position} of {out_of} with {score} {unit}",
    "leaderboards.behind": " — {gap} {unit} behind {who} for #{position}.",
    "leaderboards.top": " — top of the board! 🎉",
    "leaderboards.season_invalid": "**{season}** is not a {period} season. Name a {period} like"
    " `{example}`.",
    "leaderboards.season_all_time": "The all-time board has no seasons. Ask for `week` or `month`"
    " with `--season {season}`.",
    "leaderboards.season_future": "Season **{season}** hasn't started yet.",
    "leaderboards.board.points": "Points",
    "leaderboards.board.xp": "XP",
    "leaderboards.board.streak": "Streaks",
    "leaderboards.board.battle": "Battles",
    "leaderboards.title_all": "🏆 {board} — all time",
    "leaderboards.title_current": "🏆 {board} — this {period}{span}",
    "leaderboards.title_season": "🏆 {board} — {period} {season}{span}",
    "leaderboards.span": " ({first} – {last})",
}

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
