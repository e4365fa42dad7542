"""Words of the leaderboard commands."""

MESSAGES = {
    "leaderboards.season_invalid": "**{season}** is not a {period} season. Name a {period} like"
    " `{example}`.",
    "leaderboards.season_all_time": "The all-time board has no seasons. Ask for `week` or `month`"
    " with `--season {season}`.",
    "leaderboards.season_future": "Season **{season}** hasn't started yet.",
}

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
