"""Parse a command's text ("@bob 5 thanks for the help") into option values.

Used by the console and by Slack, whose slash commands arrive as one string.
Quotes group words ("Dark mode" 'two words'); `--name value` sets an option
by name; an option declared `rest` takes the remainder of the line.
"""

from __future__ import annotations

import re
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


_QUOTES = {'"': '"', "'": "'", "“": "”", "„": "“", "‘": "’", "«": "»"}


def tokens(text: str) -> list[tuple[str, bool]]:
    r"""Words of a chat line, each with whether it was quoted.

    A quote groups words only where a word starts ("Dark mode", 'two words'),
    so an apostrophe inside a word (It's) is just a letter; a quote that is
    never closed is dropped and the words after it split as usual; backslashes
    are kept as typed (C:\\Users\\bob), since chat users do not escape.
    """
    found: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        close = _QUOTES.get(char)
        if close is not None:
            end = text.find(close, i + 1)
            if end != -1:
                found.append((text[i + 1 : end], True))
                i = end + 1
                continue
            i += 1  # an unbalanced quote mark: not part of any word
            continue
        end = i
        while end < n and not text[end].isspace():
            end += 1
        found.append((text[i:end], False))
        i = end
    return found


def split_words(text: str) -> list[str]:
    """Split a chat line into words (see `tokens`); never raises."""
    return [word for word, _ in tokens(text)]


def _flag(word: str, quoted: bool) -> tuple[str, str | None] | None:
    """`--name` or `--name=value` as (name, value); None for any other word."""
    if quoted or not word.startswith("--") or not word[2:3].isalpha():
        return None
    name, eq, value = word[2:].partition("=")
    return name, (value if eq else None)


_INTEGER = re.compile(r"[+-]?[0-9]+")


def parse(command: Command, text: str, parse_member: MemberParser) -> dict[str, Any]:
    """Map text onto the command's options, converted and bounds-checked.

    Raises:
        UsageError: a value is missing, extra, or not of its option's kind.
    """
    found = tokens(text)
    values: dict[str, Any] = {}
    positional: list[str] = []
    by_name = {o.name: o for o in command.options}
    # A word right after a switch can only be its value when no option takes free
    # text: say so instead of handing the word to the next positional option.
    free_text = any(o.rest for o in command.options)
    i = 0
    while i < len(found):
        word, quoted = found[i]
        flag = _flag(word, quoted)
        if flag is None:
            positional.append(word)
            i += 1
            continue
        name, inline = flag
        option = by_name.get(name)
        if option is None:
            raise UsageError(problem=_no_such_option(word, name, by_name), usage=command.usage)
        following = found[i + 1][0] if inline is None and i + 1 < len(found) else None
        if inline is not None:
            values[option.name] = _convert(command, option, inline, parse_member)
            i += 1
            continue
        if option.type is OptionType.BOOLEAN and (
            following is None or following.lower() not in _BOOL_WORDS
        ):
            if not free_text and following is not None and not following.startswith("--"):
                _convert(command, option, following, parse_member)  # raises: not yes/no
            values[option.name] = True
            i += 1
            continue
        if following is None:
            raise UsageError(problem=f"**{option.name}** needs a value", usage=command.usage)
        values[option.name] = _convert(command, option, following, parse_member)
        i += 2

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
            if (
                not option.required
                and not _accepts(command, option, positional[0], parse_member=parse_member)
                and _later_takes(command, queue[index + 1 :], positional[0], parse_member)
            ):
                continue  # optional options left out (`/proposals 2`): the word is a later one's
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


def _no_such_option(word: str, name: str, by_name: dict[str, Option]) -> str:
    shown = word.split("=", 1)[0][:40]
    same = next((n for n in by_name if n.lower() == name.lower()), None)
    if same is not None:
        return f"there is no option “{shown}”: did you mean --{same}?"
    if by_name:
        names = ", ".join(f"--{n}" for n in by_name)
        return f"there is no option “{shown}” (options: {names})"
    return f"there is no option “{shown}”: this command takes none"


def _later_takes(
    command: Command, later: list[Option], raw: str, parse_member: MemberParser
) -> bool:
    """Tell whether a later option (past optional ones only) is of the word's kind.

    Of its kind, not necessarily within range: `/points history 0` is a page
    number out of range, and its refusal must say so rather than "must mention
    a member".
    """
    for option in later:
        if option.type is not OptionType.STRING and (
            _accepts(command, option, raw, parse_member=parse_member)
            or (option.type is OptionType.INTEGER and _INTEGER.fullmatch(raw) is not None)
        ):
            return True
        if option.required:
            return False
    return False


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
