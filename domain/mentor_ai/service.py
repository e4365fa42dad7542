"""The AI mentor: tokens reserved first, then the model with tools and memory, then the record.

No transaction is held while the model thinks (up to the AI deadline): tokens
are reserved against the caps in one short write unit (so parallel questions
cannot overshoot a cap), memory is read in a read-only unit, and the answer,
its settled spend and the new turns are written in a last one. The request's
idempotency key makes a retried or double-submitted question one call, billed
once: the repeat waits for the first answer and shows it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.core.ai import (
    AiBadAnswer,
    AiTemporarilyDown,
    AiUnavailable,
    ChatMessage,
    ChatModel,
    Conversation,
    TokenUsage,
    run_with_tools,
)
from domain.core.ai_spend import (
    AiCallRepository,
    AiSection,
    Reservation,
    SpendCapReached,
    SpendRequest,
    reserve_spend,
    settle_spend,
)
from domain.core.contracts import PerksReader
from domain.core.prompts import Prompt, PromptBook
from domain.core.uow import UnitOfWork, UnitOfWorkFactory
from domain.identity import Community, Member
from domain.mentor_ai.config import MentorAiSection
from domain.mentor_ai.errors import (
    CommunityCapError,
    MemberCapError,
    MentorBusyError,
    MentorNotSetUpError,
    MentorStillAnsweringError,
    QuestionTooLongError,
)
from domain.mentor_ai.faq import faq_entries
from domain.mentor_ai.model import Answer, Turn
from domain.mentor_ai.repository import MemoryRepository
from domain.mentor_ai.tools import Asker, Readers, build_tools

log = logging.getLogger(__name__)
PURPOSE = "mentor"
KEEP_ANSWERS = timedelta(days=1)  # a platform retries within minutes; a day is ample
_POLL = 0.2  # seconds between looks for a duplicate's first answer


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
        request_key: str | None = None,
    ) -> Answer:
        """Answer `question`, remembering the exchange; a repeated `request_key` is answered once.

        Raises:
            MentorNotSetUpError: no model configured (no call is made).
            MemberCapError, CommunityCapError: a cap is used up (no call is made).
            MentorBusyError: the model kept failing or answered unusably.
            MentorStillAnsweringError: a duplicate whose first answer is not ready.
            QuestionTooLongError: the question is longer than allowed.
        """
        if not self._model.configured or not self.section.enabled:
            raise MentorNotSetUpError()
        question = question.strip()
        if len(question) > self.section.max_question_chars:
            raise QuestionTooLongError(limit=self.section.max_question_chars)
        spend = SpendRequest(
            community_id=community.id,
            member_id=member.id,
            purpose=PURPOSE,
            member_daily_tokens=self.section.member_daily_tokens,
            estimate_tokens=self.section.reserve_tokens,
            request_key=request_key,
        )
        reservation, spend = await self._reserve(uow, community, member, spend, now)
        if reservation.duplicate:
            return await self._first_answer(uow, member, reservation, request_key or "")
        try:
            prompt, convo = await self._converse(uow, community, member, question, now)
        except BaseException:
            async with uow() as releasing:
                await releasing.get(AiCallRepository).release(reservation.id)
                await releasing.commit()
            raise
        text = convo.content.strip() or "…"
        async with uow() as writing:
            await settle_spend(
                writing.get(AiCallRepository),
                self._ai,
                reservation,
                spend,
                model=convo.model,
                prompt_version=prompt.ref,
                usage=convo.usage,
                at=now,
            )
            memory_repo = writing.get(MemoryRepository)
            if request_key:
                await memory_repo.save_answer(
                    community.id, member.id, request_key, text, prompt.ref, now, now - KEEP_ANSWERS
                )
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

    async def _reserve(
        self,
        uow: UnitOfWorkFactory,
        community: Community,
        member: Member,
        spend: SpendRequest,
        now: datetime,
    ) -> tuple[Reservation, SpendRequest]:
        """Hold tokens against the caps in one short committed unit (see `reserve_spend`).

        The member's cap is read in the same unit: a premium plan may raise it.
        """
        async with uow() as writing:
            if self._perks() is not None:
                spend = replace(spend, member_daily_tokens=await self.daily_tokens(writing, member))
            try:
                reservation = await reserve_spend(
                    writing.get(AiCallRepository),
                    self._ai,
                    spend,
                    model=self._model.model_name,
                    now=now,
                    tz=ZoneInfo(community.timezone),
                )
            except SpendCapReached as cap:
                error = MemberCapError if cap.scope == "member" else CommunityCapError
                raise error(wait=cap.resets_at - now) from None
            await writing.commit()
        return reservation, spend

    async def _converse(
        self,
        uow: UnitOfWorkFactory,
        community: Community,
        member: Member,
        question: str,
        now: datetime,
    ) -> tuple[Prompt, Conversation]:
        """The persona, the member's memory and the question to the model, with its tools."""
        async with uow(read_only=True) as reading:
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
            uow,
            self._readers,
            Asker(community.id, member.id, member_tz, now),
            faq_entries(self._prompts, self.section.faq_version, self.section.faq),
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
        return prompt, convo

    async def _first_answer(
        self, uow: UnitOfWorkFactory, member: Member, reservation: Reservation, request_key: str
    ) -> Answer:
        """A repeat of a request: wait (briefly) for the first one's answer and show it.

        Raises:
            MentorBusyError: the first attempt failed (a fresh key may try again).
            MentorStillAnsweringError: the first answer is not ready within the wait.
        """
        for _ in range(max(1, round(self.section.duplicate_wait_seconds / _POLL))):
            async with uow(read_only=True) as reading:
                kept = await reading.get(MemoryRepository).answer_for(member.id, request_key)
                if kept is None:
                    still = await reading.get(AiCallRepository).reservation(
                        member.community_id, PURPOSE, request_key
                    )
            if kept is not None:
                return Answer(kept[0], kept[1], TokenUsage(), ())
            if still is None:
                raise MentorBusyError()
            await asyncio.sleep(_POLL)
        raise MentorStillAnsweringError()

    async def reset(self, uow: UnitOfWorkFactory, member: Member) -> int:
        """Forget the member's conversation; returns how many turns were forgotten."""
        async with uow() as writing:
            forgotten = await writing.get(MemoryRepository).clear(member.id)
            await writing.commit()
        return forgotten
