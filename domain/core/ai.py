"""The AI model as the domain sees it: chat with tools and structured output, with usage.

Features (the AI mentor, the battle judge) talk to a `ChatModel`; `bot/ai/`
implements it with LangChain's `ChatOpenAI` and `bot/app.py` injects it
(`ctx.need(ChatModel)`). Nothing here imports an SDK, so every rule about
prompts, tools and spend is testable without the network.

Tools are plain data plus an async function the feature writes; the feature
decides what a tool can see (a tool bound to the asking member cannot read
anyone else), so privacy is enforced by code, not by the prompt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

log = logging.getLogger(__name__)

Role = Literal["system", "user", "assistant", "tool"]


class AiError(Exception):
    """The model could not answer; features turn this into their own friendly words."""


class AiUnavailable(AiError):
    """No model is configured (no `OPENAI_API_KEY`), or it refused our credentials."""


class AiTemporarilyDown(AiError):
    """Timeouts, 429 or 5xx persisted through every retry; worth trying again later."""


class AiBadAnswer(AiError):
    """The model answered something we cannot use (invalid JSON, an endless tool loop)."""


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens one or more calls consumed, as the API reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True, slots=True)
class ToolCall:
    """The model asks to run tool `name` with `arguments`; `id` pairs it with the answer."""

    id: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a conversation, in the order the model reads them."""

    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None  # for role "tool": the call this answers

    @classmethod
    def system(cls, content: str) -> ChatMessage:
        return cls("system", content)

    @classmethod
    def user(cls, content: str) -> ChatMessage:
        return cls("user", content)

    @classmethod
    def assistant(cls, content: str, tool_calls: tuple[ToolCall, ...] = ()) -> ChatMessage:
        return cls("assistant", content, tool_calls)

    @classmethod
    def tool(cls, call_id: str, content: str) -> ChatMessage:
        return cls("tool", content, tool_call_id=call_id)


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """What the model is told about a tool: a name, what it does, its JSON-schema parameters."""

    name: str
    description: str
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )


ToolFunction = Callable[[Mapping[str, Any]], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool the model may call: its spec and the function that answers (text or JSON)."""

    spec: ToolSpec
    run: ToolFunction


@dataclass(frozen=True, slots=True)
class ChatResult:
    """One model turn: text, or tool calls to run first; with the usage the API reported."""

    content: str
    tool_calls: tuple[ToolCall, ...]
    usage: TokenUsage
    model: str


@dataclass(frozen=True, slots=True)
class StructuredResult:
    """An answer shaped by a JSON schema (the judge's scores), with usage."""

    data: Mapping[str, Any]
    usage: TokenUsage
    model: str


class ChatModel(Protocol):
    """A chat model with tool calling and structured output that reports its token usage.

    Implementations retry timeouts, 429 and 5xx with backoff themselves and
    raise `AiTemporarilyDown` when that is exhausted, `AiUnavailable` when not
    configured (without making a call).
    """

    @property
    def model_name(self) -> str: ...

    @property
    def configured(self) -> bool: ...

    async def complete(
        self, messages: Sequence[ChatMessage], *, tools: Sequence[ToolSpec] = ()
    ) -> ChatResult: ...

    async def structured(
        self, messages: Sequence[ChatMessage], *, name: str, schema: Mapping[str, Any]
    ) -> StructuredResult: ...


class UnconfiguredChatModel:
    """The model when no API key is set: says so without calling anything."""

    model_name = "unconfigured"
    configured = False

    async def complete(
        self, messages: Sequence[ChatMessage], *, tools: Sequence[ToolSpec] = ()
    ) -> ChatResult:
        raise AiUnavailable("no OPENAI_API_KEY")

    async def structured(
        self, messages: Sequence[ChatMessage], *, name: str, schema: Mapping[str, Any]
    ) -> StructuredResult:
        raise AiUnavailable("no OPENAI_API_KEY")


@dataclass(frozen=True, slots=True)
class Conversation:
    """What a tool loop produced: the final text, every message, usage summed over rounds."""

    content: str
    messages: tuple[ChatMessage, ...]
    usage: TokenUsage
    model: str
    tools_used: tuple[str, ...]


async def run_with_tools(
    model: ChatModel,
    messages: Sequence[ChatMessage],
    tools: Sequence[Tool],
    *,
    max_rounds: int = 4,
) -> Conversation:
    """Ask the model, run the tools it calls, and ask again until it answers in words.

    A tool the model invents, bad arguments, or a tool that fails become a tool
    message saying so (the model can recover); more than `max_rounds` rounds of
    tool calls is an `AiBadAnswer`, so a confused model cannot spend forever.

    Raises:
        AiUnavailable, AiTemporarilyDown: from the model.
        AiBadAnswer: still calling tools after `max_rounds`.
    """
    by_name = {t.spec.name: t for t in tools}
    specs = [t.spec for t in tools]
    history = list(messages)
    usage = TokenUsage()
    used: list[str] = []
    for _ in range(max_rounds + 1):
        result = await model.complete(history, tools=specs)
        usage = usage + result.usage
        if not result.tool_calls:
            return Conversation(result.content, tuple(history), usage, result.model, tuple(used))
        history.append(ChatMessage.assistant(result.content, result.tool_calls))
        for call in result.tool_calls:
            used.append(call.name)
            history.append(ChatMessage.tool(call.id, await _run_tool(by_name.get(call.name), call)))
    raise AiBadAnswer(f"still calling tools after {max_rounds} rounds")


async def _run_tool(tool: Tool | None, call: ToolCall) -> str:
    if tool is None:
        return json.dumps({"error": f"there is no tool called {call.name}"})
    try:
        return await tool.run(call.arguments)
    except (ValueError, KeyError, TypeError) as err:
        # Bad arguments from the model: tell it, so it can correct itself.
        return json.dumps({"error": f"invalid arguments: {err}"})
