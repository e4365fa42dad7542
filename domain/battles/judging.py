"""The AI judge: a rubric from `prompts/battle_judge.vN.md`, structured scores, both orders.

Language models favour whichever answer they read first (or second). Each
battle is therefore judged twice at temperature 0, once with A shown first
and once with B first, and each entry's scores are averaged over the two
readings, so the position bias cancels. The rubric's criteria and weights
are parsed from the prompt file, so changing them is a reviewed prompt diff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.battles.model import CriterionScore, Verdict
from domain.core.ai import AiBadAnswer, ChatMessage, ChatModel, TokenUsage
from domain.core.prompts import Prompt

PURPOSE = "battle_judge"
_CRITERION = re.compile(
    r"^\s*[-*]\s*\*\*(?P<name>[a-z][a-z0-9_]*)\*\*\s*\(weight\s+(?P<weight>\d+(?:\.\d+)?)\)\s*:",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric criterion parsed from the judge prompt, with its weight in the total."""

    name: str
    weight: float


def rubric(prompt: Prompt) -> tuple[Criterion, ...]:
    """The criteria and weights listed in the judge prompt ("- **clarity** (weight 0.3): …").

    Raises:
        ValueError: the prompt lists no criteria (a deployment mistake).
    """
    found = tuple(
        Criterion(m["name"], float(m["weight"])) for m in _CRITERION.finditer(prompt.text)
    )
    if not found or sum(c.weight for c in found) <= 0:
        raise ValueError(f"{prompt.ref} lists no weighted criteria")
    return found


def schema(criteria: Sequence[Criterion]) -> dict[str, Any]:
    """The JSON schema of one reading: a score per criterion and a reason, per entry."""
    side = {
        "type": "object",
        "properties": {
            "scores": {
                "type": "object",
                "properties": {
                    c.name: {"type": "number", "minimum": 0, "maximum": 10} for c in criteria
                },
                "required": [c.name for c in criteria],
                "additionalProperties": False,
            },
            "reason": {"type": "string"},
        },
        "required": ["scores", "reason"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"first": side, "second": side},
        "required": ["first", "second"],
        "additionalProperties": False,
    }


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of the two entries in one order."""

    first: Mapping[str, float]
    second: Mapping[str, float]
    reason_first: str
    reason_second: str


def parse_reading(data: Mapping[str, Any], criteria: Sequence[Criterion]) -> Reading:
    """Check the model's JSON: every criterion scored 0-10 for both entries.

    Raises:
        AiBadAnswer: a score is missing, not a number, or out of range.
    """

    def side(key: str) -> tuple[dict[str, float], str]:
        part = data.get(key)
        if not isinstance(part, Mapping) or not isinstance(part.get("scores"), Mapping):
            raise AiBadAnswer(f"no scores for the {key} entry")
        scores: dict[str, float] = {}
        for c in criteria:
            value = part["scores"].get(c.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise AiBadAnswer(f"{c.name} of the {key} entry is not a number")
            if not 0 <= value <= 10:
                raise AiBadAnswer(f"{c.name} of the {key} entry is out of range")
            scores[c.name] = float(value)
        reason = str(part.get("reason") or "").strip()[:300]
        return scores, reason

    first, reason_first = side("first")
    second, reason_second = side("second")
    return Reading(first, second, reason_first, reason_second)


def combine(a_first: Reading, b_first: Reading, criteria: Sequence[Criterion]) -> Verdict:
    """Average each entry over both readings; totals are weighted means (0-10)."""
    total_weight = sum(c.weight for c in criteria)
    scores = tuple(
        CriterionScore(
            c.name,
            c.weight,
            round((a_first.first[c.name] + b_first.second[c.name]) / 2, 2),
            round((a_first.second[c.name] + b_first.first[c.name]) / 2, 2),
        )
        for c in criteria
    )
    total_a = round(sum(s.a * s.weight for s in scores) / total_weight, 2)
    total_b = round(sum(s.b * s.weight for s in scores) / total_weight, 2)
    return Verdict(scores, total_a, total_b, a_first.reason_first, a_first.reason_second)


def _entries(first: str, second: str) -> str:
    return f"FIRST entry:\n<<<\n{first}\n>>>\n\nSECOND entry:\n<<<\n{second}\n>>>"


@dataclass(frozen=True, slots=True)
class Judged:
    """The AI verdict plus the tokens both readings used and the model that answered."""

    verdict: Verdict
    usage: TokenUsage
    model: str


async def judge(
    model: ChatModel,
    prompt: Prompt,
    *,
    community: str,
    battle_prompt: str,
    entry_a: str,
    entry_b: str,
) -> Judged:
    """Read the entries in both orders at temperature 0 and average the scores.

    Raises:
        AiUnavailable, AiTemporarilyDown: from the model.
        AiBadAnswer: a reading that is not the rubric's shape.
    """
    criteria = rubric(prompt)
    system = ChatMessage.system(prompt.render({"community": community, "prompt": battle_prompt}))
    shape = schema(criteria)
    readings: list[Reading] = []
    usage = TokenUsage()
    name = model.model_name
    for first, second in ((entry_a, entry_b), (entry_b, entry_a)):
        result = await model.structured(
            [system, ChatMessage.user(_entries(first, second))],
            name="battle_verdict",
            schema=shape,
            temperature=0.0,
        )
        usage = usage + result.usage
        name = result.model
        readings.append(parse_reading(result.data, criteria))
    return Judged(combine(readings[0], readings[1], criteria), usage, name)
