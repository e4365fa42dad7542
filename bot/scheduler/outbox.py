"""Deliver the outbox: claim due announcements, send them through the adapters, retry.

- Claiming: one statement moves due, unclaimed pending rows to this worker
  for `claim_seconds` (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several
  deliverers share the work; SQLite: the single writer serialises claims).
  A worker that dies leaves a claim that simply expires.
- Sending happens outside any transaction; each workspace reached is recorded
  at once in `outbox_deliveries`, so a retry after a partial failure never
  posts twice to the same place, and `dedupe_key` is UNIQUE in the outbox.
- `RetryLater` (rate limit, outage): back off exponentially (base * 2^attempt,
  at least the adapter's `after`), up to `max_attempts`, then `failed`.
  While a platform backs off, the rest of the batch for it is handed back
  untried (no attempt counted) until the same time, so an outage or a global
  rate limit is not hammered row by row.
  `CannotDeliver` (no permission, deleted channel): `failed` at once, with the
  reason shown in `/admin schedule`.
- Wake-ups: every commit that stored announcements calls `wake()`; otherwise
  the loop polls every `poll_seconds` (other processes' announcements).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.delivery import CannotDeliver, Deliverer, Delivery, RetryLater
from bot.scheduler.jobs import default_holder
from cogs.kit import Reply
from cogs.kit.reply import Mention
from domain.core.anchors import AnchorRepository, PostedMessage
from domain.core.announcements import (
    LIVE,
    ChannelChoice,
    ChannelDirectory,
    Target,
    live_renderer,
)
from domain.core.clock import Clock
from domain.core.config import CommunityConfig
from domain.core.ids import MemberId
from domain.core.scheduling import ClaimedAnnouncement, OutboxQueue, WorkspaceRef
from domain.core.uow import UnitOfWork, UnitOfWorkFactory
from domain.identity import Account, IdentityRepository

log = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 30  # every outside call has a timeout


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one claimed outbox row: sent, retried, deferred, failed or lost."""

    outbox_id: int
    # sent | retry | deferred (platform paused) | failed | lost (claim expired)
    # | dropped (a live announcement with nothing left to show, marked sent)
    status: str


