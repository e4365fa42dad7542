"""An OpenAI-compatible Chat Completions server on 127.0.0.1 for tests.

The real `openai` client and LangChain's `ChatOpenAI` talk to it over HTTP.
Tests script its answers in order (text, tool calls, JSON for structured
output, 429 / 500 errors, a slow answer) and read back every request it
received, to check that the persona prompt, the tools and the member's
context were sent. With nothing scripted it answers `default_text`.

    server.answer("Try /mentors python")
    server.call_tool("find_mentors", {"topic": "python"})
    server.fail(429, times=2)
    server.slow(5.0)

Wire format: the shared OpenAI payload samples (`shared/payloads/openai/`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_ids = itertools.count(1)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received: path, headers and JSON body."""

    path: str
    headers: Mapping[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system_prompt(self) -> str:
        return "\n".join(
            str(m.get("content", "")) for m in self.messages if m.get("role") == "system"
        )

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.body.get("tools", [])]

    @property
    def text(self) -> str:
        """Everything the model was shown, for "was this sent?" assertions."""
        return json.dumps(self.body, ensure_ascii=False)


@dataclass
class Scripted:
    """One scripted answer."""

    status: int = 200
    content: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    usage: tuple[int, int] | None = None  # (prompt, completion); None: counted from the text


def estimate_tokens(text: str) -> int:
    """A deterministic stand-in for a tokenizer: one token per four characters."""
    return max(1, len(text) // 4)


class FakeOpenAI:
    """The server; `await start()` binds a free port on 127.0.0.1."""

    def __init__(self, *, model: str = "gpt-4o-mini-2024-07-18") -> None:
        self.model = model
        self.default_text = "Happy to help."
        self.requests: list[RecordedRequest] = []
        self._script: deque[Scripted] = deque()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- scripting -------------------------------------------------------------

    def answer(self, content: str, *, usage: tuple[int, int] | None = None) -> None:
        self._script.append(Scripted(content=content, usage=usage))

    def answer_json(self, data: Mapping[str, Any], *, usage: tuple[int, int] | None = None) -> None:
        """Structured output: the content is the JSON text of `data`."""
        self._script.append(Scripted(content=json.dumps(data), usage=usage))

    def call_tool(
        self,
        name: str,
        arguments: Mapping[str, Any] | str,
        *,
        usage: tuple[int, int] | None = None,
        also: tuple[tuple[str, Mapping[str, Any]], ...] = (),
    ) -> None:
        """The model asks for tool `name` (and the tools in `also`, in parallel)."""
        calls = [(name, arguments), *also]
        self._script.append(
            Scripted(
                tool_calls=[
                    {
                        "id": f"call_{next(_ids)}",
                        "type": "function",
                        "function": {
                            "name": n,
                            "arguments": a if isinstance(a, str) else json.dumps(a),
                        },
                    }
                    for n, a in calls
                ],
                usage=usage,
            )
        )

    def fail(self, status: int, *, times: int = 1, retry_after_ms: int = 5) -> None:
        """Answer `status` (429, 500, 401 …) `times` times; 429 says when to retry."""
        headers = {"retry-after-ms": str(retry_after_ms)} if status == 429 else {}
        for _ in range(times):
            self._script.append(Scripted(status=status, headers=headers))

    def slow(self, seconds: float, content: str | None = None) -> None:
        """Answer only after `seconds` (to exercise timeouts)."""
        self._script.append(Scripted(content=content or self.default_text, delay=seconds))

    @property
    def pending(self) -> int:
        """Scripted answers not yet used."""
        return len(self._script)

    @property
    def last(self) -> RecordedRequest:
        return self.requests[-1]

    # -- serving ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(RecordedRequest(request.path, dict(request.headers), body))
        step = self._script.popleft() if self._script else Scripted(content=self.default_text)
        if step.delay:
            await asyncio.sleep(step.delay)
        if step.status != 200:
            return web.json_response(_error(step.status), status=step.status, headers=step.headers)
        return web.json_response(self._completion(body, step))

    def _completion(self, body: Mapping[str, Any], step: Scripted) -> dict[str, Any]:
        if step.usage is not None:
            prompt, completion = step.usage
        else:
            prompt = estimate_tokens(json.dumps(body.get("messages", [])))
            completion = estimate_tokens(step.content or json.dumps(step.tool_calls))
        message: dict[str, Any] = {"role": "assistant", "content": step.content, "refusal": None}
        if step.tool_calls:
            message["tool_calls"] = step.tool_calls
        return {
            "id": f"chatcmpl-fake{next(_ids)}",
            "object": "chat.completion",
            "created": 1764496800,
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if step.tool_calls else "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
            "system_fingerprint": "fp_fake",
        }


def _error(status: int) -> dict[str, Any]:
    kinds = {
        401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
        429: ("tokens", "rate_limit_exceeded", "Rate limit reached. Please try again in 5ms."),
    }
    kind, code, message = kinds.get(status, ("server_error", None, "The server had an error."))
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def chat_model_for(server: FakeOpenAI, **overrides: Any) -> Any:
    """The real LangChain/openai `ChatModel` pointed at `server` (short timeouts for tests)."""
    from bot.ai.openai_chat import AiClientSettings, LangChainChatModel

    settings: dict[str, Any] = {
        "api_key": "sk-test",
        "base_url": server.base_url,
        "model": "gpt-4o-mini",
        "timeout": 2.0,
        "max_retries": 2,
        "deadline": 10.0,
    }
    settings.update(overrides)
    return LangChainChatModel(AiClientSettings(**settings))
