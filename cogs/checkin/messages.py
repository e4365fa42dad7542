"""Words of the check-in, streak freezes and time-zone settings."""

MESSAGES = {
    "checkin.already": "You already checked in today (current streak: **{streak}**). "
    "The next check-in opens in {next_in}.",
    "checkin.freeze_limit": "You already hold **{maximum}** streak freezes, the most you can"
    " keep. One is used automatically when you miss a day.",
    "checkin.freeze_unaffordable": "A streak freeze costs **{price}** points and you have"
    " **{balance}**. Check in, vote or take a quest to earn more.",
    "checkin.freezes_disabled": "This community doesn't sell streak freezes.",
    "settings.timezone_unknown": "I don't know the time zone “{zone}”. Use an IANA name like"
    " `Europe/Berlin`, `America/New_York` or `Asia/Tokyo`.",
}
