"""The declarations of /hackathon."""

from __future__ import annotations

from cogs.hackathons import commands as c
from cogs.kit import Command, Permission, Visibility, typed
from cogs.kit import options as opt


def _id() -> opt.Option:
    return opt.string("id", "Hackathon number", max_length=13)


def command_list() -> list[Command]:
    """Declare /hackathon create|show|join|leave|submit|vote."""
    return [
        typed.command(
            "hackathon create",
            "Open a hackathon: teams, entries, a community vote, prizes",
            c.create,
            options=(
                opt.string("title", "A short title", min_length=1, max_length=100),
                opt.string("submit-by", "Entries close, e.g. 'fri 18:00'", max_length=80),
                opt.string("vote-by", "Voting closes, e.g. 'sun 18:00'", max_length=80),
                opt.string(
                    "prizes", "Points per place, e.g. 500,300,100", required=False, max_length=80
                ),
                opt.integer(
                    "team-size",
                    "Most members per team",
                    required=False,
                    default=4,
                    min_value=1,
                    max_value=50,
                ),
            ),
            permission=Permission.MODERATOR,
            examples=(
                '/hackathon create "Winter jam" --submit-by "fri 18:00" --vote-by "sun 18:00"'
                " --prizes 500,300,100",
            ),
        ),
        typed.command(
            "hackathon show",
            "Show a hackathon: deadlines, prizes, teams",
            c.show,
            options=(_id(),),
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/hackathon show 1",),
        ),
        typed.command(
            "hackathon join",
            "Join a team (or found one) in a hackathon",
            c.join,
            options=(
                _id(),
                opt.string(
                    "team",
                    "Team name (default: a team of your own)",
                    required=False,
                    max_length=60,
                    rest=True,
                ),
            ),
            visibility=Visibility.EPHEMERAL,
            examples=("/hackathon join 1 Night Owls",),
        ),
        typed.command(
            "hackathon leave",
            "Leave your team in a hackathon",
            c.leave,
            options=(_id(),),
            visibility=Visibility.EPHEMERAL,
            examples=("/hackathon leave 1",),
        ),
        typed.command(
            "hackathon submit",
            "Submit (or change) your team's entry until the deadline",
            c.submit,
            options=(
                _id(),
                opt.string("link", "Where to see it (https://…)", max_length=500),
                opt.string("description", "What it is", max_length=1000, rest=True),
            ),
            visibility=Visibility.EPHEMERAL,
            examples=("/hackathon submit 1 https://example.org/demo A bot that waters plants",),
        ),
        typed.command(
            "hackathon vote",
            "Vote for an entry (one vote, not your own team, anonymous)",
            c.vote_command,
            options=(_id(), opt.string("team", "Team name or number", max_length=60, rest=True)),
            visibility=Visibility.EPHEMERAL,
            examples=("/hackathon vote 1 Night Owls",),
        ),
    ]
