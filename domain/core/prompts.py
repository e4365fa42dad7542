"""Prompts as versioned files: `prompts/<purpose>.v<N>.md`, loaded once at start.

The words the model reads are reviewed like code and never inline strings;
each answer records the `Prompt.ref` ("mentor.v1") it was produced with, so a
change of wording can be traced and an old version reproduced.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PROMPT_FILE = re.compile(r"^(?P<purpose>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.md$")


@dataclass(frozen=True, slots=True)
class Prompt:
    """One version of one prompt; `$name` placeholders are filled by `render`."""

    purpose: str
    version: int
    text: str

    @property
    def ref(self) -> str:
        return f"{self.purpose}.v{self.version}"

    def render(self, values: Mapping[str, object] | None = None) -> str:
        """Fill `$name` / `${name}` placeholders; unknown ones stay as written."""
        return string.Template(self.text).safe_substitute(
            {k: str(v) for k, v in (values or {}).items()}
        )


class UnknownPromptError(LookupError):
    """No prompt file for that purpose (or version): a deployment mistake, not a member's."""


class PromptBook:
    """Every loaded prompt, by purpose and version; the newest version by default."""

    def __init__(self, prompts: Iterable[Prompt] = ()) -> None:
        self._by_purpose: dict[str, dict[int, Prompt]] = {}
        for prompt in prompts:
            self._by_purpose.setdefault(prompt.purpose, {})[prompt.version] = prompt

    def get(self, purpose: str, version: int | None = None) -> Prompt:
        """The prompt for `purpose`: the given version, else the highest one.

        Raises:
            UnknownPromptError: no such purpose or version was loaded.
        """
        versions = self._by_purpose.get(purpose)
        if not versions:
            raise UnknownPromptError(f"no prompt for {purpose!r} in prompts/")
        if version is None:
            return versions[max(versions)]
        try:
            return versions[version]
        except KeyError:
            raise UnknownPromptError(f"no prompt {purpose}.v{version}") from None

    def purposes(self) -> list[str]:
        return sorted(self._by_purpose)


def parse_prompt_name(filename: str) -> tuple[str, int] | None:
    """("mentor", 1) for "mentor.v1.md"; None for a file that is not a prompt."""
    match = PROMPT_FILE.match(filename)
    if match is None:
        return None
    return match["purpose"], int(match["version"])
