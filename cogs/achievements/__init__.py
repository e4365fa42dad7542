"""/achievements: a catalog from config.toml, unlocked automatically and announced."""

from __future__ import annotations

from cogs.achievements.messages import MESSAGES, rarity_text
from cogs.kit import Call, Cog, CogContext, Command, Registry, Reply, Tone, Visibility
from cogs.kit import messages as words
from cogs.kit import options as opt
from cogs.kit.format import progress_bar
from cogs.kit.reply import Mention, mention_token
from domain.achievements import AchievementService, AchievementStatus, Unlocked
from domain.core.activity import ANY_KIND, Activity, each
from domain.core.announcements import Announcement, Target
from domain.core.contracts import AchievementReader
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member

words.register(MESSAGES)

MAX_LINES = 25


def setup(registry: Registry, ctx: CogContext) -> None:
    service = AchievementService(ctx.config.achievements)
    ctx.provide(AchievementService, service)
    ctx.provide(AchievementReader, service)  # type: ignore[type-abstract]

    async def on_activity(uow: UnitOfWork, activity: Activity) -> None:
        for unlocked in await service.on_activity(uow, activity):
            await announce(uow, unlocked)

    registry.add_projection(each("achievements.counters", [ANY_KIND], on_activity))

    async def achievements(call: Call) -> Reply:
        who: Member = call.options["member"] or call.member
        statuses = await service.statuses(call.uow, call.community.id, who.id)
        return render(call, who, statuses)

    registry.add(
        Cog(
            name="achievements",
            commands=[
                Command(
                    "achievements",
                    "Your achievements (or another member's), with how rare each one is",
                    achievements,
                    options=(opt.member("member", "Whose achievements to show", required=False),),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/achievements", "/achievements @ana"),
                )
            ],
        )
    )


async def announce(uow: UnitOfWork, unlocked: Unlocked) -> None:
    """Post "@ana unlocked On fire" in the announcements channel, once per member and id."""
    identity = uow.get(IdentityRepository)
    member = await identity.get_member(unlocked.member_id)
    if member is None:  # pragma: no cover - achievements belong to members
        return
    accounts = {str(a.platform): a.user_id for a in await identity.accounts_of([member.id])}
    spec = unlocked.spec
    reply = Reply(
        text=f"{spec.emoji} {mention_token(member.id)} unlocked **{spec.name}** — "
        f"{spec.description}. ({rarity_text(unlocked.rarity_percent)})",
        tone=Tone.SUCCESS,
        mentions=(Mention(int(member.id), member.display_name, accounts),),
    )
    uow.announce(
        Announcement(
            community_id=unlocked.community_id,
            kind="achievement",
            dedupe_key=f"achievement:{member.id}:{spec.id}",
            payload=reply.to_dict(),
            target=Target.CHANNEL,
            channel_kind="announcements",
            member_id=member.id,
        )
    )


def render(call: Call, who: Member, statuses: list[AchievementStatus]) -> Reply:
    held = sum(s.held for s in statuses)
    lines: list[str] = []
    for s in statuses[:MAX_LINES]:
        spec = s.spec
        if s.held:
            lines.append(
                f"{spec.emoji} **{spec.name}** — {spec.description}"
                f" · {rarity_text(s.rarity_percent)}"
            )
        else:
            counts = ", ".join(
                f"{min(v, spec.requires[c])}/{spec.requires[c]} {c.replace('_', ' ')}"
                for c, v in s.progress.items()
            )
            lines.append(f"🔒 {spec.name} — {spec.description} {progress_bar(s.fraction)} {counts}")
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
