"""Reply builders of achievements: the unlock announcement and the member's list."""

from __future__ import annotations

from collections.abc import Sequence

from cogs.achievements.messages import rarity_text
from cogs.kit import Call, Reply, Tone
from cogs.kit import messages as words
from cogs.kit.format import progress_bar
from cogs.kit.reply import Mention, mention_token
from domain.achievements import AchievementStatus, Unlocked
from domain.core.announcements import Announcement, Target
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member

MAX_LINES = 25


async def announce(uow: UnitOfWork, unlocks: Sequence[Unlocked]) -> None:
    """Post "@ana unlocked On fire" in the announcements channel, once per member and id.

    A projector batch may unlock for hundreds of members at once: their members
    and accounts are read with one query each, not two per unlock (they were
    800 of 1,228 statements for 1,000 activities in `benchmarks.projection_cost`).
    """
    if not unlocks:
        return
    identity = uow.get(IdentityRepository)
    members = await identity.get_members({u.member_id for u in unlocks})
    accounts: dict[MemberId, dict[str, str]] = {m: {} for m in members}
    for account in await identity.accounts_of(sorted(members)):
        accounts[account.member_id][str(account.platform)] = account.user_id
    for unlocked in unlocks:
        member = members.get(unlocked.member_id)
        if member is None:  # pragma: no cover - achievements belong to members
            continue
        uow.announce(_unlocked(unlocked, member, accounts[member.id]))


def _unlocked(unlocked: Unlocked, member: Member, accounts: dict[str, str]) -> Announcement:
    spec = unlocked.spec
    reply = Reply(
        text=words.text(
            "achievements.unlocked",
            emoji=spec.emoji,
            who=mention_token(member.id),
            name=spec.name,
            description=spec.description,
            rarity=rarity_text(unlocked.rarity_percent),
        ),
        tone=Tone.SUCCESS,
        mentions=(Mention(int(member.id), member.display_name, accounts),),
    )
    return Announcement(
        community_id=unlocked.community_id,
        kind="achievement",
        dedupe_key=f"achievement:{member.id}:{spec.id}",
        payload=reply.to_dict(),
        target=Target.CHANNEL,
        channel_kind="announcements",
        member_id=member.id,
    )


def render(call: Call, who: Member, statuses: list[AchievementStatus]) -> Reply:
    """Held achievements with their rarity, then locked ones with progress bars."""
    held = sum(s.held for s in statuses)
    lines: list[str] = []
    for s in statuses[:MAX_LINES]:
        spec = s.spec
        if s.held:
            lines.append(
                words.text(
                    "achievements.held_line",
                    emoji=spec.emoji,
                    name=spec.name,
                    description=spec.description,
                    rarity=rarity_text(s.rarity_percent),
                )
            )
        else:
            counts = ", ".join(
                words.text(
                    "achievements.count",
                    have=min(v, spec.requires[c]),
                    need=spec.requires[c],
                    counter=c.replace("_", " "),
                )
                for c, v in s.progress.items()
            )
            lines.append(
                words.text(
                    "achievements.locked_line",
                    name=spec.name,
                    description=spec.description,
                    bar=progress_bar(s.fraction),
                    counts=counts,
                )
            )
    heading = (
        words.text("achievements.yours")
        if who.id == call.member.id
        else words.text("achievements.theirs", who=call.mention(who))
    )
    if not statuses:
        return Reply(text=words.text("achievements.none_configured"))
    return Reply(
        title=words.text("achievements.title", held=held, total=len(statuses)),
        text=heading + "\n" + "\n".join(lines),
    )
