"""Reply builders for hackathons: the card, the gallery, the results."""

from __future__ import annotations

from cogs.events.cards import when
from cogs.kit import Button, ButtonStyle, Field, Reply, Tone
from cogs.kit.messages import count, text
from domain.hackathons import Entry, Hackathon, Results, Team


def card(h: Hackathon, teams: list[Team], zone: str) -> Reply:
    """Build the hackathon card: phase, both deadlines in `zone`, prizes, team size, teams."""
    prizes = " / ".join(str(p) for p in h.prizes) if h.prizes else text("hackathons.card.no_prizes")
    names = ", ".join(f"{t.name} ({len(t.members)})" for t in teams) or "—"
    return Reply(
        title=text("hackathons.card.title", id=h.id, title=h.title),
        fields=(
            Field(text("hackathons.card.phase"), text(f"hackathons.phase.{h.phase}")),
            Field(text("hackathons.card.submit_by"), when(h.submit_by, zone), False),
            Field(text("hackathons.card.vote_by"), when(h.vote_by, zone), False),
            Field(text("hackathons.card.prizes"), prizes),
            Field(text("hackathons.card.team_size"), str(h.team_size)),
            Field(text("hackathons.card.teams"), names, False),
        ),
        anchor=h.anchor,
    )


def _members(team: Team) -> str:
    return ", ".join(m.name for m in team.members)


def gallery(h: Hackathon, entries: list[Entry]) -> Reply:
    """Build the gallery posted when voting opens: each entry with a vote button (25 at most)."""
    if not entries:
        return Reply(
            title=text("hackathons.gallery.title", id=h.id, title=h.title),
            text=text("hackathons.gallery.empty"),
        )
    return Reply(
        title=text("hackathons.gallery.title", id=h.id, title=h.title),
        text=text("hackathons.gallery.text", id=h.id),
        fields=tuple(
            Field(f"{e.team.name} ({_members(e.team)})", f"{e.link}\n{e.description}", False)
            for e in entries[:25]
        ),
        buttons=tuple(
            Button(e.team.name[:80], f"hackathon.vote:{h.id}:{e.team.id}", ButtonStyle.PRIMARY)
            for e in entries[:25]
        ),
        anchor=f"hackathon:{h.id}:gallery",
    )


def results(r: Results) -> Reply:
    """Build the results card: placings with votes and prizes, or that nobody got a vote."""
    h = r.hackathon
    lines = [
        text(
            "hackathons.results.line",
            place=p.place,
            team=p.entry.team.name,
            votes=count("count.votes", p.votes),
            prize=count("count.points", p.prize) if p.prize else "—",
        )
        for p in r.placings
    ]
    return Reply(
        title=text("hackathons.results.title", id=h.id, title=h.title),
        text="\n".join(lines) or text("hackathons.results.none"),
        tone=Tone.SUCCESS,
    )
