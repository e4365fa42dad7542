"""Typed options: a handler receives its command's options as a dataclass.

A command declared with `typed.command(...)` has a handler taking
`(call, options)`, where `options` is a frozen dataclass whose fields are the
command's options. The dataclass is checked against the `Option` declarations
when the command is declared (names, and each field's type against the
option's kind), so a misspelled or mistyped option fails at start-up and
`options.titel` fails the type checker, instead of a member finding it.
An option whose name has a hyphen (`delivery-days`) is the field with an
underscore (`delivery_days`).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import types
import typing
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Literal, TypeVar

from cogs.kit.command import Command, Handler
from cogs.kit.invocation import Call
from cogs.kit.options import Option, OptionType
from cogs.kit.reply import Reply
from domain.identity.model import Member

OptionsT = TypeVar("OptionsT")
TypedHandler = Callable[[Call, OptionsT], Awaitable[Reply]]

# What the runner hands a handler for each kind of option (members are resolved).
_BASE: dict[OptionType, type] = {
    OptionType.STRING: str,
    OptionType.INTEGER: int,
    OptionType.BOOLEAN: bool,
    OptionType.MEMBER: Member,
    OptionType.CHOICE: str,
    OptionType.DURATION: timedelta,
}


class OptionsMismatchError(TypeError):
    """A command's options dataclass does not match its `Option` declarations."""


def command(
    name: str,
    description: str,
    handler: TypedHandler[Any],
    *,
    options: tuple[Option, ...],
    **settings: Any,
) -> Command:
    """Declare a command whose handler takes `(call, options)`; check the options type.

    `settings` are `Command`'s other fields (permission, visibility, writes,
    slow, examples).

    Raises:
        OptionsMismatchError: the handler's options dataclass disagrees with `options`.
    """
    kind = options_type(handler)
    check(kind, options, where=f"/{name}")
    return Command(name, description, bind(handler, kind), options=options, **settings)


def options_type(handler: Callable[..., Any]) -> type:
    """Return the dataclass a typed handler takes as its second parameter.

    A `functools.partial` counts its unbound parameters (a handler that needs
    the registry is declared as `partial(handler, registry)`).
    """
    target = handler.func if isinstance(handler, functools.partial) else handler
    params = list(inspect.signature(handler).parameters)  # a partial's, without bound ones
    if len(params) != 2:
        raise OptionsMismatchError(f"{target.__qualname__} must take (call, options)")
    kind = typing.get_type_hints(target).get(params[1])
    if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
        raise OptionsMismatchError(
            f"{target.__qualname__}: annotate {params[1]} with an options dataclass"
        )
    return kind


def bind(handler: TypedHandler[Any], kind: type) -> Handler:
    """Return the runner's `(call) -> Reply` handler that builds `kind` from the options."""
    return BoundHandler(handler, kind, tuple(f.name for f in dataclasses.fields(kind)))


def field_name(option_name: str) -> str:
    """The dataclass field of an option: `delivery-days` is `delivery_days`."""
    return option_name.replace("-", "_")


@dataclasses.dataclass(frozen=True, slots=True)
class BoundHandler:
    """A typed handler, callable as the runner calls every handler: `(call) -> Reply`."""

    handler: TypedHandler[Any]
    options_type: type
    names: tuple[str, ...]

    async def __call__(self, call: Call) -> Reply:
        """Build the options dataclass from the validated options and run the handler."""
        return await self.handler(
            call,
            self.options_type(
                **{
                    n: call.options[n if n in call.options else n.replace("_", "-")]
                    for n in self.names
                }
            ),
        )


def check(kind: type, options: tuple[Option, ...], *, where: str) -> None:
    """Refuse an options dataclass whose fields are not exactly `options`, typed alike.

    Raises:
        OptionsMismatchError: a field is missing, extra, or of another type.
    """
    hints = typing.get_type_hints(kind)
    fields = [f.name for f in dataclasses.fields(kind)]
    declared = [field_name(o.name) for o in options]
    if sorted(fields) != sorted(declared):
        missing = sorted(set(declared) - set(fields))
        extra = sorted(set(fields) - set(declared))
        raise OptionsMismatchError(
            f"{where}: {kind.__name__} fields differ from the options"
            f" (missing {missing}, not declared {extra})"
        )
    for option in options:
        hint = hints[field_name(option.name)]
        if not _accepts(hint, option):
            raise OptionsMismatchError(
                f"{where}: {kind.__name__}.{field_name(option.name)} is {hint!r},"
                f" but the option gives {_describe(option)}"
            )


def _nullable(option: Option) -> bool:
    return not option.required and option.default is None


def _accepts(hint: Any, option: Option) -> bool:
    core, nullable = _split_none(hint)
    if nullable != _nullable(option):
        return False
    if option.type is OptionType.CHOICE and typing.get_origin(core) is Literal:
        return set(typing.get_args(core)) == set(option.choices)
    return bool(core is _BASE[option.type])


def _split_none(hint: Any) -> tuple[Any, bool]:
    """`int | None` -> (int, True); `int` -> (int, False)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0], True
    return hint, False


def _describe(option: Option) -> str:
    base = _BASE[option.type].__name__
    return f"{base} | None" if _nullable(option) else base
