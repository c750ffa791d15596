"""api keys: the keys other systems (Open311 GeoReport clients) file appeals with

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 14:10:00

Only a SHA-256 digest of each key is kept; a revoked key keeps its row (revoked_at), so the
list shows what was revoked and when.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("key_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_keys")
