"""Pure governance rules: quorum, approval, vote weight, edit throttling, titles."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from domain.proposals.config import Approval, TypeRules
from domain.proposals.model import Decision, Outcome, Tally

# (numerator, denominator, strict): For * den > num * decisive (strict) or >= (not strict).
# Integer arithmetic, so 2 of 3 is exactly two thirds and weights stay exact.
_THRESHOLDS: dict[Approval, tuple[int, int, bool]] = {
    Approval.MAJORITY: (1, 2, True),
    Approval.TWO_THIRDS: (2, 3, False),
    Approval.THREE_QUARTERS: (3, 4, False),
}


def quorum_needed(rules: TypeRules, active_members: int) -> int:
    """Voters needed: the larger of the fixed minimum and the share of active members."""
    by_share = math.ceil(rules.quorum_share * active_members - 1e-9) if rules.quorum_share else 0
    return max(rules.quorum_votes, by_share)


def approval_reached(approval: Approval, tally: Tally) -> bool:
    """True when the For weight clears the threshold over For + Against."""
    if tally.for_weight <= 0:
        return False
    if approval is Approval.UNANIMOUS:
        return tally.against_weight == 0
    num, den, strict = _THRESHOLDS[approval]
    left, right = tally.for_weight * den, num * tally.decisive
    return left > right if strict else left >= right


def decide(rules: TypeRules, tally: Tally, active_members: int) -> Decision:
    """Apply a type's quorum and threshold to a final tally."""
    needed = quorum_needed(rules, active_members)
    if tally.voters < needed:
        return Decision(False, Outcome.QUORUM_NOT_MET, needed)
    if not approval_reached(rules.approval, tally):
        return Decision(False, Outcome.THRESHOLD_NOT_MET, needed)
    return Decision(True, Outcome.PASSED, needed)


def vote_weight(rules: TypeRules, tier_index: int | None, roles: Iterable[str]) -> int:
    """The heaviest weight a member's tier or roles give them; 1 without any."""
    weights = [1]
    if tier_index is not None and rules.tier_weights:
        index = min(max(tier_index, 0), len(rules.tier_weights) - 1)
        weights.append(rules.tier_weights[index])
    weights.extend(rules.role_weights[r] for r in roles if r in rules.role_weights)
    return max(weights)


def edit_bucket(at: datetime, seconds: int) -> tuple[int, datetime]:
    """The throttle bucket of an instant and when it ends.

    Every vote in one bucket refreshes the same pending card edit, which is
    sent when the bucket ends: a burst of 500 votes yields one edit per bucket
    instead of 500 (Discord allows about 5 message edits per 5 s per channel).
    """
    epoch = int(at.timestamp())
    bucket = epoch // seconds
    return bucket, datetime.fromtimestamp((bucket + 1) * seconds, UTC)


_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    """A title reduced for duplicate detection: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped).strip()


def time_left(closes_at: datetime, now: datetime) -> timedelta:
    """Return the time until `closes_at`, never negative."""
    return max(closes_at - now, timedelta(0))
