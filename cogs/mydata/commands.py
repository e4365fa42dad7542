"""Handlers of /mydata export|delete and /admin member delete."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from cogs.kit import Attachment, Button, ButtonStyle, Call, Reply, Tone
from cogs.kit.messages import text
from domain.core.announcements import Announcement, Target
from domain.identity import Member
from domain.mydata import MyDataService

EXPORT_KIND = "mydata_export"  # the outbox kind of the DM that carries the file


def _service(call: Call) -> MyDataService:
    return call.ctx.need(MyDataService)


async def export(call: Call) -> Reply:
    """Send the member's data as a JSON file by direct message, never into a channel.

    Through the outbox, in this command's transaction: a retried command sends
    one file, and an outage delays it rather than losing it. The copy in the
    outbox is removed when the member erases their data.
    """
    data = await _service(call).export(call.uow, call.member)
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode()
    name = f"guildhall-mydata-{call.member.id}-{call.now:%Y%m%d}.json"
    call.uow.announce(
        Announcement(
            call.community.id,
            EXPORT_KIND,
            f"{EXPORT_KIND}:{call.member.id}:{call.inv.key}",
            Reply(
                text=text("mydata.exported", tables=len(data["tables"])),
                file=Attachment(body, name, "application/json"),
            ).to_dict(),
            target=Target.DM,
            member_id=call.member.id,
        )
    )
    return Reply(text=text("mydata.export_sent"), ephemeral=True)


@dataclass(frozen=True, slots=True)
class DeleteOptions:
    """Options of /mydata delete."""

    confirm: Literal["yes"] | None


async def delete(call: Call, o: DeleteOptions) -> Reply:
    """`/mydata delete` asks first; `/mydata delete yes` (or the button) erases."""
    if o.confirm != "yes":
        return Reply(
            title=text("mydata.confirm_title"),
            text=text("mydata.confirm"),
            buttons=(
                Button(text("mydata.confirm_button"), "mydata.erase", ButtonStyle.DANGER),
                Button(text("mydata.keep_button"), "mydata.keep"),
            ),
            tone=Tone.WARNING,
            ephemeral=True,
        )
    return await erase_self(call)


async def erase_self(call: Call) -> Reply:
    """Erase the caller's own personal data (the Erase button, or /mydata delete yes)."""
    await _service(call).erase(call.uow, call.member, call.member)
    return Reply(text=text("mydata.deleted"), tone=Tone.SUCCESS, ephemeral=True)


async def keep(call: Call) -> Reply:
    """Cancel /mydata delete from its Keep button; nothing is erased."""
    return Reply(text=text("mydata.kept"), ephemeral=True)


@dataclass(frozen=True, slots=True)
class AdminDeleteOptions:
    """Options of /admin member delete."""

    member: Member
    reason: str


async def admin_delete(call: Call, o: AdminDeleteOptions) -> Reply:
    """Handle /admin member delete: erase a member's personal data on request, with a reason."""
    name = o.member.display_name
    await _service(call).erase(call.uow, o.member, call.member, o.reason)
    return Reply(text=text("mydata.member_deleted", who=name), tone=Tone.SUCCESS)
