"""Distinct id types, so a member id is never passed where a community id belongs."""

from typing import NewType

CommunityId = NewType("CommunityId", int)
MemberId = NewType("MemberId", int)
