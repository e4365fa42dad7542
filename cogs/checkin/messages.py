"""Words of the check-in, streak freezes and time-zone settings."""

MESSAGES = {
    "checkin.done": "{who} checked in — {streak}. +{points} (balance **{balance}**).",
    "checkin.streak_new": "day **1** of a new streak",
    "checkin.streak_day": "day **{days}** of your streak 🔥",
    "checkin.longest": " That's your longest streak yet!",
    "checkin.freezes_used": "\n🧊 {freezes} covered the missed {days} — your streak lives on.",
    "checkin.milestone": "\n🏅 **{days}-day streak!**",
    "checkin.milestone_bonus": " +{bonus}.",
    "checkin.milestone_freezes": " You earned {freezes}.",
    "checkin.freeze_bought": "🧊 You bought a streak freeze for **{price}** points. You hold"
    " {held}; one is used automatically for each day you miss.",
    "checkin.balance_footer": "Your balance: {balance}",
    "count.bonus_points": "{n} bonus point|{n} bonus points",
    "count.freezes": "{n} freeze|{n} freezes",
    "count.streak_freezes": "{n} streak freeze|{n} streak freezes",
    "count.days": "day|{n} days",
    "count.plain_points": "{n} point|{n} points",
    "settings.timezone_default": "Your day now follows the community's time zone (**{zone}**).",
    "settings.timezone_set": "Your time zone is now **{zone}**: your check-in day starts at"
    " midnight there.",
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
