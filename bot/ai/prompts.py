"""Read `prompts/*.v<N>.md` from disk into a `PromptBook` at start."""

from __future__ import annotations

from pathlib import Path

from domain.core.prompts import Prompt, PromptBook, parse_prompt_name

# The repository's prompts/ (next to bot/, cogs/, domain/); a deployment may point elsewhere.
DEFAULT_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


def load_prompts(directory: Path = DEFAULT_PROMPTS) -> PromptBook:
    """Every `<purpose>.v<N>.md` file in `directory`; a missing directory means none."""
    prompts: list[Prompt] = []
    if directory.is_dir():
        for path in sorted(directory.iterdir()):
            parsed = parse_prompt_name(path.name)
            if parsed is not None and path.is_file():
                purpose, version = parsed
                prompts.append(Prompt(purpose, version, path.read_text(encoding="utf-8").strip()))
    return PromptBook(prompts)
