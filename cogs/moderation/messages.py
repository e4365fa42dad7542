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
}
