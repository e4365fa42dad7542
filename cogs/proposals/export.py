"""`/admin export proposals`: every proposal with its tally, as CSV or JSON.

Voter identities appear only for proposals that are not anonymous, and
neither tallies nor voters of a hidden proposal appear before it closes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from domain.core.uow import UnitOfWork
from domain.identity.model import Community
from domain.proposals import Proposal, ProposalService, Status, Tally, VoteRecord
from domain.proposals.repository import ProposalRepository

COLUMNS = (
    "id",
    "type",
    "title",
    "author",
    "status",
    "created_at",
    "closes_at",
    "closed_at",
    "anonymous",
    "hidden",
    "for",
    "against",
    "abstain",
    "voters",
    "quorum_needed",
    "outcome",
    "reason",
    "link",
    "votes",
)
_PAGE = 500


async def rows(
    uow: UnitOfWork, service: ProposalService, community: Community
) -> list[dict[str, Any]]:
    """One dict per proposal, oldest first, with what may be shown."""
    repo = uow.get(ProposalRepository)
    found: list[Proposal] = []
    offset = 0
    while True:
        page, total = await repo.search(community.id, None, None, _PAGE, offset)
        found.extend(page)
        offset += _PAGE
        if offset >= total or not page:
            break
    out = []
    for p in sorted(found, key=lambda p: p.id):
        tally: Tally | None = await service.tally(uow, p) if p.tally_visible() else None
        votes: list[VoteRecord] | None = None
        if not p.anonymous and p.tally_visible():
            votes = await repo.votes(p.id)
        out.append(_row(p, tally, votes))
    return out


def _row(p: Proposal, tally: Tally | None, votes: list[VoteRecord] | None) -> dict[str, Any]:
    return {
        "id": int(p.id),
        "type": str(p.type),
        "title": p.title,
        "author": p.author_name,
        "status": str(p.status),
        "created_at": p.created_at.isoformat(),
        "closes_at": p.closes_at.isoformat(),
        "closed_at": p.closed_at.isoformat() if p.closed_at else None,
        "anonymous": p.anonymous,
        "hidden": p.hidden and p.status is Status.ACTIVE,
        "for": tally.for_weight if tally else None,
        "against": tally.against_weight if tally else None,
        "abstain": tally.abstain_weight if tally else None,
        "voters": tally.voters if tally else None,
        "quorum_needed": p.quorum_needed,
        "outcome": str(p.outcome) if p.outcome else None,
        "reason": p.reason,
        "link": p.link,
        "votes": None
        if votes is None
        else [
            {"member": v.member_name, "choice": str(v.choice), "weight": v.weight} for v in votes
        ],
    }


def to_json(data: list[dict[str, Any]]) -> bytes:
    """Encode the export rows as a JSON document."""
    return json.dumps({"proposals": data}, ensure_ascii=False, indent=2).encode("utf-8")


def to_csv(data: list[dict[str, Any]]) -> bytes:
    """Encode the export rows as CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in data:
        flat = dict(row)
        votes = row["votes"]
        flat["votes"] = (
            "; ".join(f"{v['member']}={v['choice']}×{v['weight']}" for v in votes)
            if votes is not None
            else ""
        )
        writer.writerow({k: _cell(v) for k, v in flat.items()})
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    """Neutralise member text a spreadsheet would run as a formula (=, +, -, @)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
