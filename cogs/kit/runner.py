"""The runner: one path from an `Invocation` to a `Reply`, for every adapter.

It checks permissions, parses and validates options, resolves the actor (and
members named in options) to community members, opens the unit of work, calls
the handler, commits, and is the single error boundary: a `UserFacingError`
becomes a friendly reply that changed nothing; anything else is logged with a
short reference the member can quote, and they never see a traceback.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from cogs.kit import messages, textargs
from cogs.kit.command import Command, Handler, Permission, Visibility
from cogs.kit.context import CogContext
from cogs.kit.invocation import Call, Invocation
from cogs.kit.members import (
    ExpiredActionError,
    MemberParser,
    UnknownCommandError,
    UnknownMemberError,
    default_member_parser,
    error_reply,
    resolve_members,
    with_accounts,
)
from cogs.kit.options import MemberRef, OptionType
from cogs.kit.reads import EnrolledAccounts, account_of, read_as_caller
from cogs.kit.registry import Registry
from cogs.kit.reply import Reply, Tone
from domain.core.anchors import AnchorRepository, PostedMessage
from domain.core.errors import (
    AlreadyAppliedError,
    InvalidInputError,
    PermissionDeniedError,
    UserFacingError,
)
from domain.core.ids import MemberId
from domain.core.invocations import InvocationLog
from domain.core.limits import CommandLimiter
from domain.core.uow import ConnectionLost, UnitOfWork
from domain.identity import IdentityRepository, Platform
from domain.identity.service import Resolved

log = logging.getLogger(__name__)

__all__ = [
    "ExpiredActionError",
    "MemberParser",
    "Runner",
    "UnknownCommandError",
    "UnknownMemberError",
    "default_member_parser",
    "error_reply",
]


class Runner:
    """Dispatch invocations to the registered handlers."""

    def __init__(self, registry: Registry, ctx: CogContext) -> None:
        self.registry = registry
        self.ctx = ctx
        self.member_parsers: dict[Platform, MemberParser] = {}
        self.unhandled_errors = 0  # how many invocations hit an unexpected exception
        self.enrolled = EnrolledAccounts()  # account -> member, for a read's settle

    # -- entry point ---------------------------------------------------------

    async def dispatch(self, inv: Invocation) -> Reply | None:
        """Run a command, action or reaction; None when there is nothing to say."""
        if inv.actor.is_bot:
            return None
        try:
            try:
                return await self._route(inv)
            except ConnectionLost:  # rolled back whole: once more on a fresh connection
                log.warning("database connection lost; retrying the request once")
                return await self._route(inv)
        except UserFacingError as err:
            return error_reply(err)
        except Exception:
            ref = secrets.token_hex(3)
            self.unhandled_errors += 1
            log.exception(
                "unhandled error ref=%s",
                ref,
                extra={
                    "platform": str(inv.actor.platform),
                    "workspace": inv.actor.workspace_id,
                    "command": inv.command or inv.action_id or inv.reaction,
                    "ref": ref,
                },
            )
            return Reply(text=messages.text("internal", ref=ref), tone=Tone.ERROR, ephemeral=True)

    # -- views ---------------------------------------------------------------

    async def view(self, name: str, inv: Invocation) -> Reply | None:
        """Render a feature's view (e.g. "home") for the actor; None when no feature has it.

        Read-only: a newcomer sees the view's welcome and is not enrolled. A
        failure becomes the same friendly error reply as a command's.
        """
        view = self.registry.view(name)
        if view is None:
            return None
        try:
            async with self.ctx.uow(read_only=True, quick=True) as uow:
                repo = uow.get(IdentityRepository)
                a = inv.actor
                member = await repo.member_for_account(a.platform, a.workspace_id, a.user_id)
                community = await repo.get_community(member.community_id) if member else None
                if member is None or community is None:
                    return view.newcomer()
                call = Call(
                    inv=inv,
                    ctx=self.ctx,
                    uow=uow,
                    community=community,
                    member=member,
                    options={},
                    now=self.ctx.clock.now(),
                )
                return await view.handler(call)
        except UserFacingError as err:
            return error_reply(err)
        except Exception:
            ref = secrets.token_hex(3)
            self.unhandled_errors += 1
            log.exception("unhandled error in view %s ref=%s", name, ref, extra={"ref": ref})
            return Reply(text=messages.text("internal", ref=ref), tone=Tone.ERROR, ephemeral=True)

    async def _route(self, inv: Invocation) -> Reply | None:
        if inv.command is not None:
            return await self._run_command(inv)
        if inv.action_id is not None:
            return await self._run_action(inv)
        if inv.reaction is not None:
            return await self._run_reaction(inv)
        raise InvalidInputError(problem="empty request")

    # -- commands ------------------------------------------------------------

    def parse_member(self, platform: Platform, word: str) -> MemberRef | None:
        parser = self.member_parsers.get(platform, default_member_parser)
        return parser(word)

    def options_for(self, command: Command, inv: Invocation) -> dict[str, Any]:
        """Typed, validated option values from either typed options or text."""
        if inv.text is not None:
            raw: dict[str, Any] = textargs.parse(
                command, inv.text, lambda w: self.parse_member(inv.actor.platform, w)
            )
            raw.update({k: v for k, v in inv.options.items() if v is not None})
        else:
            raw = {k: v for k, v in inv.options.items() if v is not None}
        values: dict[str, Any] = {}
        for option in command.options:
            if option.name in raw:
                value = raw[option.name]
                if option.type is OptionType.MEMBER and isinstance(value, str):
                    parsed = self.parse_member(inv.actor.platform, value)
                    if parsed is None:
                        raise textargs.UsageError(
                            problem=f"**{option.name}** must mention a member",
                            usage=command.usage,
                        )
                    value = parsed
                try:
                    values[option.name] = option.convert(value)
                except InvalidInputError as err:
                    raise textargs.UsageError(
                        problem=err.params.get("problem", "invalid"), usage=command.usage
                    ) from None
            elif option.required:
                raise textargs.UsageError(
                    problem=f"**{option.name}** is missing", usage=command.usage
                )
            else:
                values[option.name] = option.default
        return values

    async def _run_command(self, inv: Invocation) -> Reply:
        assert inv.command is not None
        command = self.registry.command(inv.command.strip().lower())
        if command is None:
            raise UnknownCommandError(name=inv.command)
        if command.permission is Permission.MODERATOR and not inv.actor.is_moderator:
            # Re-checked here even when the platform hides the command: a server
            # admin can change Discord's command permissions at any time.
            raise PermissionDeniedError(command=command.name)
        options = self.options_for(command, inv)
        return await self._execute(
            inv,
            command.handler,
            writes=command.writes,
            visibility=command.visibility,
            label=command.name,
            options=options,
        )

    async def _run_action(self, inv: Invocation) -> Reply:
        assert inv.action_id is not None
        action, args = self.registry.action(inv.action_id)
        if action is None:
            raise ExpiredActionError()
        if action.permission is Permission.MODERATOR and not inv.actor.is_moderator:
            raise PermissionDeniedError(command=action.name)
        options: dict[str, Any] = {"values": inv.values, **inv.options}
        return await self._execute(
            inv,
            action.handler,
            writes=action.writes,
            visibility=action.visibility,
            label=action.name,
            options=options,
            args=args,
        )

    async def _run_reaction(self, inv: Invocation) -> Reply | None:
        assert inv.reaction is not None
        if inv.place.message_id is None or inv.place.channel_id is None:
            return None
        async with self.ctx.uow(read_only=True, quick=True) as uow:
            anchor = await uow.get(AnchorRepository).anchor_of(
                str(inv.actor.platform), inv.place.channel_id, inv.place.message_id
            )
        if anchor is None:
            return None  # a reaction on some other message: not ours to count
        kind, _, ident = anchor.partition(":")
        rule = self.registry.reaction_rule(kind, inv.reaction)
        if rule is None:
            return None
        return await self._execute(
            inv,
            rule.handler,
            writes=True,
            visibility=Visibility.EPHEMERAL,
            label=f"reaction:{kind}",
            options={"meaning": rule.emojis[inv.reaction], "added": inv.reaction_added},
            args=(ident,),
            anchor=anchor,
        )

    # -- the shared path ---------------------------------------------------------

    async def _execute(
        self,
        inv: Invocation,
        handler: Handler,
        *,
        writes: bool,
        visibility: Visibility,
        label: str,
        options: dict[str, Any],
        args: tuple[str, ...] = (),
        anchor: str | None = None,
    ) -> Reply:
        if not writes:
            return await self._execute_read(inv, handler, visibility, options, args, anchor)
        platform = str(inv.actor.platform)
        async with self.ctx.uow() as uow:
            if inv.key:
                log_ = uow.get(InvocationLog)
                if not await log_.claim(platform, inv.key, label, self.ctx.clock.now()):
                    stored = await log_.reply_for(platform, inv.key)
                    if stored is None:
                        raise AlreadyAppliedError()
                    return Reply.from_dict(stored).with_(replayed=True)
            resolved = await self._resolve(uow, inv)
            await self._limit(uow, inv, resolved, label)
            reply = await self._handle(
                uow, inv, resolved, handler, visibility, options, args, anchor, writes=True
            )
            if inv.key:
                stored_reply = reply.with_(image=None).to_dict()
                await uow.get(InvocationLog).store_reply(platform, inv.key, stored_reply)
            await uow.commit()
        # Committed: the member exists for good (a rolled-back enrolment is never remembered).
        self.enrolled.remember(account_of(inv), resolved.member.id)
        return reply

    async def _execute_read(
        self,
        inv: Invocation,
        handler: Handler,
        visibility: Visibility,
        options: dict[str, Any],
        args: tuple[str, ...],
        anchor: str | None,
    ) -> Reply:
        async def handle(uow: UnitOfWork, resolved: Resolved) -> Reply:
            return await self._handle(
                uow, inv, resolved, handler, visibility, options, args, anchor, writes=False
            )

        return await read_as_caller(self.ctx, self.enrolled, inv, handle, self._enrol)

    async def _handle(
        self,
        uow: UnitOfWork,
        inv: Invocation,
        resolved: Resolved,
        handler: Handler,
        visibility: Visibility,
        options: dict[str, Any],
        args: tuple[str, ...],
        anchor: str | None,
        *,
        writes: bool,
    ) -> Reply:
        """Resolve the named members, call the handler and finish its reply."""
        resolved_options = await resolve_members(
            uow,
            inv.actor.platform,
            inv.actor.workspace_id,
            resolved.community.id,
            options,
            writes=writes,
            now=self.ctx.clock.now(),
        )
        call = Call(
            inv=inv,
            ctx=self.ctx,
            uow=uow,
            community=resolved.community,
            member=resolved.member,
            options=resolved_options,
            now=self.ctx.clock.now(),
            args=args,
            anchor=anchor,
        )
        reply = await handler(call)
        if reply.ephemeral is None:
            reply = reply.with_(ephemeral=visibility is Visibility.EPHEMERAL)
        if call.mentions:
            reply = await with_accounts(uow, reply, call.mentions)
        return reply

    async def _limit(
        self, uow: UnitOfWork, inv: Invocation, resolved: Resolved, label: str
    ) -> None:
        """Count the write against the member's rate limits, in this transaction."""
        # A Protocol as the key, as for the readers features provide.
        limiter = self.ctx.maybe(CommandLimiter)
        if limiter is None:
            return
        group = re.split(r"[ .:]", label, maxsplit=1)[0]
        await limiter.check(
            uow,
            resolved.community.id,
            resolved.member.id,
            group,
            self.ctx.clock.now(),
            is_moderator=inv.actor.is_moderator,
        )

    async def _enrol(self, inv: Invocation) -> MemberId:
        """A newcomer's first read: enrol them in a write of its own (or find who raced us)."""
        async with self.ctx.uow() as uow:
            found = (await self._resolve(uow, inv)).member
            await uow.commit()
        return found.id

    async def _resolve(self, uow: UnitOfWork, inv: Invocation) -> Resolved:
        a = inv.actor
        return await self.ctx.identity.resolve(
            uow, a.platform, a.workspace_id, a.user_id, a.display_name, inv.community_name
        )

    # -- adapters' helpers --------------------------------------------------------

    async def remember_post(
        self, platform: Platform, workspace_id: str, channel_id: str, message_id: str, anchor: str
    ) -> None:
        """Record that a posted message shows `anchor`, so reactions on it are understood."""
        async with self.ctx.uow() as uow:
            community = await self.ctx.identity.community(uow, platform, workspace_id)
            await uow.get(AnchorRepository).remember(
                PostedMessage(str(platform), channel_id, message_id, community.id, anchor),
                self.ctx.clock.now(),
            )
            await uow.commit()
