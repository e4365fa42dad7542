"""Refusals of reports; words in `cogs/moderation/messages.py`."""

from domain.core.errors import UserFacingError


class SelfReportError(UserFacingError):
    """A member reported themselves."""

    code = "moderation.self_report"


class ReportReasonError(UserFacingError):
    """A report needs a reason moderators can act on."""

    code = "moderation.reason_required"


class ReportNotFoundError(UserFacingError):
    """No such report in this community (params: id)."""

    code = "moderation.report_not_found"


class ReportDecidedError(UserFacingError):
    """Another moderator decided the report already (params: id, status)."""

    code = "moderation.report_decided"
