"""The moderators' FAQ file: `## Question` headings and the answers below them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.core.prompts import Prompt, PromptBook
from domain.mentor_ai.config import FaqEntry
from domain.mentor_ai.faq import CONFIG_SOURCE, faq_entries, parse_faq


def test_headings_are_questions_and_the_lines_below_answers() -> None:
    text = "# FAQ\nintro\n## Where?\nHere.\nAnd there.\n## Empty?\n\n## When?\nNow."
    entries = parse_faq(text, "faq.v1.md")
    assert [(e.question, e.answer) for e in entries] == [
        ("Where?", "Here.\nAnd there."),
        ("When?", "Now."),
    ]
    assert {e.source for e in entries} == {"faq.v1.md"}


def test_the_newest_file_comes_first_then_config() -> None:
    book = PromptBook([Prompt("faq", 1, "## Old?\nyes"), Prompt("faq", 2, "## New?\nyes")])
    config = [FaqEntry(question="Points?", answer="Check in.")]
    entries = faq_entries(book, None, config)
    assert [(e.question, e.source) for e in entries] == [
        ("New?", "faq.v2.md"),
        ("Points?", CONFIG_SOURCE),
    ]
    assert [e.question for e in faq_entries(book, 1, [])] == ["Old?"]
    assert [e.question for e in faq_entries(PromptBook(), None, config)] == ["Points?"]


@given(st.text())
def test_any_text_parses_into_entries_with_a_question_and_an_answer(text: str) -> None:
    for entry in parse_faq(text, "faq.v1.md"):
        assert entry.question and entry.answer.strip() == entry.answer and entry.answer
