"""battles

Revision ID: 0010_battles
Revises: 0001_foundation
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010_battles"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("battles",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "battles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("challenger_id", sa.Integer(), nullable=False),
        sa.Column("opponent_id", sa.Integer(), nullable=True),
        sa.Column("prompt", sa.String(length=1000), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=True),
        sa.Column("stake", sa.Integer(), server_default="0", nullable=False),
        sa.Column("judge", sa.String(length=8), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("accept_by", storage.types.UTCDateTime(), nullable=False),
        sa.Column("accepted_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("deadline", storage.types.UTCDateTime(), nullable=True),
        sa.Column("voting_ends_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("a_member_id", sa.Integer(), nullable=True),
        sa.Column("winner_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("finished_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("verdict", sa.JSON(), nullable=True),
        sa.Column("challenger_delta", sa.Integer(), nullable=True),
        sa.Column("opponent_delta", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'active', 'voting', 'judging', 'finished', 'declined', 'expired', 'cancelled')",
            name=op.f("ck_battles_status_known"),
        ),
        sa.CheckConstraint("judge IN ('ai', 'vote')", name=op.f("ck_battles_judge_known")),
        sa.CheckConstraint(
            "method IS NULL OR method IN ('vote', 'ai', 'forfeit', 'no_quorum')",
            name=op.f("ck_battles_method_known"),
        ),
        sa.CheckConstraint("stake >= 0", name=op.f("ck_battles_stake_not_negative")),
        sa.CheckConstraint(
            "opponent_id IS NULL OR opponent_id <> challenger_id", name=op.f("ck_battles_two_sides")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_battles_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["challenger_id"], ["members.id"], name=op.f("fk_battles_challenger_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["opponent_id"], ["members.id"], name=op.f("fk_battles_opponent_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_battles")),
    )
    with op.batch_alter_table("battles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_battles_community_status", ["community_id", "status", "id"], unique=False
        )
        batch_op.create_index(
            "ix_battles_challenger", ["challenger_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_battles_opponent", ["opponent_id", "accepted_at"], unique=False)
        batch_op.create_index("ix_battles_status", ["status", "id"], unique=False)

    op.create_table(
        "battle_entries",
        sa.Column("battle_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["battle_id"], ["battles.id"], name=op.f("fk_battle_entries_battle_id_battles")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_battle_entries_member_id_members")
        ),
        sa.PrimaryKeyConstraint("battle_id", "member_id", name=op.f("pk_battle_entries")),
    )
    op.create_table(
        "battle_votes",
        sa.Column("battle_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=1), nullable=False),
        sa.Column("voted_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("side IN ('a', 'b')", name=op.f("ck_battle_votes_side_known")),
        sa.ForeignKeyConstraint(
            ["battle_id"], ["battles.id"], name=op.f("fk_battle_votes_battle_id_battles")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_battle_votes_member_id_members")
        ),
        sa.PrimaryKeyConstraint("battle_id", "member_id", name=op.f("pk_battle_votes")),
    )
    op.create_table(
        "battle_ratings",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("battles", sa.Integer(), server_default="0", nullable=False),
        sa.Column("wins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("losses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("draws", sa.Integer(), server_default="0", nullable=False),
        sa.Column("streak", sa.Integer(), server_default="0", nullable=False),
        sa.Column("best_streak", sa.Integer(), server_default="0", nullable=False),
        sa.Column("best_win_battle", sa.Integer(), nullable=True),
        sa.Column("best_win_opponent_rating", sa.Integer(), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "battles = wins + losses + draws", name=op.f("ck_battle_ratings_record_adds_up")
        ),
        sa.CheckConstraint("rating >= 0", name=op.f("ck_battle_ratings_rating_not_negative")),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_battle_ratings_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_battle_ratings_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_battle_ratings")),
    )
    with op.batch_alter_table("battle_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_battle_ratings_board", ["community_id", "rating"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("battle_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_battle_ratings_board")
    op.drop_table("battle_ratings")
    op.drop_table("battle_votes")
    op.drop_table("battle_entries")
    with op.batch_alter_table("battles", schema=None) as batch_op:
        batch_op.drop_index("ix_battles_status")
        batch_op.drop_index("ix_battles_opponent")
        batch_op.drop_index("ix_battles_challenger")
        batch_op.drop_index("ix_battles_community_status")
    op.drop_table("battles")
