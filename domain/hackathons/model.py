"""Hackathon values: the contest, its teams, their submissions and the results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType

from domain.core.ids import CommunityId, MemberId

HackathonId = NewType("HackathonId", int)
TeamId = NewType("TeamId", int)


class Phase(StrEnum):
    """Open for teams and submissions, then voting, then finished (prizes paid)."""

    OPEN = "open"
    VOTING = "voting"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class Hackathon:
    """A contest: teams submit until `submit_by`, members vote until `vote_by`, prizes per place."""

    id: HackathonId
    community_id: CommunityId
    host_id: MemberId
    title: str
    submit_by: datetime
    vote_by: datetime
    prizes: tuple[int, ...]
    team_size: int
    phase: Phase
    created_at: datetime

    @property
    def anchor(self) -> str:
        return f"hackathon:{self.id}"


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A member of a team, with the name shown for them."""

    member_id: MemberId
    name: str


@dataclass(frozen=True, slots=True)
class Team:
    """A named team in one hackathon and its members."""

    id: TeamId
    hackathon_id: HackathonId
    name: str
    members: tuple[TeamMember, ...]  # in the order they joined (the first gets remainders)


@dataclass(frozen=True, slots=True)
class Entry:
    """A team's submission."""

    team: Team
    link: str
    description: str
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Placing:
    """A team's result: its place (ties share one), votes, and what each member got."""

    place: int
    entry: Entry
    votes: int
    prize: int  # the team's share of the place's prize
    paid: tuple[tuple[MemberId, int], ...]


@dataclass(frozen=True, slots=True)
class Results:
    """A finished hackathon's placings, best first, with the prizes each member was paid."""

    hackathon: Hackathon
    placings: tuple[Placing, ...]
