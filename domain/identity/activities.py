"""What identity records: a member joined (the stored member count follows it)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.activity import Activity, activity


@activity("member_joined", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class MemberJoined(Activity):
    """A member was enrolled in the community (logged by the enrolment's transaction)."""
