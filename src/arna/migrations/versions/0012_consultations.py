"""consultations: statements with their moderation, pseudonymous participants, every vote cast,
and the groups last computed

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(length=20), nullable=False, unique=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("body_id", sa.String(length=60), sa.ForeignKey("bodies.id"), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("votes_seen", sa.Integer(), nullable=False),
        sa.Column("groups_k", sa.Integer(), nullable=True),
        sa.Column("groups_at", UTCDateTime(), nullable=True),
        sa.Column("memory", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
    )
    op.create_index("ix_consultations_body_id", "consultations", ["body_id"])
    op.create_index("ix_consultations_status", "consultations", ["status"])
    op.create_table(
        "consultation_participants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("x", sa.Float(), nullable=True),
        sa.Column("y", sa.Float(), nullable=True),
        sa.UniqueConstraint("consultation_id", "key", name="uq_participant_key"),
        sa.UniqueConstraint("consultation_id", "number", name="uq_participant_number"),
    )
    op.create_index(
        "ix_consultation_participants_consultation_id",
        "consultation_participants",
        ["consultation_id"],
    )
    op.create_table(
        "consultation_statements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "author_id",
            sa.Integer(),
            sa.ForeignKey("consultation_participants.id"),
            nullable=True,
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("disagree", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.UniqueConstraint("consultation_id", "number", name="uq_statement_number"),
    )
    op.create_index(
        "ix_consultation_statements_consultation_id",
        "consultation_statements",
        ["consultation_id"],
    )
    op.create_table(
        "consultation_votes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), nullable=False
        ),
        sa.Column(
            "statement_id",
            sa.Integer(),
            sa.ForeignKey("consultation_statements.id"),
            nullable=False,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("consultation_participants.id"),
            nullable=False,
        ),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("cast_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_consultation_votes_order", "consultation_votes", ["consultation_id", "id"])
    op.create_index(
        "ix_consultation_votes_participant",
        "consultation_votes",
        ["participant_id", "statement_id"],
    )


def downgrade() -> None:
    op.drop_table("consultation_votes")
    op.drop_table("consultation_statements")
    op.drop_table("consultation_participants")
    op.drop_table("consultations")
