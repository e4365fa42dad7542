"""Activities of the data-rights feature: XP brought over by `guildhall import`."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.activity import Activity, activity


@activity("xp_imported", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class XpImported(Activity):
    """XP a member had in another bot (MEE6, a CSV), granted once per source and account."""

    amount: int
    source: str

    def explicit_xp(self) -> int | None:
        return self.amount
