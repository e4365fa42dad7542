"""Words of the points commands."""

MESSAGES = {
    "points.insufficient": "You have **{balance}** points, so you can't give **{amount}**.",
    "points.gift_self": "You can't give points to yourself — thank someone else!",
    "points.amount_not_positive": "The amount must be a whole number above zero"
    " (you gave {amount}).",
    "points.gift_too_large": "One gift can be at most **{maximum}** points (you tried {amount}).",
    "points.gift_quota": "You can give **{quota}** points a day and have given **{given}** today,"
    " so **{left}** are left. The quota resets in {resets_in}.",
    "points.self_dealing": "Moderators can't award, revoke, lock or unlock themselves"
    " — ask another moderator.",
    "points.reason_required": "Please give a reason; it is kept with the record.",
    "points.revoke_too_large": "**{name}** has only **{balance}** points, so you can't revoke"
    " **{amount}**.",
    "points.not_locked": "**{name}** is not locked.",
    "points.history_page": "The history has only **{pages}** {unit};"
    " page **{page}** is past the end.",
    "points.already_locked": "**{name}** is already locked ({reason}).",
}
