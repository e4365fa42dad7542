"""The `[mydata]` section of config.toml: what happens when a member leaves a platform."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from domain.core.config_base import Section


class MyDataSection(Section):
    """Data rights the community chooses for members who leave."""

    on_member_left: Literal["keep", "erase"] = Field(
        "keep",
        description=(
            "when a member leaves the Discord server or is deactivated in Slack: keep their"
            " data, or erase it as /mydata delete does (an account linked elsewhere is only"
            " removed; the member's other accounts keep everything)"
        ),
    )
