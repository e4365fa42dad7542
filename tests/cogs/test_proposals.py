"""Governance through the runner: create, vote, close, implement, withdraw, export."""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.cli import _configure_logging
from cogs.kit import Invocation, Place, Reply, Tone
from domain.core.activity import Activity, each
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.contracts import ProposalReader, TierInfo
from domain.core.ids import MemberId
from domain.identity import IdentityRepository, Platform
from domain.proposals import (
    Choice,
    ProposalRepository,
    ProposalService,
    ProposalType,
    Status,
    TierTooLowError,
)
from storage.points import LedgerRow
from tests.conftest import actor, invoke
from tests.support.proposals import (
    click,
    counted_votes,
    outbox,
    post_card,
    propose,
    react,
    sweep,
)


async def test_create_replies_with_an_anchored_card_and_posts_it_to_the_proposals_channel(
    app: App,
) -> None:
    reply = await invoke(
        app, "ana", "proposal create", 'feature "Dark mode" A dark theme for the site'
    )
    assert reply.title == "#1 · Dark mode"
    assert reply.anchor == "proposal:1" and not reply.ephemeral
    assert [b.action_id for b in reply.buttons] == [
        "proposal.vote:1:for",
        "proposal.vote:1:against",
        "proposal.vote:1:abstain",
    ]
    shown = {f.name: f.value for f in reply.fields}
    assert shown["Type"] == "Feature" and shown["Author"] == "ana"
    assert "Voting open" in shown["Status"]
    assert shown["Deadline"] == "2026-12-16 12:00 UTC"  # 30 days by default
    assert "For **0**" in shown["Tally"]
    rows = await outbox(app)
    assert [(r.target, r.channel_kind, r.anchor) for r in rows] == [
        ("channel", "proposals", "proposal:1")
    ]
    assert rows[0].payload["title"] == "#1 · Dark mode"


async def test_title_and_description_limits_are_enforced(app: App) -> None:
    short = await invoke(app, "ana", "proposal create", "feature ab description")
    assert short.tone is Tone.ERROR and "at least 3 characters" in short.text
    long = await invoke(app, "ana", "proposal create", "feature Title " + "x" * 2001)
    assert long.tone is Tone.ERROR and "at most 2000" in long.text
    missing = await invoke(app, "ana", "proposal create", "feature Title")
    assert missing.tone is Tone.ERROR and "description" in missing.text
    assert await outbox(app) == []


