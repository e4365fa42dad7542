"""Governance: /proposal, /proposals, /vote, reactions on cards, and moderators' tools.

Handlers stay thin: parse, call `ProposalService`, build a Reply with
`cards`, and queue what the community should see (the card in the proposals
channel, throttled live edits, results, the author's DM) in the outbox.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from cogs.kit import (
    Action,
    Attachment,
    Call,
    Cog,
    CogContext,
    Command,
    Every,
    Job,
    Permission,
    ReactionRule,
    Registry,
    Reply,
    Tone,
    Visibility,
)
from cogs.kit import options as opt
from cogs.kit.messages import register, text
from cogs.proposals import cards, export
from cogs.proposals import messages as _messages
from domain.core.announcements import Announcement, OutboxRepository, Target
from domain.core.contracts import ProposalReader, TierReader
from domain.core.errors import InvalidInputError
from domain.core.ids import MAX_ID, MemberId
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository
from domain.proposals import (
    CardEditQueue,
    Choice,
    Closed,
    NotActiveError,
    NoVoteError,
    Proposal,
    ProposalId,
    ProposalNotFoundError,
    ProposalRepository,
    ProposalService,
    ProposalType,
    Status,
    Tally,
    Transition,
)
from domain.proposals.reader import ProposalReaderImpl
from domain.proposals.rules import edit_bucket

register(_messages.MESSAGES)
log = logging.getLogger(__name__)

TYPES = tuple(t.value for t in ProposalType)
STATUSES = tuple(s.value for s in Status)
VOTES = (*(c.value for c in Choice), "retract")
_SKIN_TONES = ("", "🏻", "🏼", "🏽", "🏾", "🏿")
# With skin tones, which Discord sends as part of the emoji (Slack's adapter maps names).
REACTIONS: dict[str, str] = {
    **{f"👍{t}": "for" for t in _SKIN_TONES},
    **{f"👎{t}": "against" for t in _SKIN_TONES},
}
_URL = re.compile(r"https?://\S+")
SWEEP_BATCH = 50


def _pid(raw: Any) -> ProposalId:
    word = str(raw).strip().lstrip("#")
    if not (word.isascii() and word.isdigit()) or len(word) > 12:
        raise InvalidInputError(problem=f"“{str(raw)[:20]}” is not a proposal number")
    if int(word) > MAX_ID:  # no row has it; PostgreSQL would refuse it as an argument
        raise ProposalNotFoundError(id=int(word))
    return ProposalId(int(word))


def _id_option() -> opt.Option:
    return opt.string("id", "Proposal number, e.g. 12", max_length=13, autocomplete="proposal_id")


def setup(registry: Registry, ctx: CogContext) -> None:
    cfg = ctx.config.proposals
    service = ProposalService(ctx.clock, cfg, ctx.points, tiers=lambda: ctx.maybe(TierReader))
    ctx.provide(ProposalService, service)
    ctx.provide(ProposalReader, ProposalReaderImpl(ctx.clock))

    # -- what the community sees ---------------------------------------------------

    async def refresh_card(
        uow: UnitOfWork, proposal: Proposal, tally: Tally, now: datetime
    ) -> None:
        """Queue the card's live edit: one per proposal per period, sent at the period's end.

        Every vote on a proposal first locks its row, so the last vote of a
        period writes the payload last, and that payload saw every earlier vote.
        """
        bucket, ends = edit_bucket(now, cfg.card_update_seconds)
        key = f"proposal:{proposal.id}:card:{bucket}"
        payload = cards.card(proposal, tally, cfg).to_dict()
        added = await uow.get(OutboxRepository).add(
            [
                Announcement(
                    community_id=proposal.community_id,
                    kind="proposal.card",
                    dedupe_key=key,
                    payload=payload,
                    target=Target.EDIT,
                    channel_kind="proposals",
                    anchor=proposal.anchor,
                    not_before=ends,
                )
            ],
            now,
        )
        if not added:
            await uow.get(CardEditQueue).replace_pending(key, payload)

    async def freeze_card(uow: UnitOfWork, proposal: Proposal, tally: Tally) -> None:
        """The final card replaces every pending live edit, so none can undo it later."""
        final = cards.card(proposal, tally, cfg).to_dict()
        await uow.get(CardEditQueue).supersede(proposal.anchor, final)
        uow.announce(
            Announcement(
                community_id=proposal.community_id,
                kind="proposal.card",
                dedupe_key=f"proposal:{proposal.id}:card:{proposal.status}",
                payload=final,
                target=Target.EDIT,
                channel_kind="proposals",
                anchor=proposal.anchor,
            )
        )

    async def publish_closed(uow: UnitOfWork, closed: Closed) -> None:
        p = closed.proposal
        await freeze_card(uow, p, closed.tally)
        uow.announce(
            Announcement(
                community_id=p.community_id,
                kind="proposal.result",
                dedupe_key=f"proposal:{p.id}:result",
                payload=cards.result(closed, cfg).to_dict(),
                target=Target.CHANNEL,
                channel_kind="proposals",
            )
        )

    # -- members ----------------------------------------------------------------

    async def create(call: Call) -> Reply:
        o = call.options
        created = await service.create(
            call.uow,
            call.community,
            call.member,
            ProposalType(o["type"]),
            o["title"],
            o["description"],
            deadline=o["deadline"],
            anonymous=bool(o["anonymous"]),
            hidden=bool(o["hidden"]),
        )
        p = created.proposal
        reply = cards.card(p, Tally(), cfg)
        call.uow.announce(
            Announcement(
                community_id=p.community_id,
                kind="proposal.card",
                dedupe_key=f"proposal:{p.id}:posted",
                payload=reply.to_dict(),
                target=Target.CHANNEL,
                channel_kind="proposals",
                anchor=p.anchor,
            )
        )
        if created.similar:
            similar = ", ".join(f"#{s.id} “{s.title}”" for s in created.similar[:3])
            warning = text("proposals.similar", similar=similar)
            reply = reply.with_(footer=f"{warning}\n{reply.footer or ''}".strip())
        return reply

    async def cast(call: Call, pid: ProposalId, word: str) -> Reply:
        if word == "retract":
            result = await service.retract(call.uow, call.community, call.member, pid)
        else:
            result = await service.vote(
                call.uow, call.community, call.member, pid, Choice(word), call.inv.actor.roles
            )
        if result.choice is not result.previous:
            await refresh_card(call.uow, result.proposal, result.tally, call.now)
        return cards.vote_reply(result.proposal, result.choice, result.previous, result.points)

    async def vote_command(call: Call) -> Reply:
        return await cast(call, _pid(call.options["id"]), call.options["choice"])

    async def vote_button(call: Call) -> Reply:
        if len(call.args) != 2 or call.args[1] not in (c.value for c in Choice):
            raise InvalidInputError(problem="that button is not a vote")
        return await cast(call, _pid(call.args[0]), call.args[1])

    async def vote_reaction(call: Call) -> Reply:
        pid = _pid(call.args[0])
        meaning = Choice(call.options["meaning"])
        if call.options["added"]:
            return await cast(call, pid, meaning.value)
        try:
            result = await service.retract(call.uow, call.community, call.member, pid, only=meaning)
        except NoVoteError:
            return Reply(text=text("proposals.no_vote", id=pid), ephemeral=True)
        if result.choice is not None:  # they changed their vote since reacting
            return Reply(
                text=text("proposals.retract_other", id=pid, choice=result.choice), ephemeral=True
            )
        await refresh_card(call.uow, result.proposal, result.tally, call.now)
        return cards.vote_reply(result.proposal, None, result.previous, None)

    async def withdraw(call: Call) -> Reply:
        p = await service.withdraw(
            call.uow, call.community.id, call.member, _pid(call.options["id"])
        )
        await freeze_card(call.uow, p, await service.tally(call.uow, p))
        return Reply(text=text("proposals.withdrawn", id=p.id, title=p.title), tone=Tone.SUCCESS)

    async def show(call: Call) -> Reply:
        p = await service.get(call.uow, call.community.id, _pid(call.options["id"]))
        tally = await service.tally(call.uow, p)
        mine = await service.vote_of(call.uow, p.id, call.member.id)
        quorum = await service.quorum(call.uow, p)
        history = await _history(call.uow, await call.uow.get(ProposalRepository).history(p.id))
        return cards.details(p, tally, mine, quorum, history, cfg, call.now)

    async def page(call: Call, status: str | None, type_: str | None, number: int) -> Reply:
        size = cfg.page_size
        found, total = await call.uow.get(ProposalRepository).search(
            call.community.id,
            Status(status) if status else None,
            ProposalType(type_) if type_ else None,
            size,
            (number - 1) * size,
        )
        pages = max(1, -(-total // size))
        if total and number > pages:  # past the end: show the last page, not "no match"
            number = pages
            found, total = await call.uow.get(ProposalRepository).search(
                call.community.id,
                Status(status) if status else None,
                ProposalType(type_) if type_ else None,
                size,
                (number - 1) * size,
            )
        action = f"proposal.page:{status or 'all'}:{type_ or 'all'}"
        return cards.listing(found, number, pages, call.now, action)

    async def list_command(call: Call) -> Reply:
        o = call.options
        return await page(call, o["status"], o["type"], o["page"] or 1)

    async def list_button(call: Call) -> Reply:
        if len(call.args) != 3 or not (call.args[2].isascii() and call.args[2].isdigit()):
            raise InvalidInputError(problem="that button is out of date")
        status, type_, number = call.args
        status_ = status if status in STATUSES else None
        type__ = type_ if type_ in TYPES else None
        return await page(call, status_, type__, max(1, int(number)))

    # -- moderators ------------------------------------------------------------

    async def close(call: Call) -> Reply:
        closed = await service.close(
            call.uow,
            call.community.id,
            _pid(call.options["id"]),
            actor=call.member,
            reason=call.options["reason"],
        )
        await publish_closed(call.uow, closed)
        return cards.result(closed, cfg)

    async def reject(call: Call) -> Reply:
        closed = await service.close(
            call.uow,
            call.community.id,
            _pid(call.options["id"]),
            actor=call.member,
            reason=call.options["reason"],
            reject=True,
        )
        await publish_closed(call.uow, closed)
        return cards.result(closed, cfg)

    async def implement(call: Call) -> Reply:
        note: str | None = call.options["note"]
        link: str | None = call.options["link"]
        if link is None and note and (found := _URL.search(note)):
            link = found.group(0)
        if link is not None and not _URL.fullmatch(link):
            raise InvalidInputError(problem="**link** must be a web address starting with https://")
        p, points = await service.implement(
            call.uow, call.community.id, call.member, _pid(call.options["id"]), note=note, link=link
        )
        await freeze_card(call.uow, p, await service.tally(call.uow, p))
        call.uow.announce(
            Announcement(
                community_id=p.community_id,
                kind="proposal.implemented",
                dedupe_key=f"proposal:{p.id}:implemented",
                payload=cards.implemented(p).to_dict(),
                target=Target.CHANNEL,
                channel_kind="proposals",
            )
        )
        call.uow.announce(
            Announcement(
                community_id=p.community_id,
                kind="proposal.implemented_dm",
                dedupe_key=f"proposal:{p.id}:implemented:dm",
                payload=cards.implemented_dm(p, points).to_dict(),
                target=Target.DM,
                member_id=p.author_id,
            )
        )
        return Reply(
            text=text("proposals.implemented_reply", id=p.id, title=p.title), tone=Tone.SUCCESS
        )

    async def export_proposals(call: Call) -> Reply:
        data = await export.rows(call.uow, service, call.community)
        fmt = call.options["format"]
        body = export.to_json(data) if fmt == "json" else export.to_csv(data)
        kind = "application/json" if fmt == "json" else "text/csv"
        name = f"proposals-{call.now.strftime('%Y%m%d-%H%M')}.{fmt}"
        return Reply(
            text=text("proposals.export_done", count=len(data)),
            file=Attachment(body, name, kind),
            ephemeral=True,
        )

    # -- the deadline ------------------------------------------------------------

    async def close_due(now: datetime) -> None:
        """Close every active proposal whose deadline has passed (idempotent, restart-safe).

        Each proposal closes in its own transaction, guarded by a conditional
        UPDATE on its status, so two schedulers or a moderator racing the sweep
        close it once; a failure is logged and the others still close.
        """
        failed: set[ProposalId] = set()
        while True:
            async with ctx.uow(read_only=True) as uow:
                due = await uow.get(ProposalRepository).due(now, SWEEP_BATCH + len(failed))
            due = [d for d in due if d[1] not in failed]
            if not due:
                return
            for community_id, pid in due:
                try:
                    async with ctx.uow() as uow:
                        closed = await service.close(uow, community_id, pid, at=now)
                        await publish_closed(uow, closed)
                        await uow.commit()
                except NotActiveError:
                    continue  # closed meanwhile by a moderator or another process
                except Exception:
                    failed.add(pid)
                    log.exception("could not close proposal %s at its deadline", pid)
                    continue
                log.info("proposal %s closed at its deadline: %s", pid, closed.proposal.status)

    async def suggest(source: Any, prefix: str) -> list[tuple[str, str]]:
        """Active proposals of the caller's community whose number or title match."""
        community = getattr(source, "community", None)
        if community is None:
            return []  # without a community we must not suggest another's proposals
        open_uow: UnitOfWork | None = getattr(source, "uow", None)
        if open_uow is not None:
            found, _ = await open_uow.get(ProposalRepository).search(
                community.id, Status.ACTIVE, None, 25, 0
            )
        else:
            async with ctx.uow(read_only=True) as uow:
                found, _ = await uow.get(ProposalRepository).search(
                    community.id, Status.ACTIVE, None, 25, 0
                )
        wanted = prefix.strip().lstrip("#").casefold()
        return [
            (f"#{p.id} {p.title}"[:100], str(p.id))
            for p in found
            if not wanted or str(p.id).startswith(wanted) or wanted in p.title.casefold()
        ]

    registry.add(
        Cog(
            name="proposals",
            commands=[
                Command(
                    "proposal create",
                    "Propose something the community should do, and let everyone vote",
                    create,
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
                Command(
                    "proposal show",
                    "Show a proposal: tally, your vote, quorum and time left",
                    show,
                    options=(_id_option(),),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/proposal show 12",),
                ),
                Command(
                    "proposal withdraw",
                    "Withdraw your own proposal while voting is open",
                    withdraw,
                    options=(_id_option(),),
                    visibility=Visibility.EPHEMERAL,
                    examples=("/proposal withdraw 12",),
                ),
                Command(
                    "proposals",
                    "List proposals, optionally by status and type",
                    list_command,
                    options=(
                        opt.choice("status", "Only this status", STATUSES, required=False),
                        opt.choice("type", "Only this type", TYPES, required=False),
                        opt.integer("page", "Page number", required=False, min_value=1),
                    ),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/proposals", "/proposals active feature"),
                ),
                Command(
                    "vote",
                    "Vote on a proposal (change it any time before the deadline)",
                    vote_command,
                    options=(_id_option(), opt.choice("choice", "Your vote", VOTES)),
                    visibility=Visibility.EPHEMERAL,
                    examples=("/vote 12 for", "/vote 12 retract"),
                ),
                Command(
                    "admin proposal close",
                    "Close a proposal now and count the votes",
                    close,
                    options=(_id_option(), _reason()),
                    permission=Permission.MODERATOR,
                    examples=("/admin proposal close 12 enough discussion",),
                ),
                Command(
                    "admin proposal reject",
                    "Reject a proposal now, whatever the votes",
                    reject,
                    options=(_id_option(), _reason()),
                    permission=Permission.MODERATOR,
                    examples=("/admin proposal reject 12 against the code of conduct",),
                ),
                Command(
                    "admin proposal implement",
                    "Mark an approved proposal as implemented (optionally with a link)",
                    implement,
                    options=(
                        _id_option(),
                        opt.string(
                            "note", "What was done", required=False, max_length=500, rest=True
                        ),
                        opt.string("link", "Where to see it", required=False, max_length=500),
                    ),
                    permission=Permission.MODERATOR,
                    examples=("/admin proposal implement 12 shipped --link https://example.org",),
                ),
                Command(
                    "admin export proposals",
                    "Export every proposal with its tally as CSV or JSON",
                    export_proposals,
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
                Action("proposal.vote", vote_button),
                Action("proposal.page", list_button, writes=False),
            ],
            reactions=[ReactionRule("proposal", REACTIONS, vote_reaction)],
            jobs=[
                Job(
                    "proposals.close_due",
                    Every(timedelta(minutes=1)),
                    close_due,
                    grace=None,
                    description="close proposals whose voting deadline has passed",
                )
            ],
            autocompletes={"proposal_id": suggest},
        )
    )


def _reason() -> opt.Option:
    return opt.string("reason", "Why (shown to everyone)", max_length=500, rest=True)


async def _history(uow: UnitOfWork, transitions: list[Transition]) -> list[tuple[str, str]]:
    """History lines: when, and who moved it where (the deadline when nobody did)."""
    names: dict[MemberId, str] = {}
    identity = uow.get(IdentityRepository)
    lines = []
    for t in transitions:
        if t.actor_id is None:
            who = "the deadline"
        else:
            if t.actor_id not in names:
                member = await identity.get_member(t.actor_id)
                names[t.actor_id] = member.display_name if member else "someone"
            who = names[t.actor_id]
        what = f"{t.from_status} → {t.to_status}" if t.from_status else "created"
        line = f"{what} by {who}" + (f" “{t.reason}”" if t.reason else "")
        lines.append((t.at.strftime("%Y-%m-%d %H:%M UTC"), line))
    return lines


async def seed_demo(demo: Any) -> None:
    """Three proposals with votes, so the console demo shows governance at work.

    Alice (the console's default member) only proposes: her balance stays the
    check-in history the demo promises.
    """

    async def propose(who: str, line: str) -> str:
        reply = await demo.run(who, "proposal create", line)
        return (reply.title or "#0").split(" ")[0].lstrip("#")

    dark = await propose(
        "alice",
        'feature "Dark mode for the community site" Many of us read at night; a dark theme'
        " would be easier on the eyes. --deadline 7d",
    )
    for who, choice in (("bob", "for"), ("carol", "for"), ("dave", "against")):
        await demo.run(who, "vote", f"{dark} {choice}")
    call = await propose(
        "erin",
        'policy "Monthly community call" A one-hour open call on the first Friday of each'
        " month. --anonymous --hidden",
    )
    for who, choice in (("dave", "for"), ("frank", "abstain")):
        await demo.run(who, "vote", f"{call} {choice}")
    guide = await propose(
        "bob",
        'content "Refresh the welcome guide" Update the newcomer guide with the new channels.'
        " --deadline 2d",
    )
    for who in ("carol", "erin", "frank"):
        await demo.run(who, "vote", f"{guide} for")
    await demo.run("mia", "admin proposal close", f"{guide} clear support", mod=True)
    await demo.run(
        "mia",
        "admin proposal implement",
        f"{guide} guide updated --link https://example.org/welcome",
        mod=True,
    )
