"""Words of the invitation and referral commands."""

MESSAGES = {
    "referrals.invite_title": "✉️ Your invite",
    "referrals.invite_link": "Share this invite: **https://discord.gg/{invite_code}**\n"
    "When someone joins through it and becomes active ({checkins} check-ins within"
    " {days} days), you get **{points}** points.",
    "referrals.invite_code": "Your referral code is **{invite_code}**. A newcomer types"
    " `/join {invite_code}` on their first day. When they become active ({checkins}"
    " check-ins within {days} days), you get **{points}** points.",
    "referrals.invite_audit_reason": "Guildhall /invite",
    "referrals.invite_joins": "Joined through it so far: {joins}.",
    "referrals.joined": "Welcome! You joined through {who}'s invite. Check in {checkins} times"
    " in your first {days} days and you both win.",
    "referrals.refused": "That invite can't be used here.",
    "referrals.refused.unknown_code": "There's no invite with the code **{invite_code}** here."
    " Check the spelling, or ask the member who invited you for theirs.",
    "referrals.refused.self": "That's your own invite — share it with someone new instead.",
    "referrals.refused.too_late": "`/join` works during your first {hours} hours here, and that"
    " has passed.",
    "referrals.refused.already": "You already joined through an invite; it can't be changed.",
    "referrals.activated": "🎉 {who}, whom you invited, is now an active member: **+{points}**"
    " points for you.",
    "referrals.weeks_title": "📣 Invitations, last {weeks} weeks",
    "referrals.week": "Week of {week}: {invites} invites · {joins} joins · {activations} active"
    " · K = {k}",
    "referrals.k_note": "K = invites per member × activation rate; above 1.0 the community grows"
    " by itself.",
}
