"""Parse a command's text ("@bob 5 thanks for the help") into option values.

Used by the console and by Slack, whose slash commands arrive as one string.
Quotes group words ("Dark mode" 'two words'); `--name value` sets an option
by name; an option declared `rest` takes the remainder of the line.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from functools import partial
from typing import Any

from cogs.kit.command import Command
from cogs.kit.options import MemberRef, Option, OptionType
from domain.core.errors import InvalidInputError

MemberParser = Callable[[str], MemberRef | None]
_BOOL_WORDS = {"yes", "no", "true", "false", "on", "off", "y", "n", "1", "0"}


class UsageError(InvalidInputError):
    """The text did not fit the command's options (params: problem, usage)."""

    code = "input.usage"


def split_words(text: str) -> list[str]:
    """Split like a shell, but forgive an unbalanced quote (members type them)."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse(command: Command, text: str, parse_member: MemberParser) -> dict[str, Any]:
    """Map text onto the command's options, converted and bounds-checked.

    Raises:
        UsageError: a value is missing, extra, or not of its option's kind.
    """
    words = split_words(text)
    values: dict[str, Any] = {}
    positional: list[str] = []
    by_name = {o.name: o for o in command.options}
    # Without a free-text option, every `--word` must name an option and a word
    # right after a switch can only be its value: say so instead of handing the
    # word to the next positional option (which named the wrong option).
    free_text = any(o.rest for o in command.options)
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--") and word[2:] in by_name:
            option = by_name[word[2:]]
            if option.type is OptionType.BOOLEAN and (
                i + 1 >= len(words) or words[i + 1].lower() not in _BOOL_WORDS
            ):
                if not free_text and i + 1 < len(words) and not words[i + 1].startswith("--"):
                    _convert(command, option, words[i + 1], parse_member)  # raises: not yes/no
                values[option.name] = True
                i += 1
                continue
            if i + 1 >= len(words):
                raise UsageError(problem=f"**{option.name}** needs a value", usage=command.usage)
            values[option.name] = _convert(command, option, words[i + 1], parse_member)
            i += 2
            continue
        if not free_text and word.startswith("--") and word[2:3].isalpha():
            raise UsageError(problem=f"there is no option “{word[:40]}”", usage=command.usage)
        positional.append(word)
        i += 1

    queue = [o for o in command.options if o.name not in values]
    for index, option in enumerate(queue):
        if not positional:
            break
        if option.rest:
            raw = " ".join(positional)
            positional = []
        elif index == len(queue) - 1 and option.type is OptionType.STRING:
            # The last text option takes the remaining words, unless they don't fit and
            # its first word alone does: then the others are extra ("unexpected").
            raw = " ".join(positional)
            fits = partial(_accepts, command, option, parse_member=parse_member)
            if len(positional) > 1 and not fits(raw) and fits(positional[0]):
                raw = positional.pop(0)
            else:
                positional = []
        else:
            following = queue[index + 1] if index + 1 < len(queue) else None
            if (
                not option.required
                and following is not None
                and following.type is not OptionType.STRING
                and not _accepts(command, option, positional[0], parse_member=parse_member)
                and _accepts(command, following, positional[0], parse_member=parse_member)
            ):
                continue  # an optional option left out (`/points history 2`): the word is the next
            raw = positional.pop(0)
        values[option.name] = _convert(command, option, raw, parse_member)
    if positional:
        raise UsageError(problem=f"unexpected “{' '.join(positional)[:40]}”", usage=command.usage)
    for option in command.options:
        if option.name not in values:
            if option.required and not option.long:
                raise UsageError(problem=f"**{option.name}** is missing", usage=command.usage)
            if option.default is not None:
                values[option.name] = option.default
    return values


def _accepts(command: Command, option: Option, raw: str, *, parse_member: MemberParser) -> bool:
    try:
        _convert(command, option, raw, parse_member)
    except UsageError:
        return False
    return True


def _convert(command: Command, option: Option, raw: str, parse_member: MemberParser) -> Any:
    if option.type is OptionType.MEMBER:
        ref = parse_member(raw)
        if ref is None:
            raise UsageError(
                problem=f"**{option.name}** must mention a member, like @ana, not “{raw[:40]}”",
                usage=command.usage,
            )
        return ref
    try:
        return option.convert(raw)
    except InvalidInputError as err:
        raise UsageError(
            problem=err.params.get("problem", "invalid"), usage=command.usage
        ) from None
