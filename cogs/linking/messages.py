"""Words of linking: workspaces, accounts, and what a merge did."""

MESSAGES = {
    "linking.code_invalid": "That code is unknown, used or expired. Ask for a new one.",
    "linking.same_community": "These workspaces already are one community.",
    "linking.same_workspace": "Enter that code on your **other** platform, not here.",
    "linking.last_workspace": "That is this community's only workspace; nothing to remove.",
    "linking.workspace_unknown": "**{workspace}** is not a workspace of this community."
    " See `/admin link status`.",
    "linking.other_community": "Those accounts are in different communities. A moderator links"
    " the Discord server and the Slack workspace first (`/admin link start`).",
    "linking.already_linked": "Those accounts already are one member.",
    "linking.platform_taken": "You already have a linked {platform} account: one account per"
    " platform. `/unlink` it first.",
    "linking.locked": "**{name}** is locked by the moderators, so it can't be linked.",
    "linking.nothing_to_unlink": "This is your only account; there is nothing to unlink.",
    "linking.ws_code": "Link code: **{link_code}** (valid for {minutes} minutes, once).\nOn the"
    " other platform, a moderator runs `/admin link finish {link_code}`.",
    "linking.ws_card_title": "Link these into one community?",
    "linking.ws_card": "**{there}** ({there_where}) and **{here}** ({here_where}) become one"
    " community: one ledger, one set of proposals, quests and events, one leaderboard."
    "\nMembers are not merged: each person links their accounts with `/link`."
    "\nChoose whose settings (name, time zone) the community keeps.",
    "linking.ws_keep": "Confirm — keep {name}'s settings",
    "linking.ws_cancel": "Cancel",
    "linking.ws_cancelled": "Nothing was linked.",
    "linking.ws_linked": "Linked: **{name}** now spans {where}. {members} moved over;"
    " {renamed} clashing keys were renamed.",
    "linking.ws_status_title": "Workspaces of {name}",
    "linking.ws_status_line": "• {platform} `{workspace}`",
    "linking.ws_removed": "Removed {platform} `{workspace}`. Its data stays here."
    " {accounts} detached; {orphans} had no other account: their history stays in this"
    " community, and in that workspace they start again as new members.",
    "linking.member_code": "Your link code: **{link_code}** (valid for {minutes} minutes, once)."
    "\nOn your other platform, run `/link {link_code}`. Don't share it: whoever types it"
    " joins their account to yours.",
    "linking.member_code_sent": "I sent you your link code by direct message. Type it on your"
    " other platform with `/link CODE`.",
    "linking.member_linked": "Linked! Your accounts are one member now: {points} and {xp} XP"
    " came over; {votes} double votes and {checkins} double check-ins were counted once.",
    "linking.unlinked": "Unlinked this account. Your history stays with your member; from"
    " now on this account starts fresh.",
    "count.members": "**{n}** member|**{n}** members",
    "count.accounts": "**{n}** account|**{n}** accounts",
}
