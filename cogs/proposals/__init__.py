"""Governance: /proposal, /proposals, /vote, reactions on cards, and moderators' tools.

Handlers (`commands.py`) stay thin: parse, call `ProposalService`, build a
Reply with `cards`, and queue what the community should see (`announce`: the
card in the proposals channel, results, the author's DM) in the outbox;
`projections` queues the throttled live edits that follow votes. `jobs.py`
closes proposals at their deadline.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from cogs.kit import (
    Action,
    Cog,
    CogContext,
    Every,
    Job,
    Permission,
    ReactionRule,
    Registry,
    Visibility,
    typed,
)
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.proposals import commands, jobs
from cogs.proposals import messages as _messages
from cogs.proposals.commands import STATUSES, TYPES, VOTES
from cogs.proposals.demo import seed_demo
from cogs.proposals.projections import CardProjection
from domain.core.contracts import ProposalReader, TierReader
from domain.proposals import ProposalService
from domain.proposals.reader import ProposalReaderImpl

__all__ = ["REACTIONS", "seed_demo", "setup"]

register(_messages.MESSAGES)

_SKIN_TONES = ("", "🏻", "🏼", "🏽", "🏾", "🏿")
# With skin tones, which Discord sends as part of the emoji (Slack's adapter maps names).
REACTIONS: dict[str, str] = {
    **{f"👍{t}": "for" for t in _SKIN_TONES},
    **{f"👎{t}": "against" for t in _SKIN_TONES},
}


def setup(registry: Registry, ctx: CogContext) -> None:
    """Offer the proposal service and reader to later features; register the cog."""
    service = ProposalService(
        ctx.clock, ctx.config.proposals, ctx.points, tiers=lambda: ctx.maybe(TierReader)
    )
    ctx.provide(ProposalService, service)
    ctx.provide(ProposalReader, ProposalReaderImpl(ctx.clock))
    registry.add_projection(CardProjection(ctx.clock, ctx.config.proposals))
    registry.add(cog(ctx))


def cog(ctx: CogContext) -> Cog:
    """Declare every command, button, reaction and job of proposals."""
    return Cog(
        name="proposals",
        commands=[
            typed.command(
                "proposal create",
                "Propose something the community should do, and let everyone vote",
                commands.create,
                options=(
                    opt.choice("type", "What kind of proposal", TYPES),
                    opt.string("title", "A short title", min_length=3, max_length=100),
                    opt.string(
                        "description",
                        "What and why, up to 2,000 characters",
                        max_length=2000,
                        rest=True,
                        long=True,
                    ),
                    opt.duration(
                        "deadline",
                        "How long voting stays open (default depends on the type)",
                        required=False,
                        min_duration=timedelta(hours=1),
                        max_duration=timedelta(days=365),
                    ),
                    opt.boolean("anonymous", "Nobody can ever see who voted what"),
                    opt.boolean("hidden", "Hide the tally until voting closes"),
                ),
                examples=(
                    '/proposal create feature "Dark mode" Add a dark theme to the site',
                    '/proposal create policy "No spoilers" Spoiler tags for 7 days'
                    " --deadline 7d --anonymous",
                ),
            ),
            typed.command(
                "proposal show",
                "Show a proposal: tally, your vote, quorum and time left",
                commands.show,
                options=(_id_option(),),
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/proposal show 12",),
            ),
            typed.command(
                "proposal withdraw",
                "Withdraw your own proposal while voting is open",
                commands.withdraw,
                options=(_id_option(),),
                visibility=Visibility.EPHEMERAL,
                examples=("/proposal withdraw 12",),
            ),
            typed.command(
                "proposals",
                "List proposals, optionally by status and type",
                commands.list_command,
                options=(
                    opt.choice("status", "Only this status", STATUSES, required=False),
                    opt.choice("type", "Only this type", TYPES, required=False),
                    opt.integer("page", "Page number", required=False, min_value=1),
                ),
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/proposals", "/proposals active feature"),
            ),
            typed.command(
                "vote",
                "Vote on a proposal (change it any time before the deadline)",
                commands.vote_command,
                options=(_id_option(), opt.choice("choice", "Your vote", VOTES)),
                visibility=Visibility.EPHEMERAL,
                examples=("/vote 12 for", "/vote 12 retract"),
            ),
            typed.command(
                "admin proposal close",
                "Close a proposal now and count the votes",
                commands.close,
                options=(_id_option(), _reason()),
                permission=Permission.MODERATOR,
                examples=("/admin proposal close 12 enough discussion",),
            ),
            typed.command(
                "admin proposal reject",
                "Reject a proposal now, whatever the votes",
                commands.reject,
                options=(_id_option(), _reason()),
                permission=Permission.MODERATOR,
                examples=("/admin proposal reject 12 against the code of conduct",),
            ),
            typed.command(
                "admin proposal implement",
                "Mark an approved proposal as implemented (optionally with a link)",
                commands.implement,
                options=(
                    _id_option(),
                    opt.string("note", "What was done", required=False, max_length=500, rest=True),
                    opt.string("link", "Where to see it", required=False, max_length=500),
                ),
                permission=Permission.MODERATOR,
                examples=("/admin proposal implement 12 shipped --link https://example.org",),
            ),
            typed.command(
                "admin export proposals",
                "Export every proposal with its tally as CSV or JSON",
                commands.export_proposals,
                options=(
                    opt.choice(
                        "format", "File format", ("csv", "json"), required=False, default="csv"
                    ),
                ),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
                writes=False,
                slow=True,
                examples=("/admin export proposals json",),
            ),
        ],
        actions=[
            Action("proposal.vote", commands.vote_button),
            Action("proposal.page", commands.list_button, writes=False),
        ],
        reactions=[ReactionRule("proposal", REACTIONS, commands.vote_reaction)],
        jobs=[
            Job(
                "proposals.close_due",
                Every(timedelta(minutes=1)),
                partial(jobs.close_due, ctx),
                grace=None,
                description="close proposals whose voting deadline has passed",
            )
        ],
        autocompletes={"proposal_id": partial(commands.suggest, ctx)},
    )


def _id_option() -> opt.Option:
    return opt.string("id", "Proposal number, e.g. 12", max_length=13, autocomplete="proposal_id")


def _reason() -> opt.Option:
    return opt.string("reason", "Why (shown to everyone)", max_length=500, rest=True)
