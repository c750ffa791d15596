"""worker sweeps: when `arna worker` last finished a sweep (the worker lag of /metrics)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-16 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worker_sweeps",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("worker_sweeps")
