"""Who gets a streak reminder tonight, and how; members' notification settings."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.identity import Community, Member
from domain.notifications.errors import BadQuietHoursError
from domain.notifications.model import Preferences, StoredPrefs
from domain.notifications.repository import NotificationRepository
from domain.notifications.rules import (
    parse_clock,
    parse_quiet_hours,
    quiet_until,
    reminder_due,
)

if TYPE_CHECKING:
    from domain.notifications.config import RemindersSection


@dataclass(frozen=True, slots=True)
class StreakReminder:
    """A member to remind that their streak ends tonight."""

    member: Member
    streak: int
    local_date_iso: str


@dataclass(slots=True)
class ReminderBatch:
    """Tonight's reminders of one community: some by DM, the rest in one channel post."""

    by_dm: list[StreakReminder] = field(default_factory=list)
    in_channel: list[StreakReminder] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NudgeDecision:
    """Whether and how to nudge a member close to their next tier."""

    member: Member
    by_dm: bool
    not_before: datetime | None


class NotificationService:
    """Preferences with community defaults; reminder selection by local evening."""

    def __init__(self, config: RemindersSection) -> None:
        self._config = config
        self._evening = parse_clock(config.evening)
        self._late = timedelta(minutes=config.late_limit_minutes)

    def effective(self, stored: StoredPrefs) -> Preferences:
        quiet_text = (
            stored.quiet_hours if stored.quiet_hours is not None else self._config.quiet_hours
        )
        return Preferences(
            reminders=True if stored.reminders is None else stored.reminders,
            nudges=True if stored.nudges is None else stored.nudges,
            dms=self._config.dms_by_default if stored.dms is None else stored.dms,
            quiet=parse_quiet_hours(quiet_text) if quiet_text else None,
        )

    async def preferences(self, uow: UnitOfWork, member_id: MemberId) -> Preferences:
        return self.effective(await uow.get(NotificationRepository).prefs(member_id))

    async def update(
        self,
        uow: UnitOfWork,
        member: Member,
        now: datetime,
        *,
        reminders: bool | None = None,
        nudges: bool | None = None,
        dms: bool | None = None,
        quiet: str | None = None,
    ) -> Preferences:
        """Change the given settings, keep the others.

        Raises:
            BadQuietHoursError: `quiet` is neither "off" nor like 22:00-07:00.
        """
        repo = uow.get(NotificationRepository)
        stored = await repo.prefs(member.id)
        changes: dict[str, object] = {}
        for name, value in (("reminders", reminders), ("nudges", nudges), ("dms", dms)):
            if value is not None:
                changes[name] = value
        if quiet is not None:
            if quiet.strip().lower() in ("off", "none", "no"):
                changes["quiet_hours"] = ""
            else:
                try:
                    changes["quiet_hours"] = str(parse_quiet_hours(quiet))
                except ValueError:
                    raise BadQuietHoursError(given=quiet[:40]) from None
        if changes:
            # Only StoredPrefs fields were put in `changes`, each with its own type.
            stored = replace(stored, **changes)  # type: ignore[arg-type]  # see above
            await repo.save_prefs(member.id, stored, now)
        return self.effective(stored)

    async def streak_reminders(
        self, uow: UnitOfWork, community: Community, now: datetime
    ) -> ReminderBatch:
        """Claim tonight's reminder for each member who is due one at `now`.

        Due: a live streak of at least `min_streak` days (checked in yesterday,
        not yet today), local time between the evening and the late limit,
        reminders not turned off, not in quiet hours, not locked. The claim is a
        UNIQUE (member, local date) row, so a member is reminded once an evening
        however many times or processes run the job.
        """
        repo = uow.get(NotificationRepository)
        batch = ReminderBatch()
        for candidate in await repo.reminder_candidates(community.id, self._config.min_streak):
            member = candidate.member
            if member.is_locked:
                continue
            zone = member.timezone or community.timezone
            today = reminder_due(now, zone, self._evening, self._late)
            if today is None or candidate.last_local_date != today - timedelta(days=1):
                continue
            prefs = self.effective(candidate.prefs)
            if not prefs.reminders or quiet_until(now, zone, prefs.quiet) is not None:
                continue
            if not await repo.claim_streak_reminder(member.id, today, now):
                continue
            reminder = StreakReminder(member, candidate.streak, today.isoformat())
            (batch.by_dm if prefs.dms else batch.in_channel).append(reminder)
        return batch

    def near_next_tier(self, xp_to_next: int | None) -> bool:
        """Whether a member this far from the next tier may be nudged (nothing read).

        The projector asks before loading the member: nearly every XP gain
        leaves a next tier to reach, and few leave it within `nudge_within`.
        """
        return xp_to_next is not None and 0 < xp_to_next <= self._config.nudge_within

    async def tier_nudge(
        self,
        uow: UnitOfWork,
        member: Member,
        community: Community,
        tier_index: int,
        xp_to_next: int | None,
        now: datetime,
    ) -> NudgeDecision | None:
        """Decide whether to nudge `member` toward tier `tier_index + 1`, once per tier."""
        if not self.near_next_tier(xp_to_next):
            return None
        repo = uow.get(NotificationRepository)
        prefs = self.effective(await repo.prefs(member.id))
        if not prefs.nudges or member.is_locked:
            return None
        if not await repo.claim_tier_nudge(member.id, tier_index + 1, now):
            return None
        zone = member.timezone or community.timezone
        return NudgeDecision(member, prefs.dms, quiet_until(now, zone, prefs.quiet))
