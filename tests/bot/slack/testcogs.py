"""Test-only features that exercise what the foundation cogs do not: buttons,
long text collected in a modal, reactions on anchored cards, a moderator
command, an image, and a title a member wrote.

They record what their handlers saw in `Seen`, so a test can tell "the
handler ran once with these values" from "the adapter answered something".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cogs.kit import (
    Action,
    Attachment,
    Button,
    ButtonStyle,
    Call,
    Cog,
    Command,
    Image,
    Permission,
    ReactionRule,
    Registry,
    Reply,
    Select,
    SelectOption,
    Tone,
    Visibility,
)
from cogs.kit import options as opt
from cogs.kit.messages import register
from domain.core.errors import UserFacingError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class IdeaRefusedError(UserFacingError):
    code = "idea.refused"


register({"idea.refused": "Ideas about {topic} are not allowed here."})


@dataclass
class Seen:
    ideas: list[dict[str, Any]] = field(default_factory=list)
    likes: list[tuple[str, ...]] = field(default_factory=list)
    reactions: list[tuple[tuple[str, ...], str, bool]] = field(default_factory=list)
    purges: int = 0
    picks: list[tuple[str, ...]] = field(default_factory=list)


def add_test_cogs(registry: Registry) -> Seen:
    seen = Seen()

    async def submit(call: Call) -> Reply:
        title: str = call.options["title"]
        description: str = call.options["description"]
        if "forbidden" in description:
            raise IdeaRefusedError(topic="forbidden things")
        seen.ideas.append({"title": title, "description": description})
        number = len(seen.ideas)
        return Reply(
            title=f"Idea #{number}: {title}",
            text=description,
            buttons=(
                Button("Like", action_id=f"idea.like:{number}", style=ButtonStyle.PRIMARY),
                Button("Docs", url="https://example.com/ideas"),
            ),
            footer=f"by {call.mention(call.member)}",
            anchor=f"idea:{number}",
        )

    async def like(call: Call) -> Reply:
        seen.likes.append(call.args)
        return Reply(text=f"You liked idea #{call.args[0]}.", tone=Tone.SUCCESS)

    async def react(call: Call) -> Reply:
        seen.reactions.append((call.args, call.options["meaning"], call.options["added"]))
        verb = "Counted" if call.options["added"] else "Withdrew"
        return Reply(text=f"{verb} your {call.options['meaning']} on idea #{call.args[0]}.")

    async def shout(call: Call) -> Reply:
        return Reply(title=call.options["words"], text=f"“{call.options['words']}”")

    async def export(call: Call) -> Reply:
        return Reply(text="Your export.", file=Attachment(b"a,b\n1,2\n", "ideas.csv", "text/csv"))

    async def menu(call: Call) -> Reply:
        options = (SelectOption("Lanterns", "1"), SelectOption("Picnic", "2", "in June"))
        return Reply(text="Which idea?", select=Select("idea.pick", options, "Pick one"))

    async def pick(call: Call) -> Reply:
        seen.picks.append(call.options["values"])
        return Reply(text=f"Picked {call.options['values'][0]}.")

    async def purge(call: Call) -> Reply:
        seen.purges += 1
        return Reply(text="Purged.", tone=Tone.SUCCESS)

    async def card(call: Call) -> Reply:
        return Reply(title="Your card", image=Image(PNG, "card.png", "rank card"), ephemeral=False)

    registry.add(
        Cog(
            name="ideas",
            commands=[
                Command(
                    "idea submit",
                    "Submit an idea",
                    submit,
                    options=(
                        opt.string("title", "A short title", max_length=80),
                        opt.string(
                            "description", "What and why", long=True, min_length=10, max_length=500
                        ),
                    ),
                ),
                Command("idea purge", "Remove all ideas", purge, permission=Permission.MODERATOR),
                Command(
                    "shout",
                    "Say something",
                    shout,
                    options=(opt.string("words", "What to say", rest=True),),
                ),
                Command("card", "Show a card", card, writes=False),
                Command("idea menu", "Pick an idea", menu, writes=False),
                Command(
                    "idea export",
                    "Export ideas",
                    export,
                    writes=False,
                    visibility=Visibility.EPHEMERAL,
                ),
            ],
            actions=[Action("idea.like", like), Action("idea.pick", pick)],
            reactions=[ReactionRule("idea", {"👍": "up", "👎": "down"}, react)],
        )
    )
    return seen
