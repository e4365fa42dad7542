"""Refusals of battles; words in `cogs/battles/messages.py`."""

from domain.core.errors import UserFacingError


class BattleNotFoundError(UserFacingError):
    """No battle with that number here (params: id)."""

    code = "battles.not_found"


class SelfChallengeError(UserFacingError):
    """A member challenged themselves."""

    code = "battles.self"


class StakeTooLargeError(UserFacingError):
    """The stake is above the community's cap (params: stake, cap)."""

    code = "battles.stake_cap"


class StakesDisabledError(UserFacingError):
    """The community does not allow stakes."""

    code = "battles.stakes_off"


class NegativeStakeError(UserFacingError):
    """A stake below zero (params: stake)."""

    code = "battles.stake_negative"


class StakeUnaffordableError(UserFacingError):
    """The member cannot cover the stake (params: stake, balance)."""

    code = "battles.stake_balance"


class NotChallengedError(UserFacingError):
    """Only the challenged member may answer (params: id)."""

    code = "battles.not_yours"


class OwnChallengeError(UserFacingError):
    """The challenger tried to accept their own challenge (params: id)."""

    code = "battles.own_challenge"


class NotPendingError(UserFacingError):
    """The challenge was already answered, expired or cancelled (params: id, status)."""

    code = "battles.not_pending"


class NotFighterError(UserFacingError):
    """Only the two fighters may submit (params: id)."""

    code = "battles.not_fighter"


class NotRunningError(UserFacingError):
    """Entries are closed (params: id, status)."""

    code = "battles.not_running"


class AlreadySubmittedError(UserFacingError):
    """An entry is final once sent (params: id)."""

    code = "battles.already_submitted"


class EmptyEntryError(UserFacingError):
    """An entry with no text."""

    code = "battles.entry_empty"


class EntryTooLongError(UserFacingError):
    """An entry above the length limit (params: length, limit)."""

    code = "battles.entry_long"


class FighterVoteError(UserFacingError):
    """A fighter tried to vote in their own battle (params: id)."""

    code = "battles.own_vote"


class NotVotingError(UserFacingError):
    """The battle is not open for votes (params: id, status)."""

    code = "battles.not_voting"


class DailyLimitError(UserFacingError):
    """The member reached the daily number of battles (params: name, limit)."""

    code = "battles.daily_limit"


class PairLimitError(UserFacingError):
    """The same two members battled too often this week (params: limit)."""

    code = "battles.pair_limit"


class AlreadyOverError(UserFacingError):
    """A moderator tried to cancel a finished battle (params: id, status)."""

    code = "battles.already_over"


class AiJudgeUnavailableError(UserFacingError):
    """AI judging was asked for but no AI is configured."""

    code = "battles.ai_off"


class ReasonRequiredError(UserFacingError):
    """A moderator's cancel needs a reason."""

    code = "battles.reason_required"


class BadBattleNumberError(UserFacingError):
    """What was typed cannot be a battle number (params: word)."""

    code = "battles.bad_number"


class NoPromptPoolError(UserFacingError):
    """/battle random, but the community configured no prompts."""

    code = "battles.no_pool"
