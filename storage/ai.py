"""AI calls and their token usage (see `domain.core.ai_spend`), shared by every AI feature."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ai_spend import (
    AiCall,
    AiCallRepository,
    DailySpend,
    MemberSpend,
    Reservation,
    SpendTotals,
)
from domain.core.ids import CommunityId, MemberId
from storage.base import Base
from storage.registry import implements
from storage.types import UTCDateTime


class AiCallRow(Base):
    """One call to the model: who asked, what for, with which prompt, and what it used."""

    __tablename__ = "ai_calls"
    __table_args__ = (
        Index("ix_ai_calls_community_at", "community_id", "at"),
        Index("ix_ai_calls_member", "community_id", "member_id", "purpose", "at"),
        CheckConstraint(
            "prompt_tokens >= 0 AND completion_tokens >= 0 AND total_tokens >= 0",
            name="tokens_not_negative",
        ),
        CheckConstraint("cost_micros >= 0", name="cost_not_negative"),
        CheckConstraint("state IN ('reserved', 'settled')", name="state_known"),
        # One call per request: a retried or double-submitted request finds the first.
        Index("uq_ai_calls_request", "community_id", "purpose", "request_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    purpose: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(100))
    prompt_version: Mapped[str] = mapped_column(String(64))
    prompt_tokens: Mapped[int] = mapped_column()
    completion_tokens: Mapped[int] = mapped_column()
    total_tokens: Mapped[int] = mapped_column()
    cost_micros: Mapped[int] = mapped_column(BigInteger())
    ok: Mapped[bool] = mapped_column(Boolean())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # "reserved": tokens held while the model answers (counted against the caps);
    # "settled": the usage the API reported.
    state: Mapped[str] = mapped_column(String(10), server_default="settled")
    request_key: Mapped[str | None] = mapped_column(String(100))


_T = AiCallRow.__table__
_BUDGET_LOCK = 7_311  # pg_advisory_xact_lock namespace: AI budget reservations


@implements(AiCallRepository)
class SqlAiCallRepository:
    """AI spend records over one connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, call: AiCall) -> None:
        await self._conn.execute(insert(AiCallRow).values(**_values(call)))

    async def lock_budget(self, community_id: CommunityId) -> None:
        # SQLite: writes already go one at a time through the single writer.
        if self._conn.dialect.name == "postgresql":
            await self._conn.execute(
                text("SELECT pg_advisory_xact_lock(:ns, :community)"),
                {"ns": _BUDGET_LOCK, "community": int(community_id)},
            )

    async def reservation(
        self, community_id: CommunityId, purpose: str, request_key: str
    ) -> Reservation | None:
        row = (
            await self._conn.execute(
                select(_T.c.id, _T.c.state).where(
                    _T.c.community_id == int(community_id),
                    _T.c.purpose == purpose,
                    _T.c.request_key == request_key[:100],
                )
            )
        ).first()
        return Reservation(int(row.id), str(row.state)) if row is not None else None

    async def reserve(self, call: AiCall, request_key: str | None) -> int:
        values = _values(call) | {
            "state": "reserved",
            "request_key": request_key[:100] if request_key else None,
        }
        inserted = await self._conn.execute(insert(_T).values(**values).returning(_T.c.id))
        return int(inserted.scalar_one())

    async def settle(self, reservation_id: int, call: AiCall) -> bool:
        values = _values(call) | {"state": "settled"}
        del values["community_id"], values["member_id"], values["purpose"], values["at"]
        done = await self._conn.execute(
            update(_T).where(_T.c.id == reservation_id, _T.c.state == "reserved").values(**values)
        )
        return bool(done.rowcount)

    async def release(self, reservation_id: int) -> None:
        await self._conn.execute(
            delete(_T).where(_T.c.id == reservation_id, _T.c.state == "reserved")
        )

    async def totals(
        self,
        community_id: CommunityId,
        since: datetime,
        *,
        member_id: MemberId | None = None,
        purpose: str | None = None,
    ) -> SpendTotals:
        stmt = select(
            func.count(),
            func.coalesce(func.sum(_T.c.total_tokens), 0),
            func.coalesce(func.sum(_T.c.cost_micros), 0),
        ).where(_T.c.community_id == int(community_id), _T.c.at >= since)
        if member_id is not None:
            stmt = stmt.where(_T.c.member_id == int(member_id))
        if purpose is not None:
            stmt = stmt.where(_T.c.purpose == purpose)
        calls, tokens, cost = (await self._conn.execute(stmt)).one()
        return SpendTotals(int(calls), int(tokens), int(cost))

    async def daily(
        self, community_id: CommunityId, since: datetime, tz: ZoneInfo
    ) -> list[DailySpend]:
        # Grouped in Python: "a day" is the community's local day, which SQL on two
        # engines cannot agree on; the rows are bounded by `since`.
        rows = await self._conn.execute(
            select(_T.c.at, _T.c.total_tokens, _T.c.cost_micros).where(
                _T.c.community_id == int(community_id), _T.c.at >= since
            )
        )
        days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
        for at, tokens, cost in rows:
            day = days[at.astimezone(tz).date()]
            day[0] += 1
            day[1] += int(tokens)
            day[2] += int(cost)
        return [DailySpend(d, SpendTotals(*days[d])) for d in sorted(days)]

    async def top_members(
        self, community_id: CommunityId, since: datetime, limit: int
    ) -> list[MemberSpend]:
        tokens = func.sum(_T.c.total_tokens)
        rows = await self._conn.execute(
            select(_T.c.member_id, func.count(), tokens, func.sum(_T.c.cost_micros))
            .where(
                _T.c.community_id == int(community_id),
                _T.c.at >= since,
                _T.c.member_id.is_not(None),
            )
            .group_by(_T.c.member_id)
            .order_by(tokens.desc(), _T.c.member_id)
            .limit(limit)
        )
        return [
            MemberSpend(MemberId(m), SpendTotals(int(c), int(t), int(cost)))
            for m, c, t, cost in rows
        ]


def _values(call: AiCall) -> dict[str, object]:
    return {
        "community_id": int(call.community_id),
        "member_id": int(call.member_id) if call.member_id is not None else None,
        "purpose": call.purpose,
        "model": call.model[:100],
        "prompt_version": call.prompt_version[:64],
        "prompt_tokens": call.usage.prompt_tokens,
        "completion_tokens": call.usage.completion_tokens,
        "total_tokens": call.usage.total_tokens,
        "cost_micros": call.cost_micros,
        "ok": call.ok,
        "at": call.at,
    }
