"""Prompts load from versioned files; the newest version wins unless one is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ai.prompts import load_prompts
from domain.core.prompts import UnknownPromptError


def test_prompts_load_by_purpose_and_version(tmp_path: Path) -> None:
    (tmp_path / "mentor.v1.md").write_text("Old words for $community.\n")
    (tmp_path / "mentor.v2.md").write_text("You mentor ${community}. Costs $5.\n")
    (tmp_path / "README.md").write_text("not a prompt")
    (tmp_path / "judge.v1.md").write_text("Judge fairly.")
    book = load_prompts(tmp_path)
    assert book.purposes() == ["judge", "mentor"]
    latest = book.get("mentor")
    assert latest.ref == "mentor.v2"
    assert latest.render({"community": "Pythonistas"}) == "You mentor Pythonistas. Costs $5."
    assert book.get("mentor", 1).render({"community": "X"}) == "Old words for X."
    with pytest.raises(UnknownPromptError):
        book.get("mentor", 3)
    with pytest.raises(UnknownPromptError):
        book.get("moderation")


def test_a_missing_directory_loads_no_prompts(tmp_path: Path) -> None:
    assert load_prompts(tmp_path / "absent").purposes() == []
