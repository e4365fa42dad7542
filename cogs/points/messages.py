"""Words of the points commands."""

MESSAGES = {
    "points.insufficient": "You have **{balance}** points, so you can't give **{amount}**.",
    "points.gift_self": "You can't give points to yourself — thank someone else!",
    "points.amount_not_positive": "The amount must be a whole number above zero"
    " (you gave {amount}).",
    "points.gift_too_large": "One gift can be at most **{maximum}** points (you tried {amount}).",
}
