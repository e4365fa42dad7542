"""Hackathons: /hackathon — teams, one entry per team, an anonymous vote, prizes."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from cogs.hackathons import commands as c
from cogs.hackathons import messages as _messages
from cogs.hackathons.options import command_list
from cogs.kit import Action, Cog, CogContext, Every, Job, Registry
from cogs.kit.messages import register
from domain.hackathons import HackathonService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide `HackathonService`; register the commands, the vote button and the deadline job."""
    ctx.provide(HackathonService, HackathonService(ctx.clock, ctx.points))

    registry.add(
        Cog(
            name="hackathons",
            commands=command_list(),
            actions=[Action("hackathon.vote", c.vote_button)],
            jobs=[
                Job(
                    "hackathons.deadlines",
                    Every(timedelta(minutes=1)),
                    partial(c.advance, ctx),
                    grace=None,
                    description="close hackathon submissions and voting at their deadlines",
                )
            ],
        )
    )
