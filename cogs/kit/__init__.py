"""The command kit: declare commands once, let every adapter render them."""

from cogs.kit import messages, typed
from cogs.kit.command import (
    Action,
    Cog,
    Command,
    Cron,
    Every,
    Job,
    Permission,
    ReactionRule,
    View,
    Visibility,
)
from cogs.kit.context import CogContext
from cogs.kit.invocation import Actor, Call, Invocation, Place
from cogs.kit.options import MemberRef, Option, OptionType
from cogs.kit.page import Page
from cogs.kit.registry import Registry
from cogs.kit.reply import (
    Attachment,
    Button,
    ButtonStyle,
    Field,
    Image,
    Mention,
    Reply,
    Select,
    SelectOption,
    Tone,
    mention_token,
    timestamp_token,
)
from cogs.kit.runner import Runner, error_reply

__all__ = [
    "Action",
    "Actor",
    "Attachment",
    "Button",
    "ButtonStyle",
    "Call",
    "Cog",
    "CogContext",
    "Command",
    "Cron",
    "Every",
    "Field",
    "Image",
    "Invocation",
    "Job",
    "MemberRef",
    "Mention",
    "Option",
    "OptionType",
    "Page",
    "Permission",
    "Place",
    "ReactionRule",
    "Registry",
    "Reply",
    "Runner",
    "Select",
    "SelectOption",
    "Tone",
    "View",
    "Visibility",
    "error_reply",
    "mention_token",
    "messages",
    "timestamp_token",
    "typed",
]
