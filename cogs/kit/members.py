"""Who an option names, and the refusals of the runner's own checks.

The console's `@name` syntax lives here as the default parser; a platform's own
mention syntax is registered by its adapter in `Runner.member_parsers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cogs.kit import messages
from cogs.kit.options import MemberRef
from cogs.kit.reply import Mention, Reply, Tone
from domain.core.errors import UserFacingError
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member, Platform

MemberParser = Callable[[str], MemberRef | None]
"""Read a member named in text; each adapter registers its platform's mention syntax."""


_CONSOLE_NAME = re.compile(r"[^\W_][\w.\-]{0,31}")


def default_member_parser(word: str) -> MemberRef | None:
    """Understand `@ana`, which must name a member already known (the console's syntax).

    Names are case-insensitive (`@Ana` is ana: the console's account ids are
    lower-case names), and only a plain name is one: `@<@U123>` or a name with
    a control character (PostgreSQL refuses NUL) is no mention, so it is
    refused before any lookup. A platform's own mention syntax (`<@U123|ana>`
    on Slack, `<@123>` on Discord) is its adapter's business: it registers a
    parser in `Runner.member_parsers` for its platform.
    """
    name = word[1:] if word.startswith("@") else ""
    if _CONSOLE_NAME.fullmatch(name):
        return MemberRef(name.lower(), name, vouched=False)
    return None


class UnknownCommandError(UserFacingError):
    """No command has that name."""

    code = "input.unknown_command"


class UnknownMemberError(UserFacingError):
    """A typed `@name` names nobody known in this community."""

    code = "input.member_unknown"


class ExpiredActionError(UserFacingError):
    """A button or select whose action no longer exists."""

    code = "action.expired"


def error_reply(err: UserFacingError) -> Reply:
    """The reply for a refusal: its catalogue words, only to the caller."""
    return Reply(text=messages.text(err.code, **err.params), tone=Tone.ERROR, ephemeral=True)


async def with_accounts(uow: UnitOfWork, reply: Reply, mentions: dict[int, Mention]) -> Reply:
    """Give each member a reply mentions their platform accounts, so adapters can ping them."""
    accounts = await uow.get(IdentityRepository).accounts_of([MemberId(m) for m in mentions])
    by_member: dict[int, dict[str, str]] = {}
    for acc in accounts:
        by_member.setdefault(int(acc.member_id), {})[str(acc.platform)] = acc.user_id
    merged = {m.member_id: m for m in reply.mentions}
    for member_id, m in mentions.items():
        merged[member_id] = Mention(member_id, m.display_name, by_member.get(member_id, {}))
    return reply.with_(mentions=tuple(merged.values()))


async def resolve_members(
    uow: UnitOfWork,
    platform: Platform,
    workspace_id: str,
    community_id: CommunityId,
    options: dict[str, Any],
    *,
    writes: bool,
    now: datetime,
) -> dict[str, Any]:
    """Turn MemberRefs into members; a vouched newcomer is enrolled by writing commands."""
    out = dict(options)
    repo = uow.get(IdentityRepository)
    for name, value in options.items():
        if not isinstance(value, MemberRef):
            continue
        member: Member | None
        if value.member_id is not None:
            member = await repo.get_member(MemberId(value.member_id))
            if member is None or member.community_id != community_id:
                raise UnknownMemberError(name=value.display_name)
            out[name] = member
            continue
        member = await repo.member_for_account(platform, workspace_id, value.user_id)
        if member is None and not value.vouched:
            member = await repo.find_by_name(community_id, value.display_name)
        if member is None:
            if not (value.vouched and writes):
                raise UnknownMemberError(name=value.display_name)
            member = await repo.enrol(
                community_id,
                platform,
                workspace_id,
                value.user_id,
                value.display_name,
                now,
            )
        out[name] = member
    return out
