"""`[mentor_ai]` in config.toml: memory, caps, the prompt version and the FAQ."""

from __future__ import annotations

from pydantic import Field

from domain.core.config_base import Section


class FaqEntry(Section):
    """One question and answer of the moderators' FAQ."""

    question: str = Field(min_length=1, max_length=300)
    answer: str = Field(min_length=1, max_length=2000)


def _default_faq() -> list[FaqEntry]:
    return [
        FaqEntry(
            question="How do I earn points?",
            answer="Check in daily with /checkin, vote on proposals, finish quests, and help"
            " others: mentors earn points for rated sessions.",
        ),
        FaqEntry(
            question="How do streaks work?",
            answer="Check in once a day to grow your streak; /streak shows it.",
        ),
        FaqEntry(
            question="How do I find a mentor?",
            answer="/mentor match <topic> suggests three; /mentor request asks one for a session.",
        ),
    ]


class MentorAiSection(Section):
    """`[mentor_ai]`: memory, the per-member cap, the prompt version and the FAQ."""

    enabled: bool = True
    memory_turns: int = Field(6, ge=0, le=50, description="earlier messages the AI remembers")
    member_daily_tokens: int = Field(
        20_000, ge=0, description="tokens one member may use a day; 0 = no limit"
    )
    reserve_tokens: int = Field(
        3_000,
        ge=1,
        description="tokens held against the caps while the model answers one question",
    )
    duplicate_wait_seconds: float = Field(
        30.0, ge=0, le=300, description="how long a repeated question waits for the first answer"
    )
    max_tool_rounds: int = Field(4, ge=1, le=10)
    prompt_version: int | None = Field(
        None, ge=1, description="prompts/mentor.vN.md; none = newest"
    )
    max_question_chars: int = Field(1_500, ge=50, le=8_000)
    answer_chunk_chars: int = Field(
        1_900, ge=200, le=3_000, description="longer answers are sent in several messages"
    )
    faq: list[FaqEntry] = Field(default_factory=_default_faq)
    faq_version: int | None = Field(
        None, ge=1, description="prompts/faq.vN.md, the moderators' FAQ file; none = newest"
    )
