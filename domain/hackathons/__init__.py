"""Hackathons: teams, submissions, an anonymous vote and prizes paid from the community."""

from domain.hackathons.model import (
    Entry,
    Hackathon,
    HackathonId,
    Phase,
    Placing,
    Results,
    Team,
    TeamId,
    TeamMember,
)
from domain.hackathons.repository import HackathonRepository
from domain.hackathons.service import HackathonService, parse_hackathon_id

__all__ = [
    "Entry",
    "Hackathon",
    "HackathonId",
    "HackathonRepository",
    "HackathonService",
    "Phase",
    "Placing",
    "Results",
    "Team",
    "TeamId",
    "TeamMember",
    "parse_hackathon_id",
]
