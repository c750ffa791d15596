"""petitions: petitions with their state and clock, signatures (one per person, by a keyed
digest of the IIN), bulk invalidations

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "petitions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(length=20), nullable=False, unique=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("addressee_id", sa.String(length=60), sa.ForeignKey("bodies.id"), nullable=False),
        sa.Column("region_kato", sa.String(length=9), nullable=True),
        sa.Column("threshold_id", sa.String(length=40), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("author_person", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=100), nullable=False),
        sa.Column("author_code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cosign_due", sa.Date(), nullable=True),
        sa.Column("moderation_due", sa.Date(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("reason_code", sa.String(length=30), nullable=True),
        sa.Column("reason_note", sa.Text(), nullable=True),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.Column("invalidated", sa.Integer(), nullable=False),
        sa.Column("reached_at", UTCDateTime(), nullable=True),
        sa.Column("body_id", sa.String(length=60), sa.ForeignKey("bodies.id"), nullable=True),
        sa.Column("response_due", sa.Date(), nullable=True),
        sa.Column("escalation_depth", sa.Integer(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_petitions_addressee_id", "petitions", ["addressee_id"])
    op.create_index("ix_petitions_region_kato", "petitions", ["region_kato"])
    op.create_index("ix_petitions_status", "petitions", ["status"])
    op.create_index("ix_petitions_status_due", "petitions", ["status", "response_due"])
    op.create_table(
        "petition_invalidations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("petition_id", sa.Integer(), sa.ForeignKey("petitions.id"), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_petition_invalidations_petition_id", "petition_invalidations", ["petition_id"]
    )
    op.create_table(
        "petition_signatures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("petition_id", sa.Integer(), sa.ForeignKey("petitions.id"), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_kato", sa.String(length=9), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column(
            "invalidation_id",
            sa.Integer(),
            sa.ForeignKey("petition_invalidations.id"),
            nullable=True,
        ),
        sa.UniqueConstraint("petition_id", "person", name="uq_petition_signatures"),
    )
    op.create_index(
        "ix_petition_signatures_time", "petition_signatures", ["petition_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("petition_signatures")
    op.drop_table("petition_invalidations")
    op.drop_table("petitions")
