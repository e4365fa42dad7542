"""Words of the points commands."""

MESSAGES = {
    "points.balance_self": "You have {points}.",
    "points.balance_other": "{who} has {points}.",
    "points.gave": "{giver} gave {receiver} {points}",
    "points.with_reason": " — “{reason}”",
    "points.end": ".",
    "points.your_balance": "Your balance: {balance}",
    "points.member_balance": "{name}'s balance: {balance}",
    "points.awarded": "{moderator} awarded {who} {points} — “{reason}”.",
    "points.revoked": "Revoked {points} from {who} — “{reason}”.",
    "points.locked": "Locked {who}: they can't earn or spend points until unlocked — “{reason}”.",
    "points.unlocked": "Unlocked {who}.",
    "points.locked_you": "You are locked by the moderators and can't earn or spend points"
    " ({reason}).",
    "points.history_title": "Points history",
    "points.history_yours": "Your ledger, newest first:",
    "points.history_theirs": "{who}'s ledger, newest first:",
    "points.history_empty": "No points moved yet.",
    "points.history_footer": "Page {page} of {pages} · {entries}",
    "points.history_newer": "◀ Newer",
    "points.history_older": "Older ▶",
    "points.history_to": " to {who}",
    "points.history_from": " from {who}",
    "points.history_expires": " · expires {date}",
    "points.button_out_of_date": "that button is out of date",
    "points.that_member": "that member",
    "count.entries": "{n} entry|{n} entries",
    "points.kind.earned": "earned",
    "points.kind.spent": "spent",
    "points.kind.gifted": "gave",
    "points.kind.received": "received",
    "points.kind.expired": "expired",
    "points.kind.adjusted": "adjusted by a moderator",
    "points.kind.refunded": "refunded",
    "points.kind.held": "held in escrow",
    "points.kind.released": "paid from escrow",
    "points.kind.returned": "returned from escrow",
    "points.kind.purchased": "bought",
    "points.kind.clawed_back": "taken back after a refund",
    "escrow.settled": "That escrow has **{remaining}** points left, so **{amount}** can't be paid"
    " out of it.",
    "escrow.invalid_split": "A split is whole percentages adding up to 100 (these add up to"
    " {total}).",
    "escrow.invalid_fee": "A fee is a percentage from 0 to 100 (not {fee}).",
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
