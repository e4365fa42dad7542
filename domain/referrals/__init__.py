"""Invitations and referrals: who brought whom, and credit once the newcomer is active.

A member's invite is a code: on Discord the code of a real server invite
(joins are attributed by comparing invite use counts), elsewhere a referral
code the newcomer types with `/join` on their first day. The referrer is
credited only when the newcomer becomes active, once.
"""

from domain.referrals.config import ReferralsSection
from domain.referrals.model import Invite, Referral, ReferralWeek
from domain.referrals.repository import InviteMaker, ReferralRepository
from domain.referrals.service import ReferralError, ReferralService

__all__ = [
    "Invite",
    "InviteMaker",
    "Referral",
    "ReferralError",
    "ReferralRepository",
    "ReferralService",
    "ReferralWeek",
    "ReferralsSection",
]
