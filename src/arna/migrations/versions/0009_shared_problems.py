"""shared problems: appeals linked to the problem they report, "me too" supporters, problems
that came back after a body marked them resolved

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:20:00

Appeals stored before stay unlinked (problem_id NULL); the worker's next sweep links them in the
order they came (appeals/actions/problems.py), against the appeals before each, so history is
read as it would have been read as it happened.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite has it for adding and, since 3.35, dropping a column): a batch
    # copy of `appeals` would have to drop a table other tables' foreign keys point at.
    op.add_column("appeals", sa.Column("problem_id", sa.Integer(), nullable=True))
    op.add_column("appeals", sa.Column("recurrence_of", sa.Integer(), nullable=True))
    op.add_column(
        "appeals", sa.Column("supporters", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_index("ix_appeals_problem_id", "appeals", ["problem_id"])
    op.create_index("ix_appeals_problem_block", "appeals", ["category_id", "kato", "registered_at"])
    with op.batch_alter_table("appeal_assignments") as batch:
        batch.add_column(
            sa.Column("came_back", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "appeal_supporters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("appeal_id", sa.Integer(), sa.ForeignKey("appeals.id"), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("appeal_id", "person", name="uq_appeal_supporters"),
    )


def downgrade() -> None:
    op.drop_table("appeal_supporters")
    with op.batch_alter_table("appeal_assignments") as batch:
        batch.drop_column("came_back")
    op.drop_index("ix_appeals_problem_block", "appeals")
    op.drop_index("ix_appeals_problem_id", "appeals")
    for column in ("supporters", "recurrence_of", "problem_id"):
        op.execute(f"ALTER TABLE appeals DROP COLUMN {column}")
