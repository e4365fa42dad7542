"""What the hackathons feature needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.hackathons.model import Entry, Hackathon, HackathonId, Phase, Team, TeamId


class HackathonRepository(Protocol):
    """Storage of hackathons, their teams, entries and anonymous votes."""

    async def add(
        self,
        community_id: CommunityId,
        host_id: MemberId,
        title: str,
        submit_by: datetime,
        vote_by: datetime,
        prizes: tuple[int, ...],
        team_size: int,
        now: datetime,
    ) -> Hackathon: ...

    async def get(
        self, community_id: CommunityId, hackathon_id: HackathonId
    ) -> Hackathon | None: ...

    async def lock(self, hackathon_id: HackathonId) -> Hackathon | None:
        """The contest, its row locked for this transaction (joins, votes, phase changes)."""
        ...

    async def move(self, hackathon_id: HackathonId, from_: Phase, to: Phase) -> bool:
        """Conditional phase change; False when another process moved it first."""
        ...

    async def team_of(self, hackathon_id: HackathonId, member_id: MemberId) -> Team | None: ...

    async def team_named(self, hackathon_id: HackathonId, name: str) -> Team | None: ...

    async def add_team(self, hackathon_id: HackathonId, name: str, now: datetime) -> Team: ...

    async def join(
        self, hackathon_id: HackathonId, team_id: TeamId, member_id: MemberId, now: datetime
    ) -> None: ...

    async def leave(self, hackathon_id: HackathonId, member_id: MemberId) -> None:
        """Leave the team; an empty team and its submission go with the last member."""
        ...

    async def submit(
        self, team_id: TeamId, hackathon_id: HackathonId, link: str, description: str, now: datetime
    ) -> bool:
        """Store or replace the team's submission; True when it is the first."""
        ...

    async def entries(self, hackathon_id: HackathonId) -> list[Entry]: ...

    async def vote(self, hackathon_id: HackathonId, voter_id: MemberId, team_id: TeamId) -> bool:
        """Record the one vote of a member; False when they had already voted."""
        ...

    async def tally(self, hackathon_id: HackathonId) -> dict[TeamId, int]:
        """Votes per team — counts only: who voted for what never leaves storage."""
        ...

    async def due(self, phase: Phase, now: datetime, limit: int) -> list[Hackathon]:
        """Contests in `phase` whose deadline for leaving it has passed."""
        ...
