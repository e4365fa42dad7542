"""Words of /credits and /premium."""

MESSAGES = {
    "payments.button_out_of_date": "that button is out of date",
    "payments.not_set_up": "Payments are not set up in this community yet.",
    "payments.unknown_pack": "There is no pack or plan called **{id}** here.",
    "payments.no_subscription": "You have no premium subscription to manage yet — see"
    " `/premium plans`.",
    "payments.provider_error": "The payment provider didn't answer. Nothing was charged; please"
    " try again in a minute.",
    "payments.packs_title": "Buy credits",
    "payments.packs_text": "Choose a pack; you pay on Stripe's page and the credits arrive"
    " right after.",
    "payments.pack_line": "**{name}** — {credits} for {price}",
    "payments.pack_button": "{name} · {price}",
    "payments.checkout": "Pay here (the link is yours alone): {url}",
    "payments.open_checkout": "Open checkout",
    "payments.plans_title": "Premium",
    "payments.plan_line": "**{name}** — points ×{multiplier}{role}",
    "payments.plan_role": ", the {role} role",
    "payments.status_active": "You are on **{plan}** until {until}.",
    "payments.status_none": "You have no premium plan.",
    "payments.portal": "Manage your subscription here: {url}",
    "payments.open_portal": "Open billing portal",
    "payments.receipt": "Thank you! Your payment went through: {credits} are yours ({pack}).",
    "payments.clawed": "Your payment was refunded or disputed, so {taken} were taken back.",
    "payments.clawed_debt": "Your payment was refunded or disputed, so {taken} were taken"
    " back. You still owe {debt}: the next points you earn or buy pay it off first, so there"
    " is nothing to spend until then.",
    "payments.debt_moderators": "A refunded or disputed payment left {member} owing"
    " {debt}. Their next points pay it off first; `/points award` settles it sooner.",
    "payments.debt_settled": "Your debt is paid off ({paid} from your latest points). What you"
    " earn from now on is yours to spend.",
    "payments.premium_started": "Welcome to **{plan}**! While it lasts: points ×{multiplier},"
    " ×{ai} AI mentor tokens a day, {battles} more battles a day and {mentees} more mentees.",
    "payments.premium_ended": "Your **{plan}** plan has ended, and its perks with it. You can"
    " subscribe again with `/premium plans`.",
}
