"""activity notify: PostgreSQL NOTIFYs the projectors when unapplied activities are logged

Revision ID: 0026_activity_notify
Revises: 0006_activity_log
Create Date: 2026-12-01 10:00:00

A statement-level trigger on `activity_log` calls `pg_notify('guildhall_activity',
'')` when a statement inserted unapplied rows. NOTIFY is delivered at commit and
identical notifications in one transaction are collapsed, so the write path pays
no Python and no round trip, and every writer (a second `guildhall run`, the CLI)
wakes the projectors that LISTEN (`storage/pg_listen.py`). Rows a projector
appends already applied (derived XP, unlocks) notify nobody: there is nothing to
apply. SQLite has one writer process and no NOTIFY: untouched.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026_activity_notify"
down_revision: str | Sequence[str] | None = "0006_activity_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The channel storage.pg_listen.ACTIVITY_CHANNEL listens on; written out here
# because a migration must not change when the code it once matched does.
_FUNCTION = """
CREATE FUNCTION guildhall_activity_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inserted WHERE NOT applied) THEN
        PERFORM pg_notify('guildhall_activity', '');
    END IF;
    RETURN NULL;
END
$$
"""
# FOR EACH STATEMENT: one call per multi-row INSERT, not one per row; the
# transition table (PostgreSQL 10+) holds only the rows this statement inserted
# (ON CONFLICT DO NOTHING skips are not in it).
_TRIGGER = """
CREATE TRIGGER activity_log_notify
AFTER INSERT ON activity_log
REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION guildhall_activity_notify()
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    op.execute(_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS activity_log_notify ON activity_log")
    op.execute("DROP FUNCTION IF EXISTS guildhall_activity_notify()")
