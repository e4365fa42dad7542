"""Words of moderation: the audit log."""

MESSAGES = {
    "moderation.audit_title": "Audit log",
    "moderation.audit_empty": "Nothing recorded yet.",
    "moderation.audit_line": "`{when}` **{kind}** by {actor}{subject}{reason}",
    "moderation.audit_subject": " → {who}",
    "moderation.audit_reason": " — “{reason}”",
    "moderation.audit_system": "the bot",
    "moderation.audit_footer": "Page {page} of {pages} · {entries}",
    "moderation.audit_page": "There is no page {page}; the log has {pages}.",
    "moderation.audit_older": "Older ▶",
    "moderation.audit_stale": "That page button is out of date; run `/admin audit` again",
}

MESSAGES.update(
    {
        "moderation.self_report": "You can't report yourself.",
        "moderation.reason_required": "Say what happened, so the moderators can act on it.",
        "moderation.report_not_found": "There is no report #{id} here.",
        "moderation.report_decided": "Report #{id} was already decided ({status}).",
        "moderation.reported": "Thanks — the moderators will look at it. {who} won't be told"
        " who reported them.",
        "moderation.card_title": "Report #{id}",
        "moderation.card": "{reporter} reported {subject}: “{reason}”\nDecide with the buttons"
        " or `/admin report {id} dismiss|warn|lock`.",
        "moderation.dismiss": "Dismiss",
        "moderation.warn": "Warn",
        "moderation.lock": "Lock",
        "moderation.warning": "A moderator reviewed a report about you and is asking you to"
        " follow the community's rules: “{reason}”.",
        "moderation.decided.dismiss": "Report #{id} dismissed.",
        "moderation.decided.warn": "Report #{id}: {who} was warned by DM.",
        "moderation.decided.lock": "Report #{id}: {who} is locked.",
        "moderation.report_menu": "Report message",
        "moderation.report_menu_help": "Tell the moderators about this message",
        "moderation.message_reason": "{excerpt} (the reported message: {where})",
        "moderation.message_empty": "a message without text",
        "moderation.report_bot": "That message is from a bot; tell the moderators directly"
        " if it misbehaves.",
        "moderation.slow_down": "Slow down a little — try again in {seconds} seconds.",
    }
)