async def test_votes_by_command_button_and_change_count_once(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    first = await invoke(app, "bob", "vote", f"{pid} for")
    assert first.tone is Tone.SUCCESS and "is now **for**" in first.text
    assert "+2 points" in first.text
    changed = await click(app, "bob", f"proposal.vote:{pid}:against")
    assert "from **for** to **against**" in changed.text and "points" not in changed.text
    await click(app, "carol", f"proposal.vote:{pid}:abstain")
    assert await counted_votes(app, pid) == 2
    show = await invoke(app, "bob", "proposal show", str(pid))
    fields = {f.name: f.value for f in show.fields}
    assert "For **0** · 👎 Against **1** · 🤷 Abstain **1**" in fields["Tally"]
    assert fields["Your vote"] == "against"
    assert "2 of 3 voters needed" in fields["Quorum"]
    assert fields["Time left"] == "closes in 30d"
    retract = await invoke(app, "bob", "vote", f"{pid} retract")
    assert "took back your **against**" in retract.text
    assert await counted_votes(app, pid) == 1


async def test_a_vote_after_the_deadline_is_refused_clearly(app: App, clock: FixedClock) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please --deadline 2h')
    clock.advance(timedelta(hours=2))
    late = await invoke(app, "bob", "vote", f"{pid} for")
    assert late.tone is Tone.ERROR and late.ephemeral
    assert f"Voting on **#{pid}** is closed" in late.text
    assert "your vote was not counted" in late.text
    button = await click(app, "bob", f"proposal.vote:{pid}:for")
    assert "is closed" in button.text
    assert await counted_votes(app, pid) == 0


async def test_quorum_not_met_is_rejected_with_that_reason(app: App, clock: FixedClock) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please --deadline 1d')
    await invoke(app, "bob", "vote", f"{pid} for")
    await invoke(app, "carol", "vote", f"{pid} for")
    clock.advance(timedelta(days=1, minutes=1))
    await sweep(app)(clock.now())
    show = await invoke(app, "bob", "proposal show", str(pid))
    fields = {f.name: f.value for f in show.fields}
    assert "Rejected" in fields["Status"]
    assert fields["Outcome"] == "Quorum not met: 2 of the 3 voters needed."
    assert fields["Your vote"] == "for"
    absent = await invoke(app, "dave", "proposal show", str(pid))
    assert {f.name: f.value for f in absent.fields}["Your vote"] == "you did not vote"
    results = [r for r in await outbox(app) if r.kind == "proposal.result"]
    assert len(results) == 1 and "Quorum not met" in results[0].payload["text"]
    assert results[0].channel_kind == "proposals"
    # The final card replaces the live one, with no vote buttons left.
    finals = [r for r in await outbox(app) if r.dedupe_key == f"proposal:{pid}:card:rejected"]
    assert finals and finals[0].payload["buttons"] == [] and finals[0].target == "edit"


async def test_approval_thresholds_follow_the_type(app: App, clock: FixedClock) -> None:
    # policy: quorum 5, two-thirds.  4 for / 2 against = exactly 2/3 -> approved.
    policy = await propose(app, "ana", 'policy "Quiet hours" at night --deadline 1d')
    for i in range(4):
        await invoke(app, f"for{i}", "vote", f"{policy} for")
    for i in range(2):
        await invoke(app, f"against{i}", "vote", f"{policy} against")
    # feature: simple majority. 2 for / 2 against / 1 abstain -> rejected (tie).
    feature = await propose(app, "ana", 'feature "Emoji pack" more emoji --deadline 1d')
    for who, choice in (("a", "for"), ("b", "for"), ("c", "against"), ("d", "against")):
        await invoke(app, who, "vote", f"{feature} {choice}")
    await invoke(app, "e", "vote", f"{feature} abstain")
    clock.advance(timedelta(days=2))
    await sweep(app)(clock.now())
    async with app.uow(read_only=True) as uow:
        repo = uow.get(ProposalRepository)
        p = await repo.get(1, policy)  # type: ignore[arg-type]
        f = await repo.get(1, feature)  # type: ignore[arg-type]
    assert p is not None and p.status is Status.APPROVED
    assert f is not None and f.status is Status.REJECTED and f.outcome == "threshold_not_met"


async def test_approval_rewards_the_author_and_implementation_dms_them(
    app: App, clock: FixedClock
) -> None:
    seen: list[Activity] = []

    async def listen(uow: object, activity: Activity) -> None:
        seen.append(activity)

    kinds = ("proposal_created", "vote_cast", "proposal_approved", "proposal_implemented")
    app.ctx.bus.register(each("test.listen", kinds, listen))
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    for who in ("bob", "carol", "dave"):
        await invoke(app, who, "vote", f"{pid} for")
    refused = await invoke(app, "bob", "admin proposal close", f"{pid} done")
    assert refused.tone is Tone.ERROR and "Only moderators" in refused.text
    closed = await invoke(app, "mia", "admin proposal close", f"{pid} clear support", mod=True)
    assert "approved" in (closed.title or "") and "clear support" in closed.text
    again = await invoke(app, "mia", "admin proposal close", f"{pid} twice", mod=True)
    assert again.tone is Tone.ERROR and "no longer active" in again.text
    assert "**50**" in (await invoke(app, "ana", "points balance")).text
    done = await invoke(
        app,
        "mia",
        "admin proposal implement",
        f"{pid} shipped in 2.0 --link https://example.org/dark",
        mod=True,
    )
    assert done.tone is Tone.SUCCESS
    assert "**250**" in (await invoke(app, "ana", "points balance")).text
    dms = [r for r in await outbox(app) if r.target == "dm"]
    assert len(dms) == 1 and "now implemented" in dms[0].payload["text"]
    async with app.uow(read_only=True) as uow:
        ana = await uow.get(IdentityRepository).member_for_account(Platform.CONSOLE, "demo", "ana")
    assert ana is not None and dms[0].member_id == ana.id
    assert "https://example.org/dark" in str(dms[0].payload)
    kinds = [a.kind for a in seen]
    assert kinds.count("vote_cast") == 3
    assert {"proposal_created", "proposal_approved", "proposal_implemented"} <= set(kinds)
    show = await invoke(app, "ana", "proposal show", str(pid))
    history = {f.name: f.value for f in show.fields}["History"]
    assert "created by ana" in history
    assert "active → approved by mia “clear support”" in history
    assert "approved → implemented by mia “shipped in 2.0 --link" not in history
    assert "approved → implemented by mia “shipped in 2.0”" in history


async def test_a_moderator_cannot_approve_early_or_implement_their_own_proposal(
    app: App,
) -> None:
    pid = await propose(app, "mia", 'feature "Mia idea" mine')
    for name in ("bob", "carol", "dave"):
        await invoke(app, name, "vote", f"{pid} for")
    own = await invoke(app, "mia", "admin proposal close", f"{pid} my call", mod=True)
    assert own.tone is Tone.ERROR and "your own proposal" in own.text
    closed = await invoke(app, "rex", "admin proposal close", f"{pid} fine", mod=True)
    assert closed.tone is not Tone.ERROR, closed.text
    own = await invoke(app, "mia", "admin proposal implement", f"{pid} done", mod=True)
    assert own.tone is Tone.ERROR and "ask another moderator" in own.text
    async with app.database.reader.connect() as conn:
        paid = await conn.execute(select(LedgerRow.reason).where(LedgerRow.source == "proposal"))
        assert [r[0] for r in paid] == [f"proposal #{pid} approved"]
    done = await invoke(app, "rex", "admin proposal implement", f"{pid} done", mod=True)
    assert done.tone is Tone.SUCCESS
    # Rejecting one's own proposal pays nothing and stays allowed.
    mine = await propose(app, "mia", 'policy "Second idea" mine too')
    rejected = await invoke(app, "mia", "admin proposal reject", f"{mine} withdrawn", mod=True)
    assert rejected.tone is not Tone.ERROR


async def test_implement_needs_an_approved_proposal(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    reply = await invoke(app, "mia", "admin proposal implement", str(pid), mod=True)
    assert reply.tone is Tone.ERROR and "is **active**" in reply.text


async def test_moderator_reject_records_who_and_why(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    for who in ("bob", "carol", "dave"):
        await invoke(app, who, "vote", f"{pid} for")
    reply = await invoke(app, "mia", "admin proposal reject", f"{pid} breaks the rules", mod=True)
    assert "rejected" in (reply.title or "")
    assert "Rejected by a moderator. “breaks the rules”" in reply.text
    async with app.uow(read_only=True) as uow:
        history = await uow.get(ProposalRepository).history(pid)  # type: ignore[arg-type]
    assert [(h.from_status, h.to_status, h.reason) for h in history] == [
        (None, Status.ACTIVE, None),
        (Status.ACTIVE, Status.REJECTED, "breaks the rules"),
    ]
    assert history[1].actor_id is not None
    assert "**0**" in (await invoke(app, "ana", "points balance")).text  # no approval award


async def test_only_the_author_withdraws_and_only_while_active(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    other = await invoke(app, "bob", "proposal withdraw", str(pid))
    assert other.tone is Tone.ERROR and "Only the author" in other.text
    done = await invoke(app, "ana", "proposal withdraw", str(pid))
    assert done.tone is Tone.SUCCESS
    again = await invoke(app, "ana", "proposal withdraw", str(pid))
    assert "no longer active" in again.text
    vote = await invoke(app, "bob", "vote", f"{pid} for")
    assert "is closed" in vote.text
    finals = [r for r in await outbox(app) if r.dedupe_key == f"proposal:{pid}:card:withdrawn"]
    assert finals and "Withdrawn" in str(finals[0].payload)


async def test_hidden_tally_is_hidden_from_moderators_until_close(
    app: App, clock: FixedClock
) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please --hidden --deadline 1d')
    for who, choice in (("bob", "for"), ("carol", "for"), ("dave", "against")):
        await invoke(app, who, "vote", f"{pid} {choice}")
    for who, mod in (("bob", False), ("mia", True)):
        show = await invoke(app, who, "proposal show", str(pid), mod=mod)
        tally = {f.name: f.value for f in show.fields}["Tally"]
        assert tally == "Hidden until close (3 voters so far)"
    export = await invoke(app, "mia", "admin export proposals", "json", mod=True)
    assert export.file is not None
    row = json.loads(export.file.data)["proposals"][0]
    assert row["for"] is None and row["votes"] is None and row["hidden"] is True
    edits = [r for r in await outbox(app) if r.target == "edit"]
    assert edits and all("For **" not in str(r.payload) for r in edits)
    clock.advance(timedelta(days=1))
    await sweep(app)(clock.now())
    after = await invoke(app, "bob", "proposal show", str(pid))
    assert "For **2** · 👎 Against **1**" in {f.name: f.value for f in after.fields}["Tally"]


async def test_anonymous_proposals_reveal_no_voter_anywhere(
    app: App, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    _configure_logging("DEBUG")  # as `guildhall` does at its most verbose
    caplog.set_level(logging.DEBUG)
    voters = [f"Zedvoter{i}" for i in range(6)]
    outputs: list[Reply] = []
    pid = await propose(app, "ana", 'policy "Quiet hours" at night --anonymous --deadline 1d')
    open_ = await propose(app, "ana", 'feature "Open vote" control group --deadline 1d')
    await post_card(app, pid, "card-anon")
    for i, who in enumerate(voters):
        choice = ("for", "against", "abstain")[i % 3]
        outputs.append(await invoke(app, who, "vote", f"{pid} {choice}"))
        outputs.append(await click(app, who, f"proposal.vote:{pid}:for"))
        reacted = await react(app, who, "👎", "card-anon")
        assert reacted is not None
        outputs.append(reacted)
        outputs.append(await invoke(app, who, "proposal show", str(pid)))
    outputs.append(await invoke(app, "Openvoter", "vote", f"{open_} for"))
    outputs.append(await invoke(app, "mia", "proposal show", str(pid), mod=True))
    outputs.append(await invoke(app, "mia", "proposals", mod=True))
    clock.advance(timedelta(days=1))
    await sweep(app)(clock.now())
    outputs.append(await invoke(app, "mia", "proposal show", str(pid), mod=True))
    csv_export = await invoke(app, "mia", "admin export proposals", "csv", mod=True)
    json_export = await invoke(app, "mia", "admin export proposals", "json", mod=True)
    assert csv_export.file is not None and json_export.file is not None
    texts = [str(r.to_dict()) for r in outputs]
    texts += [str(r.payload) for r in await outbox(app)]
    texts += [csv_export.file.data.decode(), json_export.file.data.decode()]
    texts += [r.getMessage() + str(r.__dict__) for r in caplog.records]
    async with app.database.reader.connect() as conn:
        ledger = LedgerRow.__table__
        texts += [str(r) for r in (await conn.execute(select(ledger.c.reason))).all()]
    everything = "\n".join(texts).casefold()
    for name in voters:
        assert name.casefold() not in everything, name
    # The control: the same export does name the voter of the open proposal.
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(csv_export.file.data.decode()))}
    assert "Openvoter=for" in rows[open_]["votes"] and rows[pid]["votes"] == ""
    # The 👎 reactions did not vote (anonymous): each voter's last vote is the button's "for".
    assert rows[pid]["voters"] == "6" and rows[pid]["for"] == "6"


async def test_a_reaction_on_an_anonymous_card_does_not_vote_and_says_so_once(app: App) -> None:
    pid = await propose(app, "ana", 'policy "Quiet hours" at night --anonymous')
    await post_card(app, pid, "card-anon")
    card = await invoke(app, "bob", "proposal show", str(pid))
    assert "reactions don't count here" in (card.footer or "")
    first = await react(app, "bob", "👍", "card-anon")
    again = await react(app, "bob", "👎", "card-anon")
    await react(app, "bob", "👍", "card-anon", added=False)
    assert first is not None and first.ephemeral and "Use the card's buttons" in first.text
    assert again is not None and again.tone is not Tone.SUCCESS
    assert await counted_votes(app, pid) == 0
    # Told privately, once: a DM keyed by proposal and member, however often they react.
    notices = [r for r in await outbox(app) if r.kind == "proposal.reaction_notice"]
    assert len(notices) == 1 and notices[0].target == "dm"
    # The buttons still vote.
    await click(app, "bob", f"proposal.vote:{pid}:for")
    assert await counted_votes(app, pid) == 1


async def test_limits_on_open_proposals_and_new_members(
    database_url: str, clock: FixedClock
) -> None:
    config = CommunityConfig.model_validate(
        {"proposals": {"max_open_per_member": 2, "min_member_days_to_vote": 3}}
    )
    app = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        await propose(app, "ana", 'feature "One" first')
        await propose(app, "ana", 'feature "Two" second')
        third = await invoke(app, "ana", "proposal create", 'feature "Three" third')
        assert third.tone is Tone.ERROR and "already have **2** active proposals" in third.text
        await invoke(app, "bob", "help")  # bob joins today
        newcomer = await invoke(app, "bob", "vote", "1 for")
        assert newcomer.tone is Tone.ERROR and "after 3 days" in newcomer.text
        assert "in 3d" in newcomer.text
        clock.advance(timedelta(days=3))
        assert (await invoke(app, "bob", "vote", "1 for")).tone is Tone.SUCCESS
    finally:
        await app.close()


async def test_vote_rewards_are_capped_per_day(database_url: str, clock: FixedClock) -> None:
    config = CommunityConfig.model_validate(
        {"proposals": {"vote_rewards_per_day": 2, "max_open_per_member": 5}}
    )
    app = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        ids = [await propose(app, "ana", f'feature "Idea {i}" text') for i in range(4)]
        rewarded = ["points" in (await invoke(app, "bob", "vote", f"{i} for")).text for i in ids]
        assert rewarded == [True, True, False, False]
        clock.advance(timedelta(days=1))
        extra = await propose(app, "carol", 'feature "Idea tomorrow" text')
        assert "+2 points" in (await invoke(app, "bob", "vote", f"{extra} for")).text
        assert "**6**" in (await invoke(app, "bob", "points balance")).text
    finally:
        await app.close()


async def test_listing_is_paginated_and_filtered(app: App, clock: FixedClock) -> None:
    config_page = app.config.proposals.page_size
    for i in range(config_page + 2):
        await propose(app, f"m{i}", f'content "Topic {i}" text')
    await propose(app, "x", 'policy "Rule" text')
    first = await invoke(app, "bob", "proposals")
    assert first.footer is not None and "Page 1 of 2" in first.footer
    assert [b.action_id for b in first.buttons] == ["proposal.page:all:all:2"]
    second = await click(app, "bob", "proposal.page:all:all:2")
    assert "Page 2 of 2" in (second.footer or "") and second.text.count("**#") == 3
    policies = await invoke(app, "bob", "proposals", "active policy")
    assert policies.text.count("**#") == 1 and "Rule" in policies.text
    none = await invoke(app, "bob", "proposals", "implemented")
    assert "No proposals match" in none.text


async def test_a_page_past_the_end_shows_the_last_page_not_no_match(app: App) -> None:
    await propose(app, "ana", 'feature "Dark mode" please')
    reply = await invoke(app, "bob", "proposals", "active feature 5")
    assert "No proposals match" not in reply.text
    assert "Dark mode" in reply.text and "Page 1 of 1" in (reply.footer or "")


async def test_a_quorum_exceeded_reads_as_met_not_four_of_three(app: App) -> None:
    pid = await propose(app, "ana", 'feature "Dark mode" please')
    for name in ("bob", "carol", "dave", "erin"):
        await invoke(app, name, "vote", f"{pid} for")
    show = await invoke(app, "bob", "proposal show", str(pid))
    quorum = {f.name: f.value for f in show.fields}["Quorum"]
    assert quorum.endswith("met: 4 voters, 3 needed") and "4 of 3" not in quorum


async def test_duplicate_titles_get_a_warning(app: App) -> None:
    await propose(app, "ana", 'feature "Dark mode" please')
    reply = await invoke(app, "bob", "proposal create", 'improvement "dark  MODE!" also please')
    assert reply.tone is not Tone.ERROR
    assert reply.footer is not None and "Looks like #1 “Dark mode”" in reply.footer


async def test_unknown_proposal_and_bad_ids_are_friendly(app: App) -> None:
    missing = await invoke(app, "bob", "vote", "99 for")
    assert missing.tone is Tone.ERROR and "couldn't find proposal **#99**" in missing.text
    bad = await invoke(app, "bob", "proposal show", "twelve")
    assert bad.tone is Tone.ERROR and "not a proposal number" in bad.text
    stale = await click(app, "bob", "proposal.vote:1")
    assert stale.tone is Tone.ERROR


async def test_ids_beyond_any_row_are_not_found_on_every_engine(app: App) -> None:
    # PostgreSQL ids are 32-bit: a bigger number must not reach a query and crash.
    for command, text in [
        ("proposal show", "99999999999"),
        ("vote", "2147483648 for"),
        ("proposal withdraw", "99999999999"),
        ("admin proposal close", "99999999999 done"),
    ]:
        reply = await invoke(app, "mia", command, text, mod=True)
        assert reply.tone is Tone.ERROR and "couldn't find proposal" in reply.text, reply.text
    stale = await click(app, "bob", "proposal.vote:99999999999:for")
    assert "couldn't find proposal" in stale.text
    assert app.runner.unhandled_errors == 0


async def test_export_csv_has_tallies_and_voters_of_open_proposals(
    app: App, clock: FixedClock
) -> None:
    pid = await propose(app, "ana", 'feature "=cmd|calc" formula title')
    await invoke(app, "bob", "vote", f"{pid} for")
    await invoke(app, "carol", "vote", f"{pid} against")
    reply = await invoke(app, "mia", "admin export proposals", mod=True)
    assert reply.file is not None and reply.file.filename.endswith(".csv")
    assert reply.file.content_type == "text/csv"
    row = next(csv.DictReader(io.StringIO(reply.file.data.decode())))
    assert row["title"] == "'=cmd|calc"  # a spreadsheet will not run it
    assert (row["for"], row["against"], row["voters"]) == ("1", "1", "2")
    assert row["votes"] == "bob=for×1; carol=against×1"
    refused = await invoke(app, "bob", "admin export proposals")
    assert refused.tone is Tone.ERROR


async def test_proposal_reader_lists_what_a_member_has_not_voted_on(app: App) -> None:
    first = await propose(app, "ana", 'feature "One" text')
    second = await propose(app, "ana", 'feature "Two" text --deadline 1d')
    await invoke(app, "bob", "vote", f"{first} for")
    reader = app.ctx.need(ProposalReader)
    async with app.uow(read_only=True) as uow:
        bob = await uow.get(IdentityRepository).member_for_account(Platform.CONSOLE, "demo", "bob")
        assert bob is not None
        waiting = await reader.awaiting_vote(uow, bob.id)
    assert [s.proposal_id for s in waiting] == [second]


class _Tiers:
    """A stand-in for the progress feature's TierReader (not installed on this branch)."""

    def __init__(self, by_member: dict[int, int]) -> None:
        self.by_member = by_member

    async def tier_of(self, uow: object, member_id: MemberId) -> TierInfo:
        index = self.by_member.get(int(member_id), 0)
        return TierInfo(level=index * 5, xp=0, tier_index=index, tier_name=f"Tier{index}")


async def test_tier_rules_gate_and_weigh_votes_when_tiers_exist(
    app: App, clock: FixedClock
) -> None:
    config = CommunityConfig.model_validate(
        {
            "proposals": {
                "min_tier_to_propose": 1,
                "min_tier_to_vote": 1,
                "feature": {"tier_weights": [1, 1, 3], "quorum_votes": 0},
            }
        }
    ).proposals
    members = {}
    for name in ("ana", "bob", "carol"):
        await invoke(app, name, "help")
    async with app.uow(read_only=True) as uow:
        identity = uow.get(IdentityRepository)
        for name in ("ana", "bob", "carol"):
            m = await identity.member_for_account(Platform.CONSOLE, "demo", name)
            assert m is not None
            members[name] = m
        community = await identity.get_community(members["ana"].community_id)
    assert community is not None
    tiers = _Tiers({members["ana"].id: 1, members["bob"].id: 2, members["carol"].id: 0})
    service = ProposalService(app.clock, config, app.ctx.points, tiers=lambda: tiers)
    without = ProposalService(app.clock, config, app.ctx.points)
    async with app.uow() as uow:
        created = await service.create(
            uow, community, members["ana"], ProposalType.FEATURE, "Dark mode", "please"
        )
        pid = created.proposal.id
        with pytest.raises(TierTooLowError):
            await service.create(
                uow, community, members["carol"], ProposalType.FEATURE, "Light", "too"
            )
        with pytest.raises(TierTooLowError):
            await service.vote(uow, community, members["carol"], pid, Choice.AGAINST)
        result = await service.vote(uow, community, members["bob"], pid, Choice.FOR)
        assert result.tally.for_weight == 3 and result.tally.weighted
        # Without a TierReader the tier rule cannot apply, and everyone weighs 1.
        plain = await without.vote(uow, community, members["carol"], pid, Choice.AGAINST)
        assert plain.tally.against_weight == 1
        await uow.commit()
    clock.advance(timedelta(days=31))
    await sweep(app)(clock.now())
    show = await invoke(app, "ana", "proposal show", str(pid))
    assert "For **3** · 👎 Against **1**" in {f.name: f.value for f in show.fields}["Tally"]
    assert "weighted" in {f.name: f.value for f in show.fields}["Tally"]


async def test_role_weights_apply_to_votes_from_the_platform(
    database_url: str, clock: FixedClock
) -> None:
    config = CommunityConfig.model_validate(
        {"proposals": {"feature": {"role_weights": {"Core team": 4}}}}
    )
    app = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        pid = await propose(app, "ana", 'feature "Dark mode" please')
        core = replace(actor("bob"), roles=("Core team",))
        await app.runner.dispatch(
            Invocation(
                actor=core,
                key="k1",
                place=Place(channel_id="console"),
                command="vote",
                text=f"{pid} for",
            )
        )
        await invoke(app, "carol", "vote", f"{pid} against")
        show = await invoke(app, "carol", "proposal show", str(pid))
        tally = {f.name: f.value for f in show.fields}["Tally"]
        assert "For **4** · 👎 Against **1**" in tally and "(2 voters)" in tally
    finally:
        await app.close()


async def test_quorum_share_counts_recently_active_members(
    database_url: str, clock: FixedClock
) -> None:
    config = CommunityConfig.model_validate(
        {"proposals": {"feature": {"quorum_votes": 1, "quorum_share": 0.5}}}
    )
    app = await build_app(database_url, config, clock=clock, upgrade=False)
    try:
        for name in ("a", "b", "c", "d", "e", "f"):
            await invoke(app, name, "checkin")  # six members earned points recently
        clock.advance(timedelta(days=40))
        await invoke(app, "g", "checkin")  # the others are no longer active
        pid = await propose(app, "ana", 'feature "Dark mode" please --deadline 1d')
        await invoke(app, "bob", "vote", f"{pid} for")
        show = await invoke(app, "bob", "proposal show", str(pid))
        # Active: g (points) and bob (voted) -> half of 2 is 1 voter, already reached.
        assert "met: 1 voter, 1 needed" in {f.name: f.value for f in show.fields}["Quorum"]
        for name in ("a", "b", "c", "d", "e", "f"):
            await invoke(app, name, "checkin")
        show = await invoke(app, "bob", "proposal show", str(pid))
        assert "1 of 4 voters needed" in {f.name: f.value for f in show.fields}["Quorum"]
    finally:
        await app.close()


async def test_id_autocomplete_suggests_active_proposals_of_the_callers_community(
    app: App,
) -> None:
    await propose(app, "ana", 'feature "Dark mode" please')
    await propose(app, "ana", 'feature "Emoji pack" please')
    suggest = app.registry.autocomplete("proposal_id")
    assert suggest is not None
    async with app.uow(read_only=True) as uow:
        community = await uow.get(IdentityRepository).community_for_workspace(
            Platform.CONSOLE, "demo"
        )
    caller = SimpleNamespace(community=community)
    assert await suggest(caller, "") == [("#2 Emoji pack", "2"), ("#1 Dark mode", "1")]
    assert await suggest(caller, "dark") == [("#1 Dark mode", "1")]
    assert await suggest(caller, "#2") == [("#2 Emoji pack", "2")]
    assert await suggest(app.ctx, "") == []  # no community known: suggest nothing


async def test_no_card_edit_is_sent_after_the_final_card_of_a_closed_proposal(
    app: App, clock: FixedClock
) -> None:
    from bot.scheduler import OutboxDeliverer
    from tests.support.scheduling import Recorder

    recorder = Recorder(clock)
    deliverer = OutboxDeliverer(app.uow, app.config, clock, [recorder])
    pid = await propose(app, "ana", 'feature "Dark mode" A dark theme')
    await deliverer.drain()
    await invoke(app, "bob", "vote", f"{pid} for")  # a live edit, held for its period
    await invoke(app, "mia", "admin proposal close", f"{pid} enough discussion", mod=True)
    for _ in range(3):
        await deliverer.drain()
        clock.advance(timedelta(minutes=5))
    edits = [d for _, d in recorder.of_kind("proposal.card") if d.target == "edit"]
    # One edit: the final card. The live edit it replaced was a second, identical one.
    assert len(edits) == 1, [d.reply.footer for d in edits]
    assert edits[0].reply.buttons == ()
