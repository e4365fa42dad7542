"""Members named in free text, as `/event attended 3 @ana <@U123> <@456>` names them."""

from __future__ import annotations

from cogs.kit import Call
from cogs.kit.messages import text
from cogs.kit.runner import default_member_parser
from domain.core.errors import InvalidInputError
from domain.identity import IdentityRepository, Member


async def members_named(call: Call, raw: str) -> list[Member]:
    """Return the members named, each once, in order.

    A platform mention is looked up by its account, a console `@name` by name;
    one word that names nobody refuses the whole list, so nothing is half done.

    Raises:
        InvalidInputError: a word is not a mention, or names nobody known here.
    """
    identity = call.uow.get(IdentityRepository)
    actor = call.inv.actor
    found: dict[int, Member] = {}
    for word in raw.replace(",", " ").split():
        ref = default_member_parser(word)
        if ref is None:
            raise InvalidInputError(problem=text("events.not_a_mention", given=word[:40]))
        member = await identity.member_for_account(actor.platform, actor.workspace_id, ref.user_id)
        if member is None:
            member = await identity.find_by_name(call.community.id, ref.display_name)
        if member is None:
            raise InvalidInputError(problem=text("events.unknown_member", name=ref.display_name))
        found.setdefault(int(member.id), member)
    return list(found.values())
