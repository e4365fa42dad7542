"""Handlers of /admin link …, /link and /unlink."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogs.kit import Call, Reply, Tone
from cogs.kit.format import bold_points
from cogs.kit.messages import count, text
from cogs.linking import announce, cards
from domain.identity import IdentityRepository
from domain.linking import LinkingRepository, LinkingService, WorkspaceRef


def _service(call: Call) -> LinkingService:
    return call.ctx.need(LinkingService)


def _here(call: Call) -> WorkspaceRef:
    return WorkspaceRef(call.inv.actor.platform, call.inv.actor.workspace_id)


def _minutes(call: Call) -> int:
    return call.ctx.config.linking.code_minutes


async def link_start(call: Call) -> Reply:
    """Handle /admin link start: a one-time code for the other workspace's moderator."""
    code = await _service(call).start_workspace_link(
        call.uow, call.community, _here(call), call.member
    )
    return Reply(
        text=text("linking.ws_code", link_code=code, minutes=_minutes(call)), ephemeral=True
    )


@dataclass(frozen=True, slots=True)
class CodeOptions:
    """Options of /admin link finish."""

    code: str


async def link_finish(call: Call, o: CodeOptions) -> Reply:
    """Handle /admin link finish: check the code and show both sides to confirm."""
    preview = await _service(call).preview_workspace_link(
        call.uow, o.code, call.community, _here(call)
    )
    return cards.confirmation(preview)


async def _confirm(call: Call, code: str, keep: str) -> Reply:
    service = _service(call)
    merge = await service.confirm_workspace_link(
        call.uow, code, call.community, _here(call), call.member, keep_here=keep == "here"
    )
    kept = await call.uow.get(IdentityRepository).get_community(merge.keeper_id)
    name = kept.name if kept is not None else call.community.name
    refs = await call.uow.get(LinkingRepository).workspaces(merge.keeper_id)
    return cards.linked(merge, name, refs)


@dataclass(frozen=True, slots=True)
class ConfirmOptions:
    """Options of /admin link confirm."""

    code: str
    keep: Literal["here", "there"]


async def link_confirm(call: Call, o: ConfirmOptions) -> Reply:
    """The typed equivalent of the card's Confirm buttons."""
    return await _confirm(call, o.code, o.keep)


async def link_confirm_button(call: Call) -> Reply:
    """Confirm a workspace link from the card, keeping the side the button names."""
    code, keep = (*call.args, "", "")[:2]
    return await _confirm(call, code, keep)


async def link_cancel_button(call: Call) -> Reply:
    """Cancel a workspace link from the card; nothing is changed."""
    return Reply(text=text("linking.ws_cancelled"))


async def link_status(call: Call) -> Reply:
    """Handle /admin link status: the workspaces of this community."""
    refs = await _service(call).workspaces(call.uow, call.community)
    return cards.status(call.community.name, refs)


@dataclass(frozen=True, slots=True)
class RemoveOptions:
    """Options of /admin link remove."""

    workspace: str


async def link_remove(call: Call, o: RemoveOptions) -> Reply:
    """Handle /admin link remove: detach a workspace; its data stays in this community."""
    removed = await _service(call).remove_workspace(
        call.uow, call.community, call.member, o.workspace
    )
    return Reply(
        text=text(
            "linking.ws_removed",
            platform=str(removed.workspace.platform).title(),
            workspace=removed.workspace.workspace_id,
            accounts=count("count.accounts", removed.accounts_detached),
            orphans=count("count.members", removed.members_left_without_account),
        ),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """Options of /link."""

    code: str | None


async def link(call: Call, o: LinkOptions) -> Reply:
    """`/link` sends a code by DM; `/link CODE` on the other platform joins the two accounts.

    The code goes by direct message, never into the channel where /link was
    typed: whoever holds it can join their account to this member.
    """
    service = _service(call)
    if not o.code:
        issued = await service.start_member_link(call.uow, call.community, call.member, _here(call))
        announce.member_code(call, issued, _minutes(call))
        return Reply(text=text("linking.member_code_sent"), ephemeral=True)
    merged = await service.finish_member_link(call.uow, o.code, call.member, _here(call))
    return Reply(
        text=text(
            "linking.member_linked",
            points=bold_points(merged.points_moved),
            xp=merged.xp_added,
            votes=merged.votes_dropped,
            checkins=merged.checkins_dropped,
        ),
        tone=Tone.SUCCESS,
        ephemeral=True,
    )


async def unlink(call: Call) -> Reply:
    """Handle /unlink: give this account a fresh member; the history stays with the old one."""
    await _service(call).unlink(call.uow, call.member, _here(call), call.inv.actor.user_id)
    return Reply(text=text("linking.unlinked"), tone=Tone.SUCCESS, ephemeral=True)
