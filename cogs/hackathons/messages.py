"""The words of the hackathons feature."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "hackathons.not_found": "I couldn't find hackathon #{what}.",
    "hackathons.bad_prizes": "“{given}” is not a prize list: write points per place, like"
    " `500,300,100` (at most ten places).",
    "hackathons.deadlines_out_of_order": "Voting must end after submissions close: I"
    " understood submissions until {submit_by} and voting until {vote_by}.",
    "hackathons.team_size": "A team has 1 to {maximum} members, not {size}.",
    "hackathons.team_full": "**{team}** already has {size} members, the most a team may have.",
    "hackathons.already_in_team": "You're already in **{team}** for hackathon #{id}:"
    " `/hackathon leave {id}` first.",
    "hackathons.not_in_team": "You're not in a team for hackathon #{id}: `/hackathon join {id}`"
    " first.",
    "hackathons.submissions_closed": "Submissions for #{id} “{title}” closed at {deadline}.",
    "hackathons.voting_not_open": "Voting for #{id} “{title}” is not open.",
    "hackathons.own_team": "You can't vote for your own team.",
    "hackathons.already_voted": "You already voted in hackathon #{id}: one vote per member.",
    "hackathons.no_entry": "Hackathon #{id} has no entry “{given}”.",
    "hackathons.bad_link": "“{given}” is not a link: it must start with https://.",
    "hackathons.created": "Hackathon created. Members join with `/hackathon join {id} [team]`.",
    "hackathons.joined_new": "You founded **{team}** in hackathon #{id}. Others join with"
    " `/hackathon join {id} {team}`.",
    "hackathons.joined": "You joined **{team}** in hackathon #{id}.",
    "hackathons.left": "You left **{team}** in hackathon #{id}.",
    "hackathons.submitted": "**{team}**'s entry is in. You can change it until {deadline}.",
    "hackathons.resubmitted": "**{team}**'s entry is updated.",
    "hackathons.voted": "Your vote is in. Nobody will ever see who you voted for.",
    "hackathons.button_out_of_date": "that button is out of date",
    "hackathons.card.title": "🛠️ Hackathon #{id} · {title}",
    "hackathons.card.phase": "Phase",
    "hackathons.card.submit_by": "Submissions until",
    "hackathons.card.vote_by": "Voting until",
    "hackathons.card.prizes": "Prizes",
    "hackathons.card.team_size": "Team size",
    "hackathons.card.teams": "Teams",
    "hackathons.card.no_prizes": "glory",
    "hackathons.phase.open": "open for teams and entries",
    "hackathons.phase.voting": "voting",
    "hackathons.phase.finished": "finished",
    "hackathons.gallery.title": "🏁 #{id} · {title}: the entries",
    "hackathons.gallery.text": "Vote for your favourite with a button or `/hackathon vote"
    " {id} <team>` — one vote each, not for your own team, anonymous.",
    "hackathons.gallery.empty": "No entries were submitted.",
    "hackathons.results.title": "🏆 #{id} · {title}: results",
    "hackathons.results.line": "{place}. **{team}** — {votes} · {prize}",
    "hackathons.results.none": "Nobody received a vote, so no prizes were paid.",
    "count.votes": "{n} vote|{n} votes",
}
