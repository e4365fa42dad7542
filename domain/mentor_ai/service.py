"""The AI mentor: caps first, then the model with tools and memory, then the record.

No transaction is held while the model thinks (up to the AI deadline): the
caps and memory are read in one read-only unit, the answer, its spend record
and the new turns are written in another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.core.ai import (
    AiBadAnswer,
    AiTemporarilyDown,
    AiUnavailable,
    ChatMessage,
    ChatModel,
    run_with_tools,
)
from domain.core.ai_spend import (
    AiCallRepository,
    AiSection,
    SpendCapReached,
    check_spend,
    record_call,
)
from domain.core.contracts import PerksReader
from domain.core.prompts import PromptBook
from domain.core.uow import UnitOfWork, UnitOfWorkFactory
from domain.identity import Community, Member
from domain.mentor_ai.config import MentorAiSection
from domain.mentor_ai.errors import (
    CommunityCapError,
    MemberCapError,
    MentorBusyError,
    MentorNotSetUpError,
    QuestionTooLongError,
)
from domain.mentor_ai.model import Answer, Turn
from domain.mentor_ai.repository import MemoryRepository
from domain.mentor_ai.tools import Asker, Readers, build_tools

log = logging.getLogger(__name__)
PURPOSE = "mentor"


class MentorAiService:
    """Answer a member's question as the community's mentor."""

    def __init__(
        self,
        model: ChatModel,
        prompts: PromptBook,
        section: MentorAiSection,
        ai: AiSection,
        readers: Readers,
        perks: Callable[[], PerksReader | None] = lambda: None,
    ) -> None:
        self._model = model
        self._prompts = prompts
        self.section = section
        self._ai = ai
        self._readers = readers
        self._perks = perks  # a premium plan's AI token multiplier (payments, when installed)

    async def daily_tokens(self, uow: UnitOfWork, member: Member) -> int:
        """The member's daily token cap: the configured one, times their premium plan's."""
        cap = self.section.member_daily_tokens
        reader = self._perks()
        if reader is None or cap <= 0:
            return cap
        return int(cap * (await reader.perks_of(uow, member.id)).ai_tokens_multiplier)

    async def ask(
        self,
        uow: UnitOfWorkFactory,
        community: Community,
        member: Member,
        question: str,
        now: datetime,
    ) -> Answer:
        """Answer `question`, remembering the exchange.

        Raises:
            MentorNotSetUpError: no model configured (no call is made).
            MemberCapError, CommunityCapError: a cap is used up (no call is made).
            MentorBusyError: the model kept failing or answered unusably.
            QuestionTooLongError: the question is longer than allowed.
        """
        if not self._model.configured or not self.section.enabled:
            raise MentorNotSetUpError()
        question = question.strip()
        if len(question) > self.section.max_question_chars:
            raise QuestionTooLongError(limit=self.section.max_question_chars)
        tz = ZoneInfo(community.timezone)
        async with uow(read_only=True) as reading:
            try:
                await check_spend(
                    reading.get(AiCallRepository),
                    self._ai,
                    community_id=community.id,
                    member_id=member.id,
                    purpose=PURPOSE,
                    member_daily_tokens=await self.daily_tokens(reading, member),
                    now=now,
                    tz=tz,
                )
            except SpendCapReached as cap:
                error = MemberCapError if cap.scope == "member" else CommunityCapError
                raise error(wait=cap.resets_at - now) from None
            memory = await reading.get(MemoryRepository).recent(
                member.id, self.section.memory_turns
            )
        prompt = self._prompts.get("mentor", self.section.prompt_version)
        member_tz = member.timezone or community.timezone
        system = prompt.render(
            {
                "community": community.name,
                "member": member.display_name,
                "today": now.astimezone(ZoneInfo(member_tz)).strftime("%A %d %B %Y"),
                "timezone": member_tz,
            }
        )
        messages = [ChatMessage.system(system)]
        messages += [ChatMessage(t.role, t.content) for t in memory]
        messages.append(ChatMessage.user(question))
        tools = build_tools(
            uow, self._readers, Asker(community.id, member.id, member_tz), self.section.faq
        )
        try:
            convo = await run_with_tools(
                self._model, messages, tools, max_rounds=self.section.max_tool_rounds
            )
        except AiUnavailable:
            raise MentorNotSetUpError() from None
        except (AiTemporarilyDown, AiBadAnswer) as err:
            log.warning(
                "AI mentor failed: %s", type(err).__name__, extra={"community": community.id}
            )
            raise MentorBusyError() from None
        text = convo.content.strip() or "…"
        async with uow() as writing:
            await record_call(
                writing.get(AiCallRepository),
                self._ai,
                community_id=community.id,
                member_id=member.id,
                purpose=PURPOSE,
                model=convo.model,
                prompt_version=prompt.ref,
                usage=convo.usage,
                at=now,
            )
            memory_repo = writing.get(MemoryRepository)
            if self.section.memory_turns:
                await memory_repo.add(
                    community.id,
                    member.id,
                    [Turn("user", question, now), Turn("assistant", text, now)],
                    prompt.ref,
                )
                await memory_repo.trim(member.id, self.section.memory_turns)
            await writing.commit()
        return Answer(text, prompt.ref, convo.usage, convo.tools_used)

    async def reset(self, uow: UnitOfWorkFactory, member: Member) -> int:
        """Forget the member's conversation; returns how many turns were forgotten."""
        async with uow() as writing:
            forgotten = await writing.get(MemoryRepository).clear(member.id)
            await writing.commit()
        return forgotten
