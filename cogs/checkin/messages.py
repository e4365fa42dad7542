"""Words of the check-in."""

MESSAGES = {
    "checkin.already": "You already checked in today (current streak: **{streak}**). "
    "The next check-in opens in {next_in}.",
}