class OutboxDeliverer:
    """Send pending announcements through the registered platform deliverers."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        config: CommunityConfig,
        clock: Clock,
        deliverers: Iterable[Deliverer] = (),
        *,
        worker: str | None = None,
        batch: int = 20,
    ) -> None:
        self._uow = uow
        self._config = config
        self._clock = clock
        self._deliverers: dict[str, Deliverer] = {}
        self._paused: dict[str, datetime] = {}  # platform -> backing off until
        self.worker = worker or default_holder()
        self._batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        s = config.schedule
        self._claim_for = timedelta(seconds=s.claim_seconds)
        self._base = timedelta(seconds=s.retry_base_seconds)
        self._max_delay = timedelta(seconds=s.retry_max_seconds)
        for deliverer in deliverers:
            self.register(deliverer)

    def register(self, deliverer: Deliverer) -> None:
        """Add a platform's deliverer (one per platform); safe after start."""
        self._deliverers[str(deliverer.platform)] = deliverer
        self.wake()

    def wake(self) -> None:
        """Look for work now (called after commits that stored announcements)."""
        self._wake.set()

    # -- one pass ----------------------------------------------------------------

    async def run_once(self) -> list[Outcome]:
        """Claim one batch of due announcements and try each; return what happened."""
        if not self._deliverers:
            return []
        now = self._clock.now()
        async with self._uow() as uow:
            claimed = await uow.get(OutboxQueue).claim(
                self.worker, now, now + self._claim_for, self._batch
            )
            await uow.commit()
        outcomes = []
        for row in claimed:
            outcomes.append(await self._deliver(row))
        return outcomes

    async def drain(self, rounds: int = 100) -> list[Outcome]:
        """Run passes until nothing due is left (tests, console scripts)."""
        done: list[Outcome] = []
        for _ in range(rounds):
            batch = await self.run_once()
            if not batch:
                break
            done.extend(batch)
        return done

    async def run_forever(self, poll_seconds: float | None = None) -> None:
        """Deliver until cancelled; sleep until woken, the next due row, or the poll."""
        poll = poll_seconds if poll_seconds is not None else self._config.schedule.poll_seconds
        while not self._stopping:
            self._wake.clear()
            try:
                if await self.run_once():
                    continue
            except Exception:  # the database may be restarting: keep the loop alive
                log.exception("outbox delivery pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=poll)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    # -- one announcement ----------------------------------------------------------

    async def _deliver(self, row: ClaimedAnnouncement) -> Outcome:
        # A slow batch may outlive the claim: renew it per row (in the same transaction
        # that reads where the row goes), and let go of a row another deliverer has
        # taken over meanwhile rather than send it twice.
        now = self._clock.now()
        async with self._uow() as uow:
            queue = uow.get(OutboxQueue)
            if not await queue.renew(row.id, self.worker, now + self._claim_for):
                return Outcome(row.id, "lost")
            workspaces = await queue.workspaces(row.community_id)
            done = await queue.delivered_to(row.id)
            payload = await self._rendered(uow, row)
            if payload is None:  # a live announcement that is no longer news
                ok = await queue.mark_sent(row.id, self.worker, now)
                await uow.commit()
                return Outcome(row.id, "dropped" if ok else "lost")
            channels = await uow.get(ChannelDirectory).channels(row.community_id)
            reply = await self._with_accounts(uow, Reply.from_dict(payload))
            dm_accounts = (
                await uow.get(IdentityRepository).accounts_of([row.member_id])
                if row.target == Target.DM and row.member_id is not None
                else []
            )
            anchored = (
                await uow.get(AnchorRepository).messages_for(row.community_id, row.anchor)
                if row.target == Target.EDIT and row.anchor
                else []
            )
            await uow.commit()
        covered = [w for w in workspaces if w.platform in self._deliverers]
        if not covered:
            return await self._fail(row, "no adapter is running for this community's platforms")
        pending = [w for w in covered if (w.platform, w.workspace_id) not in done]
        if row.target == Target.DM:
            # One DM per member, even when they are on both Discord and Slack: the
            # first workspace where they have an account (unless one already got it).
            reachable = [w for w in covered if _account_on(dm_accounts, w) is not None]
            reached = any((w.platform, w.workspace_id) in done for w in reachable)
            pending = [] if reached else [w for w in reachable if w in pending][:1]
        paused = [
            self._paused[w.platform] for w in pending if self._paused.get(w.platform, now) > now
        ]
        if paused:
            return await self._postpone(row, max(paused))
        sent: list[tuple[WorkspaceRef, str | None, str | None]] = []
        for ws in pending:
            delivery = self._delivery_for(row, ws, reply, channels, dm_accounts, anchored)
            if delivery is None:  # nothing to do there (no account / no card on that platform)
                sent.append((ws, None, None))
                continue
            try:
                posted = await asyncio.wait_for(
                    self._deliverers[ws.platform].deliver(delivery), SEND_TIMEOUT_SECONDS
                )
            except Exception as err:
                await self._record(row, sent)  # keep what did go out before letting go
                if isinstance(err, CannotDeliver):
                    return await self._fail(row, f"{ws.platform}: {err}")
                after = err.after if isinstance(err, RetryLater) else timedelta(0)
                if not isinstance(err, RetryLater):
                    log.exception("delivery of outbox %s to %s failed", row.id, ws.platform)
                reason = str(err) if isinstance(err, RetryLater) else type(err).__name__
                return await self._retry(row, after, f"{ws.platform}: {reason}", ws.platform)
            anchor = reply.anchor if delivery.target == Target.CHANNEL else None
            sent.append((ws, posted, anchor))
            if ws is not pending[-1]:
                # Recorded at once: a later workspace's failure must not resend this one.
                await self._record(row, sent)
                sent = []
        # The last workspace's record and the row's "sent" commit together.
        return await self._record(row, sent, finish=True)

    def _delivery_for(
        self,
        row: ClaimedAnnouncement,
        ws: WorkspaceRef,
        reply: Reply,
        channels: list[ChannelChoice],
        dm_accounts: list[Account],
        anchored: list[PostedMessage],
    ) -> Delivery | None:
        target = Target(row.target)
        base: dict[str, Any] = {
            "outbox_id": row.id,
            "kind": row.kind,
            "target": target,
            "workspace_id": ws.workspace_id,
            "reply": reply,
            "since": row.claimed_before,
        }
        if target is Target.DM:
            user = _account_on(dm_accounts, ws)
            return Delivery(**base, user_id=user) if user else None
        if target is Target.EDIT:
            ids = tuple((m.channel_id, m.message_id) for m in anchored if m.platform == ws.platform)
            return Delivery(**base, message_ids=ids) if ids else None
        kind = row.channel_kind or "announcements"
        chosen = next(
            (
                c.channel_id
                for c in channels
                if c.kind == kind
                and c.platform == ws.platform
                and c.workspace_id == ws.workspace_id
            ),
            None,
        )
        name = getattr(self._config.channels, kind, None) or self._config.channels.announcements
        if chosen is not None and chosen.startswith("#"):  # chosen by name: adapters look it up
            name, chosen = chosen[1:], None
        return Delivery(**base, channel_id=chosen, channel_name=name)

    async def _rendered(self, uow: UnitOfWork, row: ClaimedAnnouncement) -> dict[str, Any] | None:
        """The row's reply: its payload, or for a live one, the state rendered now."""
        if not row.payload.get(LIVE):
            return row.payload
        render = live_renderer(row.kind)
        if render is None:  # the feature that queued it is not installed any more
            log.warning("no renderer for live outbox %s (%s): dropped", row.id, row.kind)
            return None
        return await render(uow, self._config, row.payload)

    async def _with_accounts(self, uow: UnitOfWork, reply: Reply) -> Reply:
        """Fill mentioned members' platform accounts, so every adapter can mention them."""
        missing = [m.member_id for m in reply.mentions if not m.accounts]
        if not missing:
            return reply
        accounts = await uow.get(IdentityRepository).accounts_of([MemberId(m) for m in missing])
        by_member: dict[int, dict[str, str]] = {}
        for acc in accounts:
            by_member.setdefault(int(acc.member_id), {})[str(acc.platform)] = acc.user_id
        return reply.with_(
            mentions=tuple(
                m
                if m.accounts
                else Mention(m.member_id, m.display_name, by_member.get(m.member_id, {}))
                for m in reply.mentions
            )
        )

    async def _record(
        self,
        row: ClaimedAnnouncement,
        sent: list[tuple[WorkspaceRef, str | None, str | None]],
        *,
        finish: bool = False,
    ) -> Outcome:
        """Remember which workspaces got it (and anchor posted cards); maybe mark it sent."""
        if not sent and not finish:
            return Outcome(row.id, "pending")
        now = self._clock.now()
        ok = True
        async with self._uow() as uow:
            queue = uow.get(OutboxQueue)
            for ws, posted, anchor in sent:
                await queue.record_delivery(row.id, ws.platform, ws.workspace_id, posted, now)
                if anchor and posted and ":" in posted:
                    channel_id, message_id = posted.split(":", 1)
                    await uow.get(AnchorRepository).remember(
                        PostedMessage(
                            ws.platform, channel_id, message_id, row.community_id, anchor
                        ),
                        now,
                    )
            if finish:
                ok = await queue.mark_sent(row.id, self.worker, now)
            await uow.commit()
        return Outcome(row.id, "sent" if ok else "lost")

    def backoff(self, attempts: int, after: timedelta) -> timedelta:
        """Base * 2^attempts, capped, and never sooner than the platform asked."""
        exponential = self._base * (2 ** min(attempts, 20))
        return max(min(exponential, self._max_delay), after)

    async def _retry(
        self, row: ClaimedAnnouncement, after: timedelta, error: str, platform: str
    ) -> Outcome:
        not_before = self._clock.now() + self.backoff(row.attempts, after)
        self._paused[platform] = max(not_before, self._paused.get(platform, not_before))
        if row.attempts + 1 >= self._config.schedule.max_attempts:
            return await self._fail(row, f"gave up after {row.attempts + 1} attempts: {error}")
        async with self._uow() as uow:
            ok = await uow.get(OutboxQueue).retry(row.id, self.worker, not_before, error)
            await uow.commit()
        log.info("outbox %s: retry at %s (%s)", row.id, not_before.isoformat(), error)
        return Outcome(row.id, "retry" if ok else "lost")

    async def _postpone(self, row: ClaimedAnnouncement, until: datetime) -> Outcome:
        async with self._uow() as uow:
            ok = await uow.get(OutboxQueue).postpone(row.id, self.worker, until)
            await uow.commit()
        return Outcome(row.id, "deferred" if ok else "lost")

    async def _fail(self, row: ClaimedAnnouncement, error: str) -> Outcome:
        async with self._uow() as uow:
            ok = await uow.get(OutboxQueue).fail(row.id, self.worker, error)
            await uow.commit()
        log.warning("outbox %s (%s) failed: %s", row.id, row.kind, error)
        return Outcome(row.id, "failed" if ok else "lost")


def _account_on(accounts: list[Account], ws: WorkspaceRef) -> str | None:
    """The member's user id on this workspace, if they have an account there."""
    return next(
        (
            a.user_id
            for a in accounts
            if str(a.platform) == ws.platform and a.workspace_id == ws.workspace_id
        ),
        None,
    )
