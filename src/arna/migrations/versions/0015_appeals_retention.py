"""appeals retention: an index of the ended appeals whose applicant's data is still held

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-17 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETAINED = "status IN ('answered', 'closed') AND applicant_name <> ''"


def upgrade() -> None:
    op.create_index(
        "ix_appeals_retention",
        "appeals",
        ["updated_at"],
        postgresql_where=sa.text(RETAINED),
        sqlite_where=sa.text(RETAINED),
    )


def downgrade() -> None:
    op.drop_index("ix_appeals_retention", table_name="appeals")
