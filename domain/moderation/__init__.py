"""Moderation: members' reports and moderators' decisions on them."""

from domain.moderation.model import Report, ReportAction, ReportStatus
from domain.moderation.repository import ReportRepository
from domain.moderation.service import ReportService

__all__ = ["Report", "ReportAction", "ReportRepository", "ReportService", "ReportStatus"]
