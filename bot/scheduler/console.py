"""The console's deliverer: print each delivered announcement, so a newcomer sees them."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.console.render import render
from bot.delivery import Delivery
from domain.core.announcements import Target
from domain.identity import Platform


class ConsoleDeliverer:
    """Prints announcements as they would appear: in a channel, a DM, or an edited card."""

    platform = Platform.CONSOLE

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self._write = write
        self._ids = itertools.count(1)
        self.delivered: list[Delivery] = []

    async def deliver(self, delivery: Delivery) -> str | None:
        self.delivered.append(delivery)
        if delivery.target is Target.DM:
            header = f"✉ DM to {delivery.user_id}"
        elif delivery.target is Target.EDIT:
            header = f"✎ updated {delivery.reply.anchor or 'card'}"
        else:
            header = f"📣 #{delivery.channel_id or delivery.channel_name}"
        self._write(f"{header}\n{render(delivery.reply)}")
        if delivery.target is Target.CHANNEL:
            return f"{delivery.channel_id or delivery.channel_name}:a{next(self._ids)}"
        return None
