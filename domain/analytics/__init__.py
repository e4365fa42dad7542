"""Community analytics: daily roll-ups of what members did, and the metrics read from them.

The dashboard and `/admin stats` read small roll-up tables (one row per
community and day, one per join cohort), never the raw history, so a page
stays fast at 100,000 members and a year of activity.
"""

from domain.analytics.model import (
    DailyStats,
    Headline,
    MemberDay,
    Participation,
    RetentionRow,
    TopContributor,
)
from domain.analytics.repository import AnalyticsRepository
from domain.analytics.service import AnalyticsService

__all__ = [
    "AnalyticsRepository",
    "AnalyticsService",
    "DailyStats",
    "Headline",
    "MemberDay",
    "Participation",
    "RetentionRow",
    "TopContributor",
]
