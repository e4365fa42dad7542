"""The shared AI client: real LangChain `ChatOpenAI` + `openai` over HTTP to a loopback fake."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from pydantic import SecretStr

from bot.ai import build_chat_model
from bot.settings import Settings
from domain.core.ai import (
    AiTemporarilyDown,
    AiUnavailable,
    ChatMessage,
    Tool,
    ToolSpec,
    UnconfiguredChatModel,
    run_with_tools,
)
from tests.fakes.openai_server import FakeOpenAI, chat_model_for

ASK = [ChatMessage.system("You are the mentor."), ChatMessage.user("How do streaks work?")]


async def test_an_answer_reports_the_usage_the_api_returned(openai_fake: FakeOpenAI) -> None:
    openai_fake.answer("Check in daily.", usage=(412, 27))
    result = await chat_model_for(openai_fake).complete(ASK)
    assert result.content == "Check in daily."
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (412, 27)
    assert result.usage.total_tokens == 439
    assert result.model == "gpt-4o-mini-2024-07-18"
    sent = openai_fake.last
    assert sent.headers["Authorization"] == "Bearer sk-test"
    assert sent.body["model"] == "gpt-4o-mini"
    assert sent.system_prompt == "You are the mentor."
    assert sent.messages[-1] == {"role": "user", "content": "How do streaks work?"}


async def test_a_tool_call_is_run_and_its_answer_sent_back(openai_fake: FakeOpenAI) -> None:
    asked: list[Mapping[str, Any]] = []

    async def find_mentors(args: Mapping[str, Any]) -> str:
        asked.append(args)
        return json.dumps([{"name": "Ana", "topics": ["python"]}])

    tool = Tool(
        ToolSpec(
            "find_mentors",
            "Mentors for a topic",
            {"type": "object", "properties": {"topic": {"type": "string"}}, "required": ["topic"]},
        ),
        find_mentors,
    )
    openai_fake.call_tool("find_mentors", {"topic": "python"}, usage=(530, 18))
    openai_fake.answer("Ana mentors Python.", usage=(600, 10))

    convo = await run_with_tools(chat_model_for(openai_fake), ASK, [tool])

    assert convo.content == "Ana mentors Python."
    assert asked == [{"topic": "python"}]
    assert convo.tools_used == ("find_mentors",)
    assert convo.usage.total_tokens == 530 + 18 + 600 + 10
    first, second = openai_fake.requests
    assert first.tool_names == ["find_mentors"]
    call_id = second.messages[2]["tool_calls"][0]["id"]
    assert second.messages[3] == {
        "role": "tool",
        "tool_call_id": call_id,
        "content": '[{"name": "Ana", "topics": ["python"]}]',
    }


async def test_an_unknown_tool_is_reported_to_the_model_not_raised(
    openai_fake: FakeOpenAI,
) -> None:
    openai_fake.call_tool("read_everyones_balance", {})
    openai_fake.answer("I can't do that.")
    convo = await run_with_tools(chat_model_for(openai_fake), ASK, [])
    assert convo.content == "I can't do that."
    assert "there is no tool called read_everyones_balance" in openai_fake.last.text


async def test_structured_output_sends_the_schema_and_parses_the_json(
    openai_fake: FakeOpenAI,
) -> None:
    schema = {
        "type": "object",
        "properties": {"winner": {"type": "string"}, "score": {"type": "integer"}},
        "required": ["winner", "score"],
    }
    openai_fake.answer_json({"winner": "B", "score": 8}, usage=(100, 9))
    result = await chat_model_for(openai_fake).structured(ASK, name="verdict", schema=schema)
    assert dict(result.data) == {"winner": "B", "score": 8}
    assert result.usage.total_tokens == 109
    fmt = openai_fake.last.body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "verdict"
    assert fmt["json_schema"]["schema"]["required"] == ["winner", "score"]


async def test_rate_limits_are_retried_with_backoff(openai_fake: FakeOpenAI) -> None:
    openai_fake.fail(429, times=2)
    openai_fake.answer("Made it.")
    # A generous per-request timeout: on a loaded machine a 2 s one could expire and
    # spend a retry, and this test counts exactly the 429 retries.
    model = chat_model_for(openai_fake, max_retries=2, timeout=15.0, deadline=45.0)
    result = await model.complete(ASK)
    assert result.content == "Made it."
    assert len(openai_fake.requests) == 3


async def test_persistent_server_errors_become_temporarily_down(openai_fake: FakeOpenAI) -> None:
    openai_fake.fail(500, times=5)
    with pytest.raises(AiTemporarilyDown):
        await chat_model_for(openai_fake, max_retries=1).complete(ASK)
    assert len(openai_fake.requests) == 2  # the first try and one retry


async def test_a_slow_answer_times_out_as_temporarily_down(openai_fake: FakeOpenAI) -> None:
    openai_fake.slow(3.0)
    with pytest.raises(AiTemporarilyDown):
        await chat_model_for(openai_fake, timeout=0.2, max_retries=0).complete(ASK)


async def test_the_deadline_bounds_every_retry_together(openai_fake: FakeOpenAI) -> None:
    openai_fake.slow(3.0)
    openai_fake.slow(3.0)
    with pytest.raises(AiTemporarilyDown):
        await chat_model_for(openai_fake, timeout=2.0, max_retries=3, deadline=0.3).complete(ASK)
    assert len(openai_fake.requests) == 1


async def test_refused_credentials_mean_unavailable(openai_fake: FakeOpenAI) -> None:
    openai_fake.fail(401)
    with pytest.raises(AiUnavailable):
        await chat_model_for(openai_fake).complete(ASK)


async def test_no_key_means_unavailable_without_a_call(openai_fake: FakeOpenAI) -> None:
    settings = Settings(OPENAI_API_KEY=SecretStr(""), OPENAI_BASE_URL=openai_fake.base_url)
    model = build_chat_model(settings)
    assert isinstance(model, UnconfiguredChatModel)
    assert not model.configured
    with pytest.raises(AiUnavailable):
        await model.complete(ASK)
    assert openai_fake.requests == []


async def test_settings_with_a_key_reach_the_configured_server(openai_fake: FakeOpenAI) -> None:
    settings = Settings(
        OPENAI_API_KEY=SecretStr("sk-live"),
        OPENAI_BASE_URL=openai_fake.base_url,
        AI_MODEL="llama3.1",
        AI_TEMPERATURE=0.0,
    )
    model = build_chat_model(settings)
    assert model.configured and model.model_name == "llama3.1"
    await model.complete(ASK)
    assert openai_fake.last.body["model"] == "llama3.1"
    assert openai_fake.last.body["temperature"] == 0.0
    assert openai_fake.last.headers["Authorization"] == "Bearer sk-live"
