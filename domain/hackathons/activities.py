"""What hackathons record: taking part and winning, and the counters they move."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

HACKATHONS_JOINED = counter("hackathons_joined", "hackathons taken part in")
HACKATHONS_WON = counter("hackathons_won", "hackathons won")


@activity("hackathon_joined", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class HackathonJoined(Activity):
    """The member joined a team of hackathon `hackathon_id` (once per hackathon)."""

    hackathon_id: int

    def counters(self) -> Mapping[str, int]:
        return {HACKATHONS_JOINED: 1}


@activity("hackathon_won", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class HackathonWon(Activity):
    """The member's team took first place (a shared first place counts too)."""

    hackathon_id: int

    def counters(self) -> Mapping[str, int]:
        return {HACKATHONS_WON: 1}
