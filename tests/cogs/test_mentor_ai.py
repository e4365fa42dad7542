"""The AI mentor end to end: the real runner, LangChain + openai over HTTP to the fake."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import App
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.mentor_ai import MentorAiSection
from storage.ai import AiCallRow
from tests.conftest import invoke
from tests.fakes.openai_server import FakeOpenAI
from tests.support.ai import app_with_ai
from tests.support.boards import outbox


@pytest.fixture
async def ai_app(
    database_url: str, config: CommunityConfig, clock: FixedClock, openai_fake: FakeOpenAI
) -> AsyncIterator[App]:
    async with app_with_ai(database_url, config, clock, openai_fake, max_retries=1) as app:
        yield app


async def _calls(app: App) -> list[AiCallRow]:
    async with app.database.reader.connect() as conn:
        return list((await conn.execute(select(AiCallRow.__table__))).all())  # type: ignore[arg-type]


async def test_ask_sends_the_persona_tools_and_member_and_records_spend(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    openai_fake.answer("Check in before midnight your time.", usage=(400, 20))
    reply = await invoke(ai_app, "alice", "ask", "how do streaks work?")
    assert reply.text == "Check in before midnight your time." and reply.ephemeral
    sent = openai_fake.last
    assert "You are the mentor of the Guildhall Community community" in sent.system_prompt
    assert "talking with alice" in sent.system_prompt
    assert sent.tool_names == [
        "my_progress",
        "open_quests",
        "open_proposals",
        "find_mentors",
        "upcoming_events",
        "community_faq",
    ]
    assert sent.messages[-1] == {"role": "user", "content": "how do streaks work?"}
    [call] = await _calls(ai_app)
    assert (call.purpose, call.prompt_version, call.total_tokens) == ("mentor", "mentor.v2", 420)
    assert call.state == "settled"
    assert call.model == "gpt-4o-mini-2024-07-18" and call.cost_micros > 0


async def test_tools_read_the_askers_progress_and_the_mentor_directory(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    await invoke(ai_app, "alice", "checkin")
    await invoke(ai_app, "ana", "mentor profile set", '--topics "python" --bio "Backend"')
    openai_fake.call_tool("my_progress", {}, also=(("find_mentors", {"topic": "Python"}),))
    openai_fake.answer("You have 10 points; ana mentors Python.")
    reply = await invoke(ai_app, "alice", "ask", "how am I doing, and who knows python?")
    assert reply.text == "You have 10 points; ana mentors Python."
    tool_answers = [m for m in openai_fake.last.messages if m["role"] == "tool"]
    progress = json.loads(tool_answers[0]["content"])
    assert progress["points"] == 10 and progress["tier"]
    mentors = json.loads(tool_answers[1]["content"])
    assert [m["name"] for m in mentors] == ["ana"]
    assert mentors[0]["book_with"].startswith("/mentor request @ana")


async def test_another_members_private_data_cannot_be_read(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    await invoke(ai_app, "bob", "checkin")
    await invoke(ai_app, "bob", "checkin", key="bob-2")  # bob: 10 points; alice: none
    await invoke(ai_app, "alice", "help")
    # A model talked into it asks for bob through every door it can think of.
    openai_fake.call_tool(
        "my_progress",
        {"member": "bob"},
        also=(("get_balance", {"member": "bob"}), ("read_dms", {"member": "bob"})),
    )
    openai_fake.answer("I can only see your own progress, not bob's.")
    reply = await invoke(ai_app, "alice", "ask", "what is bob's balance and who did he vote for?")
    assert reply.text == "I can only see your own progress, not bob's."
    tool_answers = [m["content"] for m in openai_fake.last.messages if m["role"] == "tool"]
    assert json.loads(tool_answers[0])["points"] == 0  # alice's own, whatever was asked
    assert "no tool called get_balance" in tool_answers[1]
    assert "no tool called read_dms" in tool_answers[2]
    assert all('"points": 10' not in answer for answer in tool_answers)


async def test_memory_keeps_recent_turns_per_member_and_reset_forgets(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    openai_fake.answer("Streaks grow daily.")
    await invoke(ai_app, "alice", "ask", "how do streaks work?")
    openai_fake.answer("Quests are weekly.")
    await invoke(ai_app, "bob", "ask", "what are quests?")
    openai_fake.answer("Yes, a freeze covers a day.")
    await invoke(ai_app, "alice", "ask", "and if I miss one?")
    convo = [(m["role"], m["content"]) for m in openai_fake.last.messages[1:]]
    assert convo == [
        ("user", "how do streaks work?"),
        ("assistant", "Streaks grow daily."),
        ("user", "and if I miss one?"),
    ]  # bob's conversation is his alone
    reply = await invoke(ai_app, "alice", "ask", "reset")
    assert "forgotten our conversation (4 messages)" in reply.text
    await invoke(ai_app, "alice", "ask", "hello again")
    assert [m["role"] for m in openai_fake.last.messages] == ["system", "user"]


async def test_long_answers_are_split_and_continue_in_dms(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    paragraph = "A useful sentence about streaks. " * 40
    openai_fake.answer("\n\n".join([paragraph.strip()] * 4))  # ~5,300 characters
    reply = await invoke(ai_app, "alice", "ask", "tell me everything")
    assert len(reply.text) <= 1900 and reply.footer == "(continued in your DMs)"
    rest = await outbox(ai_app, "mentor_ai")
    assert len(rest) >= 2
    assert all(len(r.payload["text"]) <= 1900 for r in rest)


async def test_without_a_key_the_member_is_pointed_to_people_and_no_call_is_made(
    app: App, openai_fake: FakeOpenAI
) -> None:
    reply = await invoke(app, "alice", "ask", "hello?")
    assert "AI mentor is not set up in this community" in reply.text and "/mentors" in reply.text
    assert openai_fake.requests == []


async def test_server_errors_become_a_friendly_try_again(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    openai_fake.fail(500, times=2)
    reply = await invoke(ai_app, "alice", "ask", "hello?")
    assert "try again in a minute" in reply.text
    assert len(openai_fake.requests) == 2  # one retry with backoff
    assert await _calls(ai_app) == []


@pytest.mark.parametrize(
    "config",
    [CommunityConfig(mentor_ai=MentorAiSection(member_daily_tokens=300))],
)
async def test_past_the_daily_cap_no_call_is_made(ai_app: App, openai_fake: FakeOpenAI) -> None:
    openai_fake.answer("First answer.", usage=(280, 30))
    await invoke(ai_app, "alice", "ask", "one")
    reply = await invoke(ai_app, "alice", "ask", "two")
    assert "used today's AI mentor allowance; it resets in 12h" in reply.text
    assert len(openai_fake.requests) == 1
    await invoke(ai_app, "bob", "ask", "mine")  # bob has his own allowance
    assert len(openai_fake.requests) == 2


async def test_admin_ai_usage_shows_days_and_top_users(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    openai_fake.answer("a", usage=(100, 10))
    await invoke(ai_app, "alice", "ask", "q1")
    openai_fake.answer("b", usage=(300, 10))
    await invoke(ai_app, "bob", "ask", "q2")
    reply = await invoke(ai_app, "mod", "admin ai usage", mod=True)
    assert "420 tokens, 2 calls" in reply.text
    top = next(f.value for f in reply.fields if f.name == "Top users this month")
    assert top.index("310 tokens") < top.index("110 tokens")


async def test_the_events_tool_reads_upcoming_events_through_the_contract(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    created = await invoke(
        ai_app,
        "erin",
        "event create",
        '"Game night" "in 2 days at 19:00" --capacity 3 --where #voice --duration 2h',
        mod=True,
    )
    assert "Game night" in (created.title or "") + created.text
    await invoke(ai_app, "bob", "event rsvp", "1 going")
    openai_fake.call_tool("upcoming_events", {})
    openai_fake.answer("Game night is in two days; 2 places left.")
    reply = await invoke(ai_app, "alice", "ask", "what's on this week?")
    assert reply.text == "Game night is in two days; 2 places left."
    [answer] = [m for m in openai_fake.last.messages if m["role"] == "tool"]
    [event] = json.loads(answer["content"])
    assert event["title"] == "Game night" and event["where"] == "#voice"
    assert (event["going"], event["places_left"]) == (1, 2)
    assert event["join_with"] == "/event rsvp 1 going"
    assert "bob" not in answer["content"]  # who is going is not the mentor's business


async def test_the_faq_comes_from_the_file_and_config_with_its_source_to_cite(
    ai_app: App, openai_fake: FakeOpenAI
) -> None:
    openai_fake.call_tool("community_faq", {})
    openai_fake.answer("Use /event rsvp (FAQ: How do I join an event?).")
    reply = await invoke(ai_app, "alice", "ask", "how do I join an event?")
    assert reply.text == "Use /event rsvp (FAQ: How do I join an event?)."
    sent = openai_fake.last
    assert "say so and name the entry" in sent.system_prompt
    [answer] = [m for m in sent.messages if m["role"] == "tool"]
    entries = {e["q"]: e for e in json.loads(answer["content"])}
    assert entries["How do I join an event?"]["source"] == "faq.v1.md"
    assert "/event rsvp <number> going" in entries["How do I join an event?"]["a"]
    assert entries["How do I earn points?"]["source"] == "config.toml [mentor_ai.faq]"
    assert "Moderators: write" not in answer["content"]  # the file's preamble is not an entry
