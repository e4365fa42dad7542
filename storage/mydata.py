"""Every row about a member, found by its member columns; erasing behind a tombstone."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Table, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.mydata.repository import ImportGrants, MemberDataRepository
from storage.base import Base
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime

# Columns that name a member; a row about the member is one where any of them does.
MEMBER_COLUMNS = ("member_id", "author_id", "actor_id", "subject_id", "absorbed_id", "survivor_id")
# Internal bookkeeping that says nothing about the person (or only a hash of a one-time code);
# the outbox holds copies of messages already sent to them (an earlier export among them).
_SKIP = {"link_codes", "invocations", "outbox"}
# Free text a member wrote, blanked on erasure: (table, column, the member column that owns it).
_FREE_TEXT = (
    ("ledger", "reason", "actor_id"),
    ("quest_submissions", "proof", "member_id"),
    ("audit_log", "reason", "subject_id"),
)
_SETTINGS = ("notification_prefs", "streak_reminders", "tier_nudges")
# Who acted on the member is shown only when it was the member: a reporter stays unnamed.
_REDACTED = {"audit_log": "actor_id", "reports": "reporter_id"}


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _tables() -> list[tuple[Table, list[str]]]:
    out = []
    for table in Base.metadata.sorted_tables:
        if table.name in _SKIP or table.name == "members":
            continue
        columns = [c for c in MEMBER_COLUMNS if c in table.c]
        if columns:
            out.append((table, columns))
    return out


@implements(MemberDataRepository)
class SqlMemberDataRepository:
    """Reads are generic over the schema, so a feature added later is exported too."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def history_ids(self, member_id: MemberId) -> list[MemberId]:
        links = Base.metadata.tables.get("member_links")
        ids = [member_id]
        if links is not None:
            rows = await self._conn.execute(
                select(links.c.absorbed_id).where(links.c.survivor_id == member_id)
            )
            ids += [MemberId(int(r[0])) for r in rows]
        return ids

    async def rows_about(self, member_ids: list[MemberId]) -> dict[str, list[dict[str, Any]]]:
        ids = [int(i) for i in member_ids]
        out: dict[str, list[dict[str, Any]]] = {}
        for table, columns in _tables():
            pk = list(table.primary_key.columns)
            rows = await self._conn.execute(
                select(table).where(or_(*[table.c[c].in_(ids) for c in columns])).order_by(*pk)
            )
            found = [{k: _json(v) for k, v in r.items()} for r in rows.mappings()]
            hidden = _REDACTED.get(table.name)
            for row in found if hidden else ():
                if row.get(hidden) not in ids:
                    row[hidden] = None
            if found:
                out[table.name] = found
        return out

    async def remove_account(self, platform: str, workspace_id: str, user_id: str) -> bool:
        accounts = Base.metadata.tables["accounts"]
        result = await self._conn.execute(
            delete(accounts).where(
                accounts.c.platform == platform,
                accounts.c.workspace_id == workspace_id,
                accounts.c.user_id == user_id,
            )
        )
        return bool(result.rowcount)

    async def erase(self, member_ids: list[MemberId], tombstone: str) -> dict[str, int]:
        ids = [int(i) for i in member_ids]
        tables = Base.metadata.tables
        done: dict[str, int] = {}
        accounts = tables["accounts"]
        result = await self._conn.execute(delete(accounts).where(accounts.c.member_id.in_(ids)))
        done["accounts"] = int(result.rowcount or 0)
        # Copies of DMs to the member (their data exports, link codes) are blanked; the rows
        # stay for the delivery records that point at them, and an undelivered one is dropped.
        outbox = tables["outbox"]
        theirs = and_(outbox.c.member_id.in_(ids), outbox.c.target == "dm")
        await self._conn.execute(
            update(outbox)
            .where(theirs, outbox.c.status == "pending")
            .values(status="failed", last_error="the member's data was erased")
        )
        result = await self._conn.execute(
            update(outbox).where(theirs).values(payload={"text": "[deleted]"})
        )
        done["outbox"] = int(result.rowcount or 0)
        for name in _SETTINGS:
            table = tables.get(name)
            if table is not None:
                result = await self._conn.execute(delete(table).where(table.c.member_id.in_(ids)))
                done[name] = int(result.rowcount or 0)
        for name, column, owner in _FREE_TEXT:
            table = tables.get(name)
            if table is None:
                continue
            blank: Any = None if table.c[column].nullable else "[deleted]"
            result = await self._conn.execute(
                update(table).where(table.c[owner].in_(ids)).values({column: blank})
            )
            done[f"{name}.{column}"] = int(result.rowcount or 0)
        members = tables["members"]
        await self._conn.execute(
            update(members)
            .where(members.c.id.in_(ids))
            .values(display_name=tombstone, timezone=None, locked_reason=None)
        )
        return done


class ImportGrantRow(Base):
    """One imported account per source: re-running an import finds its key and stops."""

    __tablename__ = "import_grants"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    xp: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column()
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


_G = ImportGrantRow.__table__


@implements(ImportGrants)
class SqlImportGrants:
    """Import bookkeeping and the CSV export's read."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def was_imported(self, community_id: CommunityId, key: str) -> bool:
        found = await self._conn.execute(
            select(_G.c.key).where(_G.c.community_id == community_id, _G.c.key == key)
        )
        return found.first() is not None

    async def claim(
        self,
        community_id: CommunityId,
        key: str,
        member_id: MemberId,
        xp: int,
        points: int,
        at: datetime,
    ) -> bool:
        return await insert_ignore(
            self._conn,
            _G,
            {
                "community_id": community_id,
                "key": key,
                "member_id": member_id,
                "xp": xp,
                "points": points,
                "imported_at": at,
            },
        )

    async def export_rows(self, community_id: CommunityId | None) -> list[dict[str, Any]]:
        tables = Base.metadata.tables
        members, accounts = tables["members"], tables["accounts"]
        xp, balances = tables.get("member_xp"), tables.get("balances")
        stmt = select(members.c.id, members.c.community_id, members.c.display_name)
        if community_id is not None:
            stmt = stmt.where(members.c.community_id == community_id)
        found = (await self._conn.execute(stmt.order_by(members.c.id))).all()
        owned: dict[int, list[Any]] = {}
        for a in await self._conn.execute(
            select(accounts).order_by(accounts.c.platform, accounts.c.workspace_id)
        ):
            owned.setdefault(int(a.member_id), []).append(a)
        xp_of = await self._totals(xp, "xp")
        points_of = await self._totals(balances, "points")
        rows = []
        for member_id, _community, name in found:
            mine = owned.get(int(member_id))
            if not mine:
                continue  # a tombstone or a merged record: nobody to import into
            first = mine[0]
            rows.append(
                {
                    "platform": first.platform,
                    "workspace_id": first.workspace_id,
                    "user_id": first.user_id,
                    "name": name,
                    "xp": xp_of.get(int(member_id), 0),
                    "points": points_of.get(int(member_id), 0),
                    "member_id": int(member_id),
                    "accounts": " ".join(
                        f"{a.platform}:{a.workspace_id}:{a.user_id}" for a in mine
                    ),
                }
            )
        return rows

    async def _totals(self, table: Table | None, column: str) -> dict[int, int]:
        if table is None:
            return {}
        rows = await self._conn.execute(select(table.c.member_id, table.c[column]))
        return {int(m): int(v) for m, v in rows}
