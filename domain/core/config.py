"""The community's rules as configuration: `config.toml`, validated at start.

Each feature owns one section model; `CommunityConfig` gathers them. Unknown
keys are refused so a typo fails at start instead of being silently ignored.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from domain.achievements.config import AchievementCatalog, default_catalog
from domain.battles.config import BattlesSection
from domain.checkin.config import StreakSection
from domain.core.ai_spend import AiSection
from domain.core.config_base import Section, check_timezone
from domain.dashboard.config import DashboardSection
from domain.events.config import EventsSection
from domain.leaderboards.config import LeaderboardsSection
from domain.linking.config import LinkingSection
from domain.market.config import MarketSection
from domain.mentor_ai.config import MentorAiSection
from domain.mentoring.config import MentoringSection
from domain.moderation.config import LimitsSection
from domain.mydata.config import MyDataSection
from domain.notifications.config import RemindersSection, ScheduleSection
from domain.payments.config import PaymentsSection
from domain.progress.config import ProgressSection
from domain.proposals.config import ProposalsSection
from domain.quests.config import QuestsSection
from domain.referrals.config import ReferralsSection


class CommunitySection(Section):
    """The community's name and default time zone."""

    name: str = Field("Guildhall Community", min_length=1, max_length=100)
    timezone: str = "UTC"
    messages: str = Field(
        "", description="a TOML file rewording the catalogue, relative to config.toml"
    )

    _tz = field_validator("timezone")(check_timezone)


class PointsSection(Section):
    """Points rules: check-in reward, gift limits, history paging, expiry."""

    checkin: int = Field(10, ge=0, le=1_000_000, description="points for a daily check-in")
    max_gift: int = Field(1_000, ge=1, description="largest single /points give")
    history_page_size: int = Field(10, ge=1, le=50)
    daily_gift_quota: int = Field(
        1_000, ge=0, description="points one member may give a day; 0 = no limit"
    )
    expiry_days: dict[str, int] = Field(
        default_factory=dict,
        description="days until earned points expire, per source; absent = never",
    )

    @field_validator("expiry_days")
    @classmethod
    def _positive_days(cls, value: dict[str, int]) -> dict[str, int]:
        for source, days in value.items():
            if not 1 <= days <= 36_500:
                raise ValueError(f"{source}: expiry must be 1 to 36500 days")
        return value


class ChannelsSection(Section):
    """Channel names per announcement kind; moderators can override per community."""

    announcements: str = "general"
    proposals: str = "proposals"
    leaderboard: str = "leaderboard"
    reminders: str = "general"
    events: str = "general"
    battles: str = "general"
    moderators: str = "moderators"  # dispute cards, debt notices
    moderation: str = "moderators"  # report cards (/report); private to moderators


class ConsoleSection(Section):
    """Console adapter options."""

    demo: bool = Field(True, description="seed a demo community on first console start")


class CommunityConfig(Section):
    """Every section of `config.toml`, validated together at start-up."""

    community: CommunitySection = CommunitySection()
    points: PointsSection = PointsSection()
    channels: ChannelsSection = ChannelsSection()
    console: ConsoleSection = ConsoleSection()
    proposals: ProposalsSection = ProposalsSection()
    progress: ProgressSection = ProgressSection()
    streaks: StreakSection = StreakSection()
    schedule: ScheduleSection = ScheduleSection()
    reminders: RemindersSection = RemindersSection()
    leaderboards: LeaderboardsSection = LeaderboardsSection()
    achievements: AchievementCatalog = Field(default_factory=default_catalog)
    quests: QuestsSection = QuestsSection()
    dashboard: DashboardSection = DashboardSection()
    referrals: ReferralsSection = ReferralsSection()
    events: EventsSection = EventsSection()
    battles: BattlesSection = BattlesSection()
    market: MarketSection = MarketSection()
    payments: PaymentsSection = PaymentsSection()
    linking: LinkingSection = LinkingSection()
    limits: LimitsSection = LimitsSection()
    mydata: MyDataSection = MyDataSection()
    ai: AiSection = AiSection()
    mentoring: MentoringSection = MentoringSection()
    mentor_ai: MentorAiSection = MentorAiSection()
