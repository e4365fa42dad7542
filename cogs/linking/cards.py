"""Reply builders of linking."""

from __future__ import annotations

from cogs.kit import Button, ButtonStyle, Reply, Tone
from cogs.kit.messages import count, text
from domain.linking import CommunityMerge, WorkspaceLinkPreview, WorkspaceRef


def where(refs: tuple[WorkspaceRef, ...] | list[WorkspaceRef]) -> str:
    """Name the workspaces of one side, as in "Discord 123, Slack T1"."""
    return ", ".join(f"{str(r.platform).title()} {r.workspace_id}" for r in refs)


def confirmation(preview: WorkspaceLinkPreview) -> Reply:
    """The card naming both sides, with a Confirm per side and Cancel."""
    code = preview.code.replace(":", "")
    return Reply(
        title=text("linking.ws_card_title"),
        text=text(
            "linking.ws_card",
            there=preview.there.name,
            there_where=where(preview.there_workspaces),
            here=preview.here.name,
            here_where=where([preview.here_workspace]),
        ),
        buttons=(
            Button(
                text("linking.ws_keep", name=preview.there.name),
                f"link.confirm:{code}:there",
                ButtonStyle.PRIMARY,
            ),
            Button(
                text("linking.ws_keep", name=preview.here.name),
                f"link.confirm:{code}:here",
                ButtonStyle.PRIMARY,
            ),
            Button(text("linking.ws_cancel"), "link.cancel", ButtonStyle.SECONDARY),
        ),
        ephemeral=True,
    )


def linked(merge: CommunityMerge, name: str, all_workspaces: list[WorkspaceRef]) -> Reply:
    """Report a finished workspace link: the kept name, its workspaces, what was moved."""
    return Reply(
        text=text(
            "linking.ws_linked",
            name=name,
            where=where(all_workspaces),
            members=count("count.members", merge.members_moved),
            renamed=merge.renamed_keys,
        ),
        tone=Tone.SUCCESS,
    )


def status(name: str, refs: list[WorkspaceRef]) -> Reply:
    """List the workspaces, by platform and id, that make up a community."""
    lines = [
        text("linking.ws_status_line", platform=str(r.platform).title(), workspace=r.workspace_id)
        for r in refs
    ]
    return Reply(title=text("linking.ws_status_title", name=name), text="\n".join(lines))
