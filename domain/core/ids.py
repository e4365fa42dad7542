"""Distinct id types, so a member id is never passed where a community id belongs."""

from typing import NewType

CommunityId = NewType("CommunityId", int)
MemberId = NewType("MemberId", int)

MAX_ID = 2**31 - 1
"""The largest id a row can have: ids are 32-bit integers on PostgreSQL.

A number a member types beyond it names nothing (and PostgreSQL would refuse
it as a query argument), so lookups treat it as "not found" before asking.
"""
