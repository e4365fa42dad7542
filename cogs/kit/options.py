"""Typed command options, declared once and mapped by every adapter.

An option knows its limits, so the runner validates every value the same way
whether it came from a Discord interaction (already typed), a Slack command's
text or a console line (strings), and a bad value never reaches a handler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from domain.core.errors import InvalidInputError


class OptionType(StrEnum):
    """The kinds of option every adapter can collect and the runner can check."""

    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    MEMBER = "member"
    CHOICE = "choice"
    DURATION = "duration"


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A member named in an option, as the platform knows them.

    `vouched` is True when the platform guarantees the user exists (a Discord
    user option, a Slack `<@U…>` mention); the runner may then enrol them. A
    console `@name` is not vouched: it must name someone already known.
    """

    user_id: str
    display_name: str
    vouched: bool = True
    member_id: int | None = None  # the dashboard names members by id, whatever their platform


_DURATION = re.compile(r"(\d+)\s*(w|d|h|m|s)", re.IGNORECASE | re.ASCII)
# A duration with no declared bound still has one: ten years is "forever" enough.
LONGEST = timedelta(days=3650)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_TRUE = {"yes", "y", "true", "on", "1"}
_FALSE = {"no", "n", "false", "off", "0"}


def parse_duration(text: str) -> timedelta:
    """Parse "30d", "1w2d", "90m" or "2h 30m" into a timedelta."""
    cleaned = text.strip().replace(" ", "")
    parts = _DURATION.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts).lower() != cleaned.lower():
        raise ValueError(text)
    total = timedelta()
    for number, unit in parts:
        if len(number) > 9:  # beyond any bound; timedelta itself would overflow
            raise OverflowError(text)
        total += timedelta(**{_UNITS[unit.lower()]: int(number)})
    return total


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a command. Build with the helpers below, not directly."""

    name: str
    type: OptionType
    description: str
    required: bool = True
    default: Any = None
    min_value: int | None = None
    max_value: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    rest: bool = False  # takes the rest of a text line ("thanks for the help")
    long: bool = False  # paragraph text: collected in a modal on Discord/Slack when absent
    autocomplete: str | None = None  # a named provider of suggestions (ids)
    min_duration: timedelta | None = None
    max_duration: timedelta | None = None

    @property
    def placeholder(self) -> str:
        inner = "|".join(self.choices) if self.type is OptionType.CHOICE else self.name
        return f"<{inner}>" if self.required else f"[{inner}]"

    @property
    def flag_placeholder(self) -> str:
        """`[--xp N]`: how to give an option that only `--name` can reach in text.

        An option declared after a `rest` option can never be typed by position
        (the rest option swallows the words), so usage lines show it as a flag.
        """
        if self.type is OptionType.BOOLEAN:
            return f"[--{self.name}]"
        value = {
            OptionType.CHOICE: "|".join(self.choices),
            OptionType.INTEGER: "N",
            OptionType.DURATION: "7d",
            OptionType.MEMBER: "@member",
        }.get(self.type, self.name.upper())
        return f"[--{self.name} {value}]"

    def convert(self, raw: Any) -> Any:
        """Turn a raw value into this option's type, within its limits.

        Raises:
            InvalidInputError: the value is of the wrong kind or out of bounds.
        """
        try:
            value = self._coerce(raw)
        except OverflowError:
            raise InvalidInputError(option=self.name, problem=self._too_big()) from None
        except (TypeError, ValueError):
            raise InvalidInputError(option=self.name, problem=self._kind_problem(raw)) from None
        self._check_bounds(value)
        return value

    def _coerce(self, raw: Any) -> Any:
        t = self.type
        if t is OptionType.INTEGER:
            if isinstance(raw, bool):
                raise TypeError
            if isinstance(raw, int):
                return raw
            text = str(raw).strip()
            if not re.fullmatch(r"[+-]?\d{1,18}", text, re.ASCII):
                raise ValueError(raw)  # "²" and "٣" are digits to str.isdigit, not to us
            return int(text)
        if t is OptionType.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(raw)
        if t is OptionType.CHOICE:
            text = str(raw).strip().lower()
            for choice in self.choices:
                if choice.lower() == text:
                    return choice
            raise ValueError(raw)
        if t is OptionType.DURATION:
            return raw if isinstance(raw, timedelta) else parse_duration(str(raw))
        if t is OptionType.MEMBER:
            if isinstance(raw, MemberRef):
                return raw
            raise ValueError(raw)
        text = str(raw)
        if "\x00" in text:
            raise ValueError(raw)
        text.encode("utf-8")  # a lone surrogate ("\ud800") raises UnicodeEncodeError
        return text.strip()

    def _too_big(self) -> str:
        if self.type is OptionType.DURATION:
            return f"**{self.name}** must be at most {_short(self.max_duration or LONGEST)}"
        return f"**{self.name}** is too large"

    def _kind_problem(self, raw: Any) -> str:
        shown = str(raw)[:40]
        match self.type:
            case OptionType.INTEGER:
                if re.fullmatch(r"[+-]?\d+", str(raw).strip(), re.ASCII):  # whole, just huge
                    if str(raw).strip().startswith("-") and self.min_value is not None:
                        return f"**{self.name}** must be at least {self.min_value}"
                    if self.max_value is not None:
                        return f"**{self.name}** must be at most {self.max_value}"
                    return f"**{self.name}** is too large a number"
                return f"**{self.name}** must be a whole number, not “{shown}”"
            case OptionType.BOOLEAN:
                return f"**{self.name}** must be yes or no, not “{shown}”"
            case OptionType.CHOICE:
                return f"**{self.name}** must be one of {', '.join(self.choices)}, not “{shown}”"
            case OptionType.DURATION:
                return f"**{self.name}** must be a duration like 30m, 2h, 7d or 1w2d, not “{shown}”"
            case OptionType.MEMBER:
                return f"**{self.name}** must mention a member, like @ana, not “{shown}”"
            case _:
                return f"**{self.name}** is not valid text"

    def _check_bounds(self, value: Any) -> None:
        problem: str | None = None
        if self.type is OptionType.INTEGER:
            if self.min_value is not None and value < self.min_value:
                problem = f"**{self.name}** must be at least {self.min_value}"
            elif self.max_value is not None and value > self.max_value:
                problem = f"**{self.name}** must be at most {self.max_value}"
        elif self.type is OptionType.STRING:
            if self.required and not value:
                problem = f"**{self.name}** cannot be empty"
            elif self.min_length is not None and len(value) < self.min_length:
                problem = f"**{self.name}** needs at least {self.min_length} characters"
            elif self.max_length is not None and len(value) > self.max_length:
                problem = f"**{self.name}** can have at most {self.max_length} characters"
        elif self.type is OptionType.DURATION:
            if self.min_duration is not None and value < self.min_duration:
                problem = f"**{self.name}** must be at least {_short(self.min_duration)}"
            elif value > (self.max_duration or LONGEST):
                problem = f"**{self.name}** must be at most {_short(self.max_duration or LONGEST)}"
        if problem:
            raise InvalidInputError(option=self.name, problem=problem)


def _short(delta: timedelta) -> str:
    from cogs.kit.format import human_duration

    return human_duration(delta)


def string(
    name: str,
    description: str,
    *,
    required: bool = True,
    min_length: int | None = None,
    max_length: int | None = None,
    rest: bool = False,
    long: bool = False,
    autocomplete: str | None = None,
    default: str | None = None,
) -> Option:
    """Declare a text option (`rest` takes the rest of a typed line)."""
    return Option(
        name,
        OptionType.STRING,
        description,
        required=required,
        min_length=min_length,
        max_length=max_length,
        rest=rest,
        long=long,
        autocomplete=autocomplete,
        default=default,
    )


def integer(
    name: str,
    description: str,
    *,
    required: bool = True,
    min_value: int | None = None,
    max_value: int | None = None,
    autocomplete: str | None = None,
    default: int | None = None,
) -> Option:
    """Declare a whole-number option with optional bounds."""
    return Option(
        name,
        OptionType.INTEGER,
        description,
        required=required,
        min_value=min_value,
        max_value=max_value,
        autocomplete=autocomplete,
        default=default,
    )


def boolean(
    name: str, description: str, *, required: bool = False, default: bool = False
) -> Option:
    """Declare an on/off option (a `--flag` in typed text)."""
    return Option(name, OptionType.BOOLEAN, description, required=required, default=default)


def member(name: str, description: str, *, required: bool = True) -> Option:
    """Declare an option naming a member (the handler receives a `Member`)."""
    return Option(name, OptionType.MEMBER, description, required=required)


def choice(
    name: str,
    description: str,
    choices: tuple[str, ...],
    *,
    required: bool = True,
    default: str | None = None,
) -> Option:
    """Declare an option that takes one of fixed words."""
    return Option(
        name, OptionType.CHOICE, description, required=required, choices=choices, default=default
    )


def duration(
    name: str,
    description: str,
    *,
    required: bool = True,
    min_duration: timedelta | None = None,
    max_duration: timedelta | None = None,
    default: timedelta | None = None,
) -> Option:
    """Declare a duration option ("7d", "2h 30m"), with optional bounds."""
    return Option(
        name,
        OptionType.DURATION,
        description,
        required=required,
        min_duration=min_duration,
        max_duration=max_duration,
        default=default,
    )
