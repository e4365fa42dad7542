"""Words of governance: refusals by error code, and the words on cards."""

MESSAGES = {
    # refusals
    "proposals.not_found": "I couldn't find proposal **#{id}** here. `/proposals` lists them.",
    "proposals.voting_closed": "Voting on **#{id}** is closed (deadline {closes_at}, status"
    " **{status}**) — your vote was not counted.",
    "proposals.not_active": "Proposal **#{id}** is no longer active (it is **{status}**).",
    "proposals.not_approved": "Only an approved proposal can be marked implemented; **#{id}**"
    " is **{status}**.",
    "proposals.own_proposal": "**#{id}** is your own proposal, and closing or implementing it"
    " pays you — ask another moderator.",
    "proposals.not_author": "Only the author of **#{id}** can withdraw it.",
    "proposals.too_many_open": "You already have **{open}** active proposals (the limit is"
    " {limit}). Wait for one to close, or withdraw one with `/proposal withdraw`.",
    "proposals.tier_too_low": "You need to reach tier **{needed}** (you are **{tier}**) before"
    " you can {action}. Keep taking part — you'll get there!",
    "proposals.too_new": "New members can {action} after {days} days here — that's in {wait}.",
    "proposals.no_vote": "You have no vote on **#{id}** to take back.",
    # statuses and outcomes, shown on cards
    "proposals.status.active": "🟢 Voting open",
    "proposals.status.approved": "✅ Approved",
    "proposals.status.rejected": "❌ Rejected",
    "proposals.status.implemented": "🚀 Implemented",
    "proposals.status.withdrawn": "↩️ Withdrawn by the author",
    "proposals.outcome.passed": "Quorum met ({voters} of {needed} voters) and the {approval}"
    " threshold reached.",
    "proposals.outcome.quorum_not_met": "Quorum not met: {voters} of the {needed} voters needed.",
    "proposals.outcome.threshold_not_met": "The {approval} threshold was not reached.",
    "proposals.outcome.rejected_by_moderator": "Rejected by a moderator.",
    "proposals.approval.majority": "simple majority",
    "proposals.approval.two_thirds": "two-thirds",
    "proposals.approval.three_quarters": "three-quarters",
    "proposals.approval.unanimous": "unanimous",
    "proposals.tally.visible": "👍 For **{for_}** · 👎 Against **{against}** · 🤷 Abstain"
    " **{abstain}** ({voters})",
    "proposals.tally.hidden": "Hidden until close ({voters} so far)",
    "proposals.tally.weighted": " — weighted",
    "proposals.anonymous": "Anonymous voting: nobody, moderators included, can see who voted what.",
    "proposals.not_a_number": "“{given}” is not a proposal number",
    "proposals.button_not_a_vote": "that button is not a vote",
    "proposals.button_out_of_date": "that button is out of date",
    "proposals.bad_link": "**link** must be a web address starting with https://",
    "proposals.card.footer": "Vote with the buttons, 👍/👎 reactions, or `/vote {id} for`.",
    "proposals.card.footer_anonymous": "Vote with the buttons or `/vote {id} for` — reactions"
    " don't count here: everyone can see who reacted.",
    "proposals.anonymous_reaction": "Voting on **#{id}** is anonymous, and everyone can see who"
    " reacted, so reactions don't count there. Use the card's buttons or `/vote {id} for`"
    " instead; your reaction changed nothing.",
    # replies
    "proposals.voted": "Your vote on **#{id}** is now **{choice}**.",
    "proposals.vote_changed": "You changed your vote on **#{id}** from **{previous}** to"
    " **{choice}**.",
    "proposals.vote_same": "Your vote on **#{id}** was already **{choice}** — nothing changed.",
    "proposals.retracted": "You took back your **{previous}** vote on **#{id}**.",
    "proposals.retract_other": "Your vote on **#{id}** is **{choice}**, so removing that"
    " reaction changed nothing.",
    "proposals.vote_points": " +{points} points for taking part.",
    "proposals.similar": "⚠ Looks like {similar} — is this the same idea? Consider voting"
    " there instead (or withdraw this one).",
    "proposals.withdrawn": "You withdrew **#{id}** “{title}”.",
    "proposals.result_title": "Proposal #{id} {status_word}: {title}",
    "proposals.implemented_title": "🚀 Proposal #{id} is implemented: {title}",
    "proposals.implemented_dm": "Your proposal **#{id}** “{title}” is now implemented — thank"
    " you for making the community better!{points}",
    "proposals.implemented_points": " You earned **{points}** points.",
    "proposals.implemented_reply": "Marked **#{id}** “{title}” implemented. The author has been"
    " told.",
    "proposals.list_empty": "No proposals match. Start one with `/proposal create`.",
    "proposals.export_done": "Exported {count} proposals.",
    # cards
    "proposals.voters": "{n} voter|{n} voters",
    "proposals.button.for": "For",
    "proposals.button.against": "Against",
    "proposals.button.abstain": "Abstain",
    "proposals.field.type": "Type",
    "proposals.field.author": "Author",
    "proposals.field.status": "Status",
    "proposals.field.deadline": "Deadline",
    "proposals.field.closed": "Closed",
    "proposals.field.tally": "Tally",
    "proposals.field.outcome": "Outcome",
    "proposals.field.link": "Link",
    "proposals.field.time_left": "Time left",
    "proposals.field.quorum": "Quorum",
    "proposals.field.your_vote": "Your vote",
    "proposals.field.history": "History",
    "proposals.type.feature": "Feature",
    "proposals.type.improvement": "Improvement",
    "proposals.type.policy": "Policy",
    "proposals.type.content": "Content",
    "proposals.closes_in": "closes in {wait}",
    "proposals.closing_now": "closing now",
    "proposals.closing": "closing",
    "proposals.closed": "closed",
    "proposals.quorum_none": "no quorum required",
    "proposals.quorum_met": "{bar} met: {voters}, {needed} needed",
    "proposals.quorum_progress": "{bar} {have} of {needed} needed",
    "proposals.no_vote_yet": "none yet",
    "proposals.did_not_vote": "you did not vote",
    "proposals.result_approved": "approved",
    "proposals.result_rejected": "rejected",
    "proposals.list_title": "Proposals",
    "proposals.list_line": "**#{id}** · {title} — {type} · {when}",
    "proposals.list_previous": "◀ Previous",
    "proposals.list_next": "Next ▶",
    "proposals.list_footer": "Page {page} of {pages} · /proposal show <id> for details",
    "proposals.proposed_by": "Proposed by **{author}**.",
    # history lines of /proposal show
    "proposals.history.deadline": "the deadline",
    "proposals.history.someone": "someone",
    "proposals.history.created": "created",
    "proposals.history.line": "{what} by {who}",
}
