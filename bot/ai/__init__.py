"""The AI behind `domain.core.ai.ChatModel`: LangChain's ChatOpenAI, prompts from files.

`build_chat_model(settings)` imports LangChain only when a key is set, so a
bot without AI starts (and tests run) without paying for the import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.core.ai import ChatModel, UnconfiguredChatModel

if TYPE_CHECKING:
    from bot.settings import Settings


def build_chat_model(settings: Settings) -> ChatModel:
    """The configured model, or one that says "not set up" when `OPENAI_API_KEY` is empty."""
    key = settings.openai_api_key.get_secret_value().strip()
    if not key:
        return UnconfiguredChatModel()
    from bot.ai.openai_chat import AiClientSettings, LangChainChatModel

    return LangChainChatModel(
        AiClientSettings(
            api_key=key,
            base_url=settings.openai_base_url,
            model=settings.ai_model,
            temperature=settings.ai_temperature,
            timeout=settings.ai_timeout,
            max_retries=settings.ai_max_retries,
            deadline=settings.ai_deadline,
        )
    )
