"""surveys: questionnaires (XLSForm files), their responses with the respondents' raking
variables and weights

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(length=20), nullable=False, unique=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("form_id", sa.String(length=200), nullable=False),
        sa.Column("form_version", sa.String(length=100), nullable=True),
        sa.Column("form_file", sa.LargeBinary(), nullable=False),
        sa.Column("file_type", sa.String(length=8), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=60), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("fielded_from", UTCDateTime(), nullable=True),
        sa.Column("fielded_to", UTCDateTime(), nullable=True),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("margins", sa.Text(), nullable=True),
        sa.Column("weighted_at", UTCDateTime(), nullable=True),
        sa.Column("weights_report", sa.Text(), nullable=True),
    )
    op.create_index("ix_surveys_status", "surveys", ["status"])
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("survey_id", sa.Integer(), sa.ForeignKey("surveys.id"), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("region", sa.String(length=9), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("settlement", sa.String(length=10), nullable=True),
        sa.Column("age_group", sa.String(length=10), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.UniqueConstraint("survey_id", "key", name="uq_survey_response_key"),
    )
    op.create_index(
        "ix_survey_responses_submitted", "survey_responses", ["survey_id", "submitted_at"]
    )


def downgrade() -> None:
    op.drop_table("survey_responses")
    op.drop_table("surveys")
