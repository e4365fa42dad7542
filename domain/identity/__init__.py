"""Communities, members and their platform accounts."""

from domain.identity.model import Account, Community, Member, Platform
from domain.identity.repository import IdentityRepository
from domain.identity.service import IdentityService

__all__ = ["Account", "Community", "IdentityRepository", "IdentityService", "Member", "Platform"]
