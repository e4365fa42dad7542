"""notify unless woken: the trigger stays silent for a process that wakes the projectors

Revision ID: 0029_notify_unless_woken
Revises: 0026_activity_notify
Create Date: 2026-12-01 17:00:00

A NOTIFY serialises the commits of every transaction that sends one (a
database-wide lock held until the commit is durable), and 0026's trigger made
every command that logged an activity send one. A `guildhall` process now
sends the wake-up itself after its commits, coalesced, from a connection of
its own (`storage/pg_wake.py`), and says so on its commands' connections with
the session setting `guildhall.wakes_projectors = on`; for those the trigger
does nothing. Any other writer (psql, a script, an older process) still
notifies through it. SQLite: untouched.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029_notify_unless_woken"
down_revision: str | Sequence[str] | None = "0026_activity_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out (not imported) because a migration must not change when the code
# it once matched does: storage.pg_wake.SETTING and storage.pg_listen.ACTIVITY_CHANNEL.
_SILENT_FOR_WAKERS = """
CREATE OR REPLACE FUNCTION guildhall_activity_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('guildhall.wakes_projectors', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM inserted WHERE NOT applied) THEN
        PERFORM pg_notify('guildhall_activity', '');
    END IF;
    RETURN NULL;
END
$$
"""
# 0026's body.
_ALWAYS = """
CREATE OR REPLACE FUNCTION guildhall_activity_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inserted WHERE NOT applied) THEN
        PERFORM pg_notify('guildhall_activity', '');
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_SILENT_FOR_WAKERS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_ALWAYS)
