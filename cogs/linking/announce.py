"""What linking sends through the outbox: a member's link code, by direct message."""

from __future__ import annotations

from cogs.kit import Call, Reply
from cogs.kit.messages import text
from domain.core.announcements import Announcement, Target


def member_code(call: Call, code: str, minutes: int) -> None:
    """Queue the member's one-time code as a DM, in the command's own transaction.

    Through the outbox, so the code is sent once even when the platform retries
    the command, and not at all when the command fails. The code is readable in
    the outbox row only while it is valid ({minutes} minutes); the link codes
    themselves are stored as hashes.
    """
    call.uow.announce(
        Announcement(
            call.community.id,
            "link_code",
            f"link-code:{call.member.id}:{call.inv.key}",
            Reply(text=text("linking.member_code", link_code=code, minutes=minutes)).to_dict(),
            target=Target.DM,
            member_id=call.member.id,
        )
    )
