"""What referrals record: a member's newcomer became active."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

REFERRALS = counter("referrals", "newcomers invited who became active")


@activity("referral_activated", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class ReferralActivated(Activity):
    """The member's invitee `referred_id` became active; the member is the referrer."""

    referred_id: int

    def counters(self) -> Mapping[str, int]:
        return {REFERRALS: 1}
