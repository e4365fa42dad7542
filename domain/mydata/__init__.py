"""A member's data rights: export everything stored about them, or erase it."""

from domain.mydata.repository import MemberDataRepository
from domain.mydata.service import EXPORT_FORMAT, TOMBSTONE, MyDataService

__all__ = ["EXPORT_FORMAT", "TOMBSTONE", "MemberDataRepository", "MyDataService"]
