"""`ChatModel` on LangChain's `ChatOpenAI` (and through it the `openai` client).

Any OpenAI-compatible server works (OpenAI, Ollama, vLLM, LM Studio): the
base URL and model are settings. Retries with exponential backoff on
timeouts, 429 and 5xx are the `openai` client's own (it honours
`retry-after-ms` / `retry-after`); on top of that one overall deadline bounds
a whole answer, so a member is never left waiting past what the platform
allows for a follow-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import openai
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from domain.core.ai import (
    AiBadAnswer,
    AiTemporarilyDown,
    AiUnavailable,
    ChatMessage,
    ChatResult,
    StructuredResult,
    TokenUsage,
    ToolCall,
    ToolSpec,
)
from domain.core.outside import waiting_outside

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AiClientSettings:
    """How to reach the model; built from `bot.settings.Settings` (or by a test)."""

    api_key: str
    base_url: str
    model: str = "gpt-4o-mini"
    temperature: float = 0.3
    timeout: float = 20.0  # one HTTP request
    max_retries: int = 2  # the openai client's own retries, with backoff
    deadline: float = 45.0  # one whole answer, every retry included


class LangChainChatModel:
    """Chat completions with tools and JSON-schema output through `ChatOpenAI`."""

    configured = True

    def __init__(self, settings: AiClientSettings) -> None:
        self._settings = settings
        self._llm = ChatOpenAI(
            model=settings.model,
            api_key=SecretStr(settings.api_key),
            base_url=settings.base_url,
            temperature=settings.temperature,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            # Chat Completions is what every OpenAI-compatible server speaks.
            use_responses_api=False,
        )

    @property
    def model_name(self) -> str:
        return self._settings.model

    async def complete(
        self, messages: Sequence[ChatMessage], *, tools: Sequence[ToolSpec] = ()
    ) -> ChatResult:
        """One round: the model's text or its tool calls, with reported usage.

        Raises:
            AiUnavailable: the server refused our credentials.
            AiTemporarilyDown: timeouts / 429 / 5xx outlasted the retries or the deadline.
            AiBadAnswer: the server rejected the request or answered unusably.
        """
        runnable: Any = self._llm
        if tools:
            runnable = self._llm.bind_tools([_tool_schema(t) for t in tools])
        message = await self._call(runnable, messages)
        if not isinstance(message, AIMessage):
            raise AiBadAnswer(f"unexpected answer type {type(message).__name__}")
        calls = tuple(
            ToolCall(id=c.get("id") or f"call_{i}", name=c["name"], arguments=c.get("args", {}))
            for i, c in enumerate(message.tool_calls)
        )
        for bad in message.invalid_tool_calls:
            # Arguments that are not JSON: hand the model an empty call it will be told about.
            call_id = bad.get("id") or "call_bad"
            calls += (ToolCall(id=call_id, name=bad.get("name") or "", arguments={}),)
        return ChatResult(_text(message), calls, _usage(message), _model(message, self.model_name))

    async def structured(
        self,
        messages: Sequence[ChatMessage],
        *,
        name: str,
        schema: Mapping[str, Any],
        temperature: float | None = None,
    ) -> StructuredResult:
        """An answer as JSON matching `schema` (OpenAI `response_format: json_schema`).

        Raises:
            AiUnavailable, AiTemporarilyDown: as `complete`.
            AiBadAnswer: the answer was not JSON of that shape.
        """
        llm = self._llm
        if temperature is not None and temperature != llm.temperature:
            # A copy shares the HTTP clients; only the request's temperature differs.
            llm = llm.model_copy(update={"temperature": temperature})
        runnable = llm.with_structured_output(
            {"name": name, "schema": dict(schema)}, method="json_schema", include_raw=True
        )
        out = await self._call(runnable, messages)
        raw = out.get("raw") if isinstance(out, dict) else None
        parsed = out.get("parsed") if isinstance(out, dict) else None
        if not isinstance(raw, AIMessage) or not isinstance(parsed, dict):
            raise AiBadAnswer(f"not a JSON object for {name}")
        return StructuredResult(parsed, _usage(raw), _model(raw, self.model_name))

    async def _call(self, runnable: Any, messages: Sequence[ChatMessage]) -> Any:
        lc_messages = [_to_langchain(m) for m in messages]
        try:
            async with waiting_outside(), asyncio.timeout(self._settings.deadline):
                return await runnable.ainvoke(lc_messages)
        except TimeoutError:
            raise AiTemporarilyDown("no answer within the deadline") from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as err:
            raise AiUnavailable(f"credentials refused ({err.status_code})") from None
        except (
            openai.RateLimitError,
            openai.InternalServerError,
            openai.APITimeoutError,
            openai.APIConnectionError,
        ) as err:
            raise AiTemporarilyDown(type(err).__name__) from None
        except openai.APIStatusError as err:
            if err.status_code >= 500:
                raise AiTemporarilyDown(f"status {err.status_code}") from None
            raise AiBadAnswer(f"request refused ({err.status_code})") from None
        except (ValueError, openai.APIResponseValidationError) as err:
            # LangChain's output parsers raise ValueError subclasses on malformed JSON.
            raise AiBadAnswer(type(err).__name__) from None


def _tool_schema(spec: ToolSpec) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": spec.name,
            "description": spec.description,
            "parameters": dict(spec.parameters),
        },
    }


def _to_langchain(message: ChatMessage) -> BaseMessage:
    if message.role == "system":
        return SystemMessage(message.content)
    if message.role == "user":
        return HumanMessage(message.content)
    if message.role == "tool":
        return ToolMessage(message.content, tool_call_id=message.tool_call_id or "")
    return AIMessage(
        message.content,
        tool_calls=[
            {"name": c.name, "args": dict(c.arguments), "id": c.id, "type": "tool_call"}
            for c in message.tool_calls
        ],
    )


def _text(message: AIMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    parts = [p if isinstance(p, str) else p.get("text", "") for p in content]
    return "".join(str(p) for p in parts)


def _usage(message: AIMessage) -> TokenUsage:
    meta = message.usage_metadata
    if meta is not None:
        return TokenUsage(meta.get("input_tokens", 0), meta.get("output_tokens", 0))
    usage = message.response_metadata.get("token_usage") or {}
    return TokenUsage(usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0))


def _model(message: AIMessage, default: str) -> str:
    name = message.response_metadata.get("model_name")
    return str(name) if name else default
