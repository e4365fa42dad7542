"""The AI mentor's memory and answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from domain.core.ai import TokenUsage


@dataclass(frozen=True, slots=True)
class Turn:
    """One remembered message of a member's conversation with the AI mentor."""

    role: Literal["user", "assistant"]
    content: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Answer:
    """What the AI mentor said, with the prompt version and what it cost."""

    text: str
    prompt_ref: str
    usage: TokenUsage
    tools_used: tuple[str, ...]
