"""The moderators' FAQ the AI mentor answers from: `prompts/faq.vN.md` plus `[mentor_ai].faq`.

The file is Markdown a moderator can write without knowing TOML: every
`## Question` heading starts an entry and the text below it is the answer.
Each entry keeps where it came from, so the model can cite it ("FAQ: How do
I earn points?") and a member can tell a community answer from the model's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.core.prompts import Prompt, PromptBook, UnknownPromptError
from domain.mentor_ai.config import FaqEntry

FAQ_PURPOSE = "faq"
CONFIG_SOURCE = "config.toml [mentor_ai.faq]"


@dataclass(frozen=True, slots=True)
class CitedFaq:
    """One question and answer with its source, as the `community_faq` tool returns it."""

    question: str
    answer: str
    source: str


def parse_faq(text: str, source: str) -> list[CitedFaq]:
    """Entries of a Markdown FAQ: each `## heading` a question, the lines below its answer.

    Lines before the first `##` (a title, an introduction) are not an entry; a
    heading with no answer below it is skipped rather than shown empty.
    """
    entries: list[CitedFaq] = []
    question: str | None = None
    lines: list[str] = []

    def flush() -> None:
        answer = "\n".join(lines).strip()
        if question and answer:
            entries.append(CitedFaq(question, answer, source))

    for line in text.splitlines():
        if line.startswith("## "):
            flush()
            question, lines = line[3:].strip(), []
        elif question is not None:
            lines.append(line)
    flush()
    return entries


def faq_entries(
    prompts: PromptBook, version: int | None, configured: Sequence[FaqEntry]
) -> list[CitedFaq]:
    """The file's entries (when there is a FAQ file), then those written in config.toml."""
    found: list[CitedFaq] = []
    try:
        page: Prompt | None = prompts.get(FAQ_PURPOSE, version)
    except UnknownPromptError:
        page = None
    if page is not None:
        found += parse_faq(page.text, f"{page.ref}.md")
    found += _from_config(configured)
    return found


def _from_config(configured: Iterable[FaqEntry]) -> list[CitedFaq]:
    return [CitedFaq(e.question, e.answer, CONFIG_SOURCE) for e in configured]
