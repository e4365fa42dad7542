"""The Slack adapter's words: modals, files and its own refusals.

Registered in the shared catalogue (`cogs.kit.messages`) so they are written
once and checked like every feature's words.
"""

from __future__ import annotations

from cogs.kit.messages import register

MESSAGES: dict[str, str] = {
    "slack.which_one": "`/{group}` needs a subcommand: {choices}",
    "slack.modal.title": "/{command}",
    "slack.modal.submit": "Send",
    "slack.modal.cancel": "Cancel",
    "slack.modal.too_long": "That was too long to keep for the form — please shorten it.",
    "slack.file.sent": "📎 {filename} was sent to you in a direct message.",
    "slack.file.shared": "📎 {filename}",
    "slack.replayed": "↩ Already done — this is the earlier answer.",
}

register(MESSAGES)
