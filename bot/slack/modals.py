"""Long text on Slack: a form (modal) for the options a slash command cannot hold well.

A command missing a required long option (a proposal's description) opens a
modal within the 3 s a trigger_id is valid; its fields are checked as the
member submits, and refusals are shown next to the field.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.slack.core import SlackCore, Where, slack_member_parser
from cogs.kit import Command, Invocation, Permission, Place, Reply, Tone
from cogs.kit.messages import text as words
from cogs.kit.options import Option
from cogs.kit.textargs import UsageError, parse
from domain.core.errors import InvalidInputError

MODAL_CALLBACK = "guildhall.long"
_BLOCK_PREFIX = "opt:"
_MODAL_ANSWER_WITHIN = 2.0  # seconds; Slack closes a view_submission after 3 s


class SlackModals(SlackCore):
    """The modal half of the adapter: open a form, validate and run its submission."""

    async def _may_run(self, command: Command, workspace: str, user_id: str) -> bool:
        """Whether to open a form at all: a member gets the refusal, not a form to fill in."""
        if command.permission is not Permission.MODERATOR:
            return True
        return (await self._actor(workspace, user_id)).is_moderator

    def _missing_long(self, command: Command, text: str) -> list[Option]:
        """Long options not given inline; none if the text is wrong anyway (usage wins)."""
        long_options = [o for o in command.options if o.long]
        if not long_options:
            return []
        try:
            given = parse(command, text, lambda w: slack_member_parser(w))
        except UsageError:
            return []
        missing = [o for o in long_options if o.name not in given or given[o.name] is None]
        return missing if any(o.required for o in missing) else []

    async def _open_modal(
        self, trigger_id: str, command: Command, text: str, missing: list[Option], where: Where
    ) -> None:
        metadata = json.dumps({"c": command.name, "t": text, "ch": where.channel_id})
        if len(metadata) > 3000:  # Slack: private_metadata holds at most 3000 characters
            reply = Reply(text=words("slack.modal.too_long"), tone=Tone.ERROR, ephemeral=True)
            await self._send(reply, where)
            return
        blocks: list[dict[str, Any]] = []
        for option in missing:
            element: dict[str, Any] = {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": min(option.max_length or 3000, 3000),
            }
            if option.min_length:
                element["min_length"] = min(option.min_length, 3000)
            blocks.append(
                {
                    "type": "input",
                    "block_id": _BLOCK_PREFIX + option.name,
                    "optional": not option.required,
                    "label": {"type": "plain_text", "text": option.name.capitalize()[:2000]},
                    "hint": {"type": "plain_text", "text": option.description[:2000]},
                    "element": element,
                }
            )
        title = words("slack.modal.title", command=command.name)
        view = {
            "type": "modal",
            "callback_id": MODAL_CALLBACK,
            "private_metadata": metadata,
            "title": {"type": "plain_text", "text": title[:24]},  # Slack: 24 characters
            "submit": {"type": "plain_text", "text": words("slack.modal.submit")},
            "close": {"type": "plain_text", "text": words("slack.modal.cancel")},
            "blocks": blocks,
        }
        await self.client.views_open(trigger_id=trigger_id, view=view)

    async def _on_view_submission(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        """Check the modal's fields; answer errors inline (the modal stays open) or run it.

        The runner gets up to 2 s so that a refusal (too short, a domain rule)
        is shown next to the field without losing what the member typed.
        """
        view = body.get("view") or {}
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        command = self.registry.command(str(meta.get("c", "")))
        if command is None:
            await ack()
            return
        values: dict[str, str] = {}
        for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
            if block_id.startswith(_BLOCK_PREFIX):
                value = (inputs.get("value") or {}).get("value")
                if value is not None:
                    values[block_id[len(_BLOCK_PREFIX) :]] = value
        errors: dict[str, str] = {}
        by_name = {o.name: o for o in command.options}
        for name, value in values.items():
            option = by_name.get(name)
            if option is None:
                continue
            try:
                option.convert(value)
            except InvalidInputError as err:
                errors[_BLOCK_PREFIX + name] = _inline(str(err.params.get("problem", "invalid")))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        ctx = dict(context)
        workspace = self.workspace_of(ctx)
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        where = Where(workspace, user_id, meta.get("ch"))

        async def run() -> Reply | None:
            # The users.info look-up counts against the same 2 s, so it runs inside.
            inv = Invocation(
                actor=await self._actor(workspace, user_id, user.get("name")),
                key=f"view:{view.get('id') or body.get('trigger_id')}",
                place=Place(channel_id=where.channel_id),
                command=command.name,
                text=str(meta.get("t", "")),
                options={k: v for k, v in values.items() if k in by_name},
                community_name=self.options.community_name,
            )
            return await self.runner.dispatch(inv)

        task = asyncio.get_running_loop().create_task(run())
        done, _ = await asyncio.wait({task}, timeout=_MODAL_ANSWER_WITHIN)
        if task in done:
            reply = task.result()
            if reply is not None and reply.tone is Tone.ERROR and not reply.replayed:
                first = next(iter(values), None) or next(o.name for o in command.options if o.long)
                await ack(
                    response_action="errors", errors={_BLOCK_PREFIX + first: _inline(reply.text)}
                )
                return
            await ack()
            self._spawn(self._send(reply, where), "modal result")
            return
        await ack()  # slow: close the modal now, post the result when it is ready

        async def finish() -> None:
            await self._send(await task, where)

        self._spawn(finish(), "modal result")


def _inline(text: str) -> str:
    """A refusal as plain text under a modal field (no markup; Slack shows ~150 characters)."""
    cleaned = text.replace("**", "").replace("`", "")
    return cleaned if len(cleaned) <= 150 else cleaned[:149] + "…"
